"""Images the kit publishes (the logo, clinicians' photos): where they are, and the path they are published under.

A path in practice.yaml is resolved (symbolic links and ".." followed) and must land inside content/; the site
then publishes it under media/<its path relative to content/>, derived from the resolved file, never from the
text as written: "images/../images/logo.svg", "/home/me/kit/content/images/logo.svg" and a link to it are all
"images/logo.svg", so no spelling can reach outside site/media/ or publish a local folder's name.

What an image may be is checked here too (`problem`): at most 2 MB and 4,000 pixels a side, decodable to the
last byte, and an SVG without scripts or references to anything outside itself.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kitgen.content.model import Practice


def content_path(content_dir: Path, value: str) -> str | None:
    """`value` (relative to content/, or absolute) as the resolved file's path relative to content/, or None when
    it resolves outside content/."""
    root = Path(content_dir).resolve()
    target = (root / value).resolve()
    if target == root or not target.is_relative_to(root):
        return None
    return target.relative_to(root).as_posix()


def published(practice: Practice, content_dir: Path) -> Practice:
    """The practice with its logo and clinicians' photos rewritten to their content-relative paths (the rules in
    model.py have already refused paths outside content/)."""
    def fixed(value: str | None) -> str | None:
        return (content_path(content_dir, value) or value) if value else value

    clinicians = [replace(c, photo=fixed(c.photo)) for c in practice.clinicians]
    return replace(practice, logo=fixed(practice.logo), clinicians=clinicians)


# --- what an image may be ---------------------------------------------------------------------------------------

MAX_BYTES = 2 * 1024 * 1024  # every PDF embeds the logo whole: a 40 MB logo made every one-pager 41 MB
MAX_SIDE = 4000  # pixels on either side; a logo prints at 15 mm, a photo at 18 mm: 1,000 px is plenty
RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif")
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_EMBEDDED = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def problem(path: Path, shown: str) -> str | None:
    """Why the image file at `path` (written `shown` in the YAML) cannot be published (None when it can): too
    large in bytes or pixels, not decodable, or an SVG with a script or a reference to anything outside it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return (f"{shown!r} is {size / 1_000_000:.1f} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB (every PDF "
                "embeds it): export it smaller; a logo needs about 1,000 pixels")
    if path.suffix.lower() == ".svg":
        found = svg_problem(path.read_bytes())
        return f"{shown!r} {found}" if found else None
    return _raster_problem(path, shown)


def _raster_problem(path: Path, shown: str) -> str | None:
    from PIL import Image, ImageFile  # WeasyPrint's own image library, imported only for raster images

    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False  # WeasyPrint sets it
    try:
        with Image.open(path) as image:
            width, height = image.size
            if max(width, height) > MAX_SIDE:
                return (f"{shown!r} is {width}×{height} pixels; the limit is {MAX_SIDE:,} on either side: scale it "
                        "down")
            image.load()  # decode it all: a truncated or corrupt file fails here, not as alt text in a PDF
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return f"{shown!r} cannot be read as an image ({exc}); export it again as PNG or JPEG"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def svg_problem(data: bytes) -> str | None:
    """Why this SVG cannot be published (None when it can): a script or event handler would run on the page,
    and a reference to another file or address would fail in the PDFs (which load nothing from outside)."""
    import xml.etree.ElementTree as ElementTree

    if b"<!ENTITY" in data:
        return "declares XML entities; export it again without them"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        return f"is not a readable SVG file ({exc})"
    if _local(root.tag) != "svg":
        return "is not an SVG image (its outer element is not <svg>)"
    for element in root.iter():
        name = _local(element.tag).lower()
        if name in _FORBIDDEN_ELEMENTS:
            return f"contains a <{_local(element.tag)}> element (scripts and embedded pages are refused); remove it"
        for attribute, value in element.attrib.items():
            attr = _local(attribute).lower()
            if attr.startswith("on"):
                return f"has an event handler ({_local(attribute)}=…) that would run a script; remove it"
            if attr in ("href", "src") and not _inside(value):
                return f"refers to {value.strip()[:60]!r} outside the image; embed it or remove the reference"
            if attr == "style" or name == "style":
                found = _css_problem(value)
                if found:
                    return found
        if name == "style":
            found = _css_problem(element.text or "")
            if found:
                return found
    return None


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
