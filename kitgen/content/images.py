"""Images the kit publishes (the logo, clinicians' photos): where they are, and the path they are published under.

A path in practice.yaml is resolved (symbolic links and ".." followed) and must land inside content/; the site
then publishes it under media/<its path relative to content/>, derived from the resolved file, never from the
text as written: "images/../images/logo.svg", "/home/me/kit/content/images/logo.svg" and a link to it are all
"images/logo.svg", so no spelling can reach outside site/media/ or publish a local folder's name.

What an image may be is checked here too (`problem`): at most 2 MB and 4,000 pixels a side, decodable to the
last byte, and an SVG without scripts or references to anything outside itself. What is published is never the
file as it is (`publishable`), and every PDF embeds what the page loads: a raster image saved again without its
metadata (EXIF, XMP, comments, text chunks), upright and at most 1,000 pixels on its long side; an SVG cleaned of
comments, <metadata> and editor attributes. The SVG's check and its cleaning are one function (svg.py's `clean`): what
`check` accepts, `build` publishes.
"""

from __future__ import annotations

import io
from pathlib import Path

from kitgen.content import svg


def content_path(content_dir: Path, value: str) -> str | None:
    """`value` (relative to content/, or absolute) as the resolved file's path relative to content/, or None when
    it resolves outside content/."""
    root = Path(content_dir).resolve()
    target = (root / value).resolve()
    if target == root or not target.is_relative_to(root):
        return None
    return target.relative_to(root).as_posix()


MAX_BYTES = 2 * 1024 * 1024  # a 40 MB logo once made every one-pager 41 MB; now a sign of the wrong export
MAX_SIDE = 4000  # pixels on either side; a logo prints at 15 mm, a photo at 18 mm: 1,000 px is plenty
PUBLISHED_SIDE = 1000  # the largest box (the letter's logo, 45 mm) at 560 dpi; a photo's 144 px at 6x
RASTER = (".png", ".jpg", ".jpeg", ".webp", ".gif")


def problem(path: Path, shown: str) -> str | None:
    """Why the image file at `path` (written `shown` in the YAML) cannot be published (None when it can): too
    large in bytes or pixels, not decodable, or an SVG with a script or a reference to anything outside it."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return (f"{shown!r} is {size / 1_000_000:.1f} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB: export it "
                f"smaller (kitgen publishes at most {PUBLISHED_SIDE:,} pixels on the long side)")
    if path.suffix.lower() == ".svg":
        found = svg.problem(path.read_bytes())
        return f"{shown!r} {found}" if found else None
    return _raster_problem(path, shown)


def _raster_problem(path: Path, shown: str) -> str | None:
    from PIL import Image, ImageFile  # lazy: plan, followups and prospect load a kit without Pillow

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
    """The bytes to publish for the image file `name` holding `data` (already accepted by `problem`): an SVG
    cleaned (`svg.clean`), a raster image saved again (`_raster`). Never the file as it is: a headshot's EXIF
    holds where it was taken (often the clinician's home), the camera and the artist; a PNG's text chunks a local
    path; an SVG's comments and editor attributes the file it was exported to. Deterministic: builds stay
    identical."""
    suffix = Path(name).suffix.lower()
    if suffix == ".svg":
        clean, found = svg.clean(data)
        assert clean is not None, found  # `problem` refused it at check
        return clean
    if suffix in RASTER:
        return _raster(data, suffix)
    return data


def _raster(data: bytes, suffix: str) -> bytes:
    """The raster image saved again in its own format with Pillow, nothing of the file kept but its pixels, its
    transparency and its ICC colour profile (colours stay as designed): no EXIF (location, camera, artist), XMP,
    comments or text chunks. Turned upright as its camera recorded (the orientation is then applied, not kept),
    and scaled down to PUBLISHED_SIDE on its long side when larger. A JPEG of the right size keeps its own
    quantisation tables and subsampling (no visible loss, no growth); a scaled one is saved at quality 90. A GIF
    is published as its first frame: every PDF prints only that frame, so the page now shows what the print
    shows, and no comment or application block (XMP) of any frame is carried over."""
    from PIL import Image, ImageOps, JpegImagePlugin  # lazy: as in _raster_problem

    with Image.open(io.BytesIO(data)) as original:
        original.seek(0)  # an animated GIF or WebP: the first frame
        icc = original.info.get("icc_profile")
        tables = getattr(original, "quantization", None) if original.format == "JPEG" else None
        sampling = JpegImagePlugin.get_sampling(original) if tables else -1
        image = ImageOps.exif_transpose(original)  # always a copy: `original` is closed after this block
        transparency = image.info.get("transparency")
    scaled = max(image.size) > PUBLISHED_SIDE
    if scaled:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if transparency is not None or image.mode in ("P", "PA") else "RGB")
            transparency = None
        image.thumbnail((PUBLISHED_SIDE, PUBLISHED_SIDE), Image.Resampling.LANCZOS)
    image.info = {}  # Pillow writes back a JPEG's or a GIF's comment, XMP and EXIF found here: nothing is kept
    options: dict[str, object] = {"icc_profile": icc} if icc else {}
    out = io.BytesIO()
    if suffix == ".png":
        if transparency is not None:
            options["transparency"] = transparency
        image.save(out, "PNG", optimize=True, **options)
    elif suffix == ".gif":
        if transparency is not None and image.mode in ("P", "L"):
            options["transparency"] = transparency
        image.save(out, "GIF", **options)
    elif suffix == ".webp":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or transparency is not None else "RGB")
        lossless = _webp_lossless(data)
        image.save(out, "WEBP", lossless=lossless, quality=100 if lossless else 90, method=4, exact=lossless,
                   **options)
    else:
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        if tables and not scaled and image.mode == original.mode:
            options.update(qtables=tables, subsampling=sampling)
        else:
            options["quality"] = 90
        image.save(out, "JPEG", optimize=True, **options)
    return out.getvalue()


def _webp_lossless(data: bytes) -> bool:
    """Whether a WebP file holds lossless pixels (a VP8L chunk): saved again losslessly, a logo stays exact."""
    at = 12
    while at + 8 <= len(data):
        chunk, size = data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "little")
        if chunk in (b"VP8 ", b"VP8L"):
            return chunk == b"VP8L"
        at += 8 + size + (size & 1)
    return False
