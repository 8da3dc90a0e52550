"""Images the kit publishes (the logo, clinicians' photos): where they are, and the path they are published under.

A path in practice.yaml is resolved (symbolic links and ".." followed) and must land inside content/; the site
then publishes it under media/<its path relative to content/>, derived from the resolved file, never from the
text as written: "images/../images/logo.svg", "/home/me/kit/content/images/logo.svg" and a link to it are all
"images/logo.svg", so no spelling can reach outside site/media/ or publish a local folder's name.

What an image may be is checked here too (`problem`): at most 2 MB and 4,000 pixels a side, decodable to the
last byte, and an SVG without scripts or references to anything outside itself. What is published of a raster
image is a copy at most 1,000 pixels on its long side (`publishable`): every PDF embeds it and the page loads it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kitgen.content.model import Practice
    from kitgen.content.yamlload import Document
    from kitgen.problems import Problems


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


def case_clashes(practice: Practice, doc: Document, problems: Problems) -> None:
    """Two published images whose paths differ only in case (or in how an accent is encoded): on a Mac, on
    Windows and on case-insensitive hosts they are one file, and one picture silently replaces the other."""
    used = [(("logo",), practice.logo)] + [(("clinicians", i, "photo"), c.photo)
                                           for i, c in enumerate(practice.clinicians)]
    seen: dict[str, tuple[tuple, str]] = {}
    for key, path in used:
        if not path:
            continue
        folded = unicodedata.normalize("NFC", path).casefold()
        first = seen.setdefault(folded, (key, path))
        if first[1] != path:
            problems.error(doc.path, doc.line(key), _field(key), f"{path!r} and {first[1]!r} ({_field(first[0])}, line "
                           f"{doc.line(first[0])}) differ only in upper and lower case, so a Mac, Windows or a "
                           "case-insensitive host keeps one picture for both; rename one of the files")


def _field(key: tuple) -> str:
    """("clinicians", 1, "photo") -> "clinicians[1].photo"."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key).lstrip(".")


# --- what an image may be ---------------------------------------------------------------------------------------

MAX_BYTES = 2 * 1024 * 1024  # a 40 MB logo once made every one-pager 41 MB; now a sign of the wrong export
MAX_SIDE = 4000  # pixels on either side; a logo prints at 15 mm, a photo at 18 mm: 1,000 px is plenty
PUBLISHED_SIDE = 1000  # the largest box (the letter's logo, 45 mm) at 560 dpi; a photo's 144 px at 6x
RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif")
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
_EMBEDDED = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)


def problem(path: Path, shown: str) -> str | None:
    """Why the image file at `path` (written `shown` in the YAML) cannot be published (None when it can): too
    large in bytes or pixels, not decodable, or an SVG with a script or a reference to anything outside it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return (f"{shown!r} is {size / 1_000_000:.1f} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB: export it "
                f"smaller (kitgen publishes at most {PUBLISHED_SIDE:,} pixels on the long side)")
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


def publishable(data: bytes, name: str) -> bytes:
    """The bytes to publish for the image file `name` holding `data` (already accepted by `problem`): a raster
    image larger than PUBLISHED_SIDE on its long side is scaled down (turned upright first, as its camera said)
    and saved again in its own format, which drops its metadata, a phone photo's location included. SVGs, GIFs
    (often animated) and images small enough are published byte for byte. Deterministic: builds stay identical."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".png", ".jpg", ".jpeg", ".webp"):
        return data
    import io

    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as original:
        if max(original.size) <= PUBLISHED_SIDE:
            return data
        icc = original.info.get("icc_profile")
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("P", "PA") else "RGB")
        image.thumbnail((PUBLISHED_SIDE, PUBLISHED_SIDE), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if suffix == ".png":
            image.save(out, "PNG", icc_profile=icc)
        elif suffix == ".webp":
            image.save(out, "WEBP", quality=90, method=4, icc_profile=icc)
        else:
            image = image if image.mode in ("RGB", "L") else image.convert("RGB")
            image.save(out, "JPEG", quality=90, icc_profile=icc)
        return out.getvalue()


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
