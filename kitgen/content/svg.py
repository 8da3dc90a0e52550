"""SVG images: cleaned, and checked against an allowlist (content/images.py's rules for one image call it).

The XML libraries are imported inside the functions, when an SVG is read (xml.sax.saxutils alone brings
urllib.request): `kitgen prospect` loads this module, never them."""

from __future__ import annotations

import re
from typing import Any

_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_EMBEDDED = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


# --- SVG: cleaned, and checked against an allowlist -------------------------------------------------------------
#
# Written here rather than taken from a library: the sanitisers on PyPI (py-svg-hush, a binding of Cloudflare's
# svg-hush; svg-sanitize, a "prototype"; scour, an optimiser last released in 2020) rewrite silently, while kitgen
# must refuse with a located message what would change the picture or run code (what `check` accepts, `build`
# publishes), and drop only what a renderer never draws. The XML is read with defusedxml (entities, external
# references and DTD tricks refused whatever the file's encoding). One function (`clean`) decides both the check
# and the published bytes.

def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_SVG_ELEMENTS = _names("""
    svg g defs symbol use title desc switch a view style path rect circle ellipse line polyline polygon text tspan
    textPath image marker pattern clipPath mask linearGradient radialGradient stop filter feBlend feColorMatrix
    feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight
    feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology
    feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence set animate animateMotion
    animateTransform animateColor mpath font font-face font-face-src font-face-name glyph missing-glyph hkern vkern
    """)
_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
_DROPPED_ELEMENTS = frozenset({"metadata"})  # RDF: title, author, licence, the editor's document data
# Attributes a renderer reads (SVG 1.1 and 2: core, geometry, paint servers, filters, animation, presentation);
# any other attribute without a namespace (data-name, an editor's own) is dropped, being drawn by nothing.
_SVG_ATTRIBUTES = _names("""
    id class style lang tabindex role focusable version baseProfile x y width height viewBox preserveAspectRatio
    zoomAndPan transform d pathLength points cx cy r rx ry x1 y1 x2 y2 fx fy fr dx dy rotate textLength lengthAdjust
    startOffset method spacing side href gradientUnits gradientTransform spreadMethod offset patternUnits
    patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits markerUnits markerWidth
    markerHeight refX refY orient filterUnits primitiveUnits filterRes in in2 result mode operator k1 k2 k3 k4 type
    values tableValues slope intercept amplitude exponent stdDeviation edgeMode order kernelMatrix divisor bias
    targetX targetY kernelUnitLength preserveAlpha surfaceScale diffuseConstant specularConstant specularExponent
    azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle z scale xChannelSelector yChannelSelector
    radius baseFrequency numOctaves seed stitchTiles requiredFeatures requiredExtensions systemLanguage media title
    attributeName attributeType begin dur end min max restart repeatCount repeatDur calcMode keyTimes keySplines
    from to by additive accumulate path keyPoints origin horiz-adv-x horiz-origin-x horiz-origin-y vert-adv-y
    vert-origin-x vert-origin-y unicode glyph-name arabic-form units-per-em ascent descent cap-height x-height
    underline-position underline-thickness font-stretch u1 u2 g1 g2 k
    alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-profile color-rendering cursor direction display dominant-baseline
    enable-background fill fill-opacity fill-rule filter flood-color flood-opacity font font-family font-size
    font-size-adjust font-style font-variant font-weight glyph-orientation-horizontal
    glyph-orientation-vertical image-rendering kerning letter-spacing lighting-color marker marker-end marker-mid
    marker-start mask mask-type opacity overflow paint-order pointer-events shape-rendering stop-color
    stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width text-anchor text-decoration text-rendering transform-origin transform-box
    unicode-bidi vector-effect visibility word-spacing writing-mode white-space mix-blend-mode isolation
    font-kerning font-feature-settings font-variation-settings inline-size
    """)
_KEPT_NAMESPACED = frozenset({f"{{{XLINK_NS}}}href", f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"})
_SCRIPT_URL = re.compile(r"(java|vb)script:|data:text/html", re.IGNORECASE)


def clean(data: bytes) -> tuple[bytes | None, str | None]:
    """The SVG as published and None, or None and why it cannot be published. Refused: a script, an event
    handler, an embedded page (foreignObject), an animation that changes a link or runs javascript:, a reference
    to anything outside the image (href, url(…) in an attribute or a style, @import, <?xml-stylesheet?>), an
    element that is not an SVG drawing element. Dropped (drawn by nothing): comments, processing instructions,
    the DOCTYPE, <metadata>, elements and attributes of other namespaces (Inkscape's, Sodipodi's, Sketch's,
    Illustrator's), and attributes no renderer reads. Each refusal names its line in the SVG."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    target = _Reader()
    parser = DefusedXMLParser(target=target)
    target.parser = parser
    try:
        parser.feed(data)
        parser.close()
    except DefusedXmlException:
        return None, "declares XML entities; export it again without them"
    except SyntaxError as exc:  # ElementTree.ParseError
        return None, f"is not a readable SVG file ({exc})"
    if target.refused:
        return None, target.refused
    root = target.root
    if root is None or _local(root.tag) != "svg":
        return None, "is not an SVG image (its outer element is not <svg>)"
    out: list[str] = []
    _write(root, out, top=True)
    return "".join(out).encode("utf-8"), None


def problem(data: bytes) -> str | None:
    """Why this SVG cannot be published (None when it can): see `_svg`, which also makes what is published."""
    return clean(data)[1]


class _Reader:
    """An ElementTree parser target that builds the cleaned tree and stops at the first refusal, with its line."""

    def __init__(self) -> None:
        from xml.etree.ElementTree import Element
        self.parser: Any = None
        self.root: Element | None = None
        self.refused: str | None = None
        self._stack: list[Element | None] = []  # None: inside a dropped element

    def _line(self) -> int:
        return int(self.parser.parser.CurrentLineNumber)

    def _refuse(self, why: str) -> None:
        if not self.refused:
            self.refused = f"{why} (line {self._line()} of the SVG)"

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        from xml.etree.ElementTree import Element, SubElement
        parent = self._stack[-1] if self._stack else None
        namespace, name = _split(tag)
        lower = name.lower()
        if self.refused or (self._stack and parent is None):
            self._stack.append(None)
            return
        if not self._stack and (name != "svg" or namespace not in (SVG_NS, "")):
            self.refused = "is not an SVG image (its outer element is not <svg>)"
            self._stack.append(None)
            return
        if lower in _FORBIDDEN_ELEMENTS:
            self._refuse(f"contains a <{name}> element (scripts and embedded pages are refused); remove it")
        for attribute, value in attrib.items():
            self._check(name, attribute, value, attrib)
        svg = namespace in (SVG_NS, "")
        if svg and lower not in _DROPPED_ELEMENTS and name not in _SVG_ELEMENTS:
            self._refuse(f"contains a <{name}> element, which is not part of a drawing; remove it")
        if self.refused or not svg or lower in _DROPPED_ELEMENTS:
            self._stack.append(None)
            return
        kept = {a: v for a, v in attrib.items() if a in _SVG_ATTRIBUTES or a in _KEPT_NAMESPACED
                or a.startswith("aria-")}
        element = Element(name, kept) if parent is None else SubElement(parent, name, kept)
        if self.root is None:
            self.root = element
        self._stack.append(element)

    def _check(self, element: str, attribute: str, value: str, attrib: dict[str, str]) -> None:
        attr = _local(attribute)
        if attr.lower().startswith("on"):
            self._refuse(f"has an event handler ({attr}=…) that would run a script; remove it")
        elif attr in ("href", "src") and not _inside(value):
            self._refuse(f"refers to {value.strip()[:60]!r} outside the image; embed it or remove the reference")
        elif _SCRIPT_URL.search("".join(value.split())):
            self._refuse(f"has {attr}={value.strip()[:60]!r}, which would run a script; remove it")
        elif element.lower() in _ANIMATIONS and attr == "attributeName" \
                and value.strip().rpartition(":")[2].lower() == "href":
            self._refuse(f"has an animation (<{element}>) that changes a link ({attr}={value.strip()!r}); remove it")
        else:
            found = _css_problem(value) if attr == "style" else _url_problem(value, attr)
            if found:
                self._refuse(found)

    def end(self, tag: str) -> None:
        element = self._stack.pop()
        if element is not None and element.tag == "style":
            found = _css_problem(element.text or "")
            if found:
                self._refuse(found)

    def data(self, text: str) -> None:
        element = self._stack[-1] if self._stack else None
        if element is None:
            return
        if len(element):
            element[-1].tail = (element[-1].tail or "") + text
        else:
            element.text = (element.text or "") + text

    def pi(self, target: str, text: str) -> None:
        if target.lower() == "xml-stylesheet":
            self._refuse("loads a stylesheet from outside the image (<?xml-stylesheet?>); remove it")

    def comment(self, text: str) -> None:
        """Comments are dropped: an editor writes its name, version and sometimes the file's path in them."""

    def close(self) -> None:
        return None


def _url_problem(value: str, attribute: str) -> str | None:
    for reference in _CSS_URL.findall(value):
        if not _inside(reference):
            return (f"refers to {reference[:60]!r} outside the image (in its {attribute} attribute); embed it or "
                    "remove the reference")
    return None


def _write(element: object, out: list[str], top: bool = False) -> None:
    """`element` as XML text: every element in the SVG namespace (declared once, on the root), attributes in the
    order written, text and whitespace as they were."""
    from xml.etree.ElementTree import Element
    from xml.sax.saxutils import escape, quoteattr

    assert isinstance(element, Element)
    attributes = []
    if top:
        attributes.append(f'xmlns="{SVG_NS}"')
        if any(f"{{{XLINK_NS}}}href" in e.attrib for e in element.iter()):
            attributes.append(f'xmlns:xlink="{XLINK_NS}"')
    for name, value in element.attrib.items():
        shown = name.replace(f"{{{XLINK_NS}}}", "xlink:").replace(f"{{{XML_NS}}}", "xml:")
        attributes.append(f"{shown}={quoteattr(value, {chr(10): '&#10;', chr(13): '&#13;', chr(9): '&#9;'})}")
    out.append(f"<{element.tag}" + "".join(" " + a for a in attributes))
    if element.text or len(element):
        out.append(">" + escape(element.text or ""))
        for child in element:
            _write(child, out)
            out.append(escape(child.tail or ""))
        out.append(f"</{element.tag}>")
    else:
        out.append("/>")
    if top:
        out.append("\n")


def _css_problem(css: str) -> str | None:
    if "@import" in css.lower():
        return "imports a stylesheet from outside the image (@import); remove it"
    for target in _CSS_URL.findall(css):
        if not _inside(target):
            return f"refers to {target[:60]!r} outside the image (in its style); embed it or remove the reference"
    return None


def _inside(reference: str) -> bool:
    """A reference that stays inside the SVG: a fragment (#id) or an embedded raster image."""
    reference = reference.strip()
    return reference.startswith("#") or reference.lower().startswith(_EMBEDDED)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _split(name: str) -> tuple[str, str]:
    """'{namespace}local' as (namespace, local); ('', local) without a namespace."""
    namespace, _, local = name[1:].rpartition("}") if name.startswith("{") else ("", "", name)
    return namespace, local
