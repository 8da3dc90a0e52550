"""The landing page's icon (the browser tab, a bookmark) from the practice's logo.

An SVG logo is the icon as it is: every current browser draws an SVG icon, sharp at any size, and the page
already loads the file. A raster logo (PNG, JPEG, WebP, GIF) becomes site/assets/favicon.png, 48 x 48 pixels
(Google's guidance for site icons: a multiple of 48 px, https://developers.google.com/search/docs/appearance/favicon-in-search),
made with Pillow; no logo, no icon.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kitgen import record

if TYPE_CHECKING:
    from kitgen.content.model import Kit

SIZE = 48
PNG = "png"


@dataclass(frozen=True)
class Icon:
    href: str  # from the site's root
    type: str


def is_vector(logo: str) -> bool:
    return logo.lower().endswith(".svg")


def formats(kit: Kit) -> list[str]:
    """The fan-out of the favicon kind: a PNG for a raster logo, nothing otherwise."""
    logo = kit.practice.logo
    return [PNG] if logo and not is_vector(logo) else []


def icon(kit: Kit, file_name: str) -> Icon | None:
    """What the page links as its icon; `file_name` is where the favicon kind puts its PNG (from the site root)."""
    logo = kit.practice.logo
    if not logo:
        return None
    if is_vector(logo):
        return Icon(f"media/{logo}", "image/svg+xml")
    return Icon(file_name.format(variant=PNG), "image/png")


def make(kit: Kit) -> bytes:
    """The logo, fitted into a transparent 48 px square (centred, its proportions kept), as PNG."""
    from PIL import Image  # Pillow only for a raster logo

    logo = kit.practice.logo
    assert logo, "made only for a raster logo (formats)"
    source = kit.root / "content" / logo
    record.note(record.file(f"content/{logo}"))  # read from disk, not through the kit
    with Image.open(source) as image:
        image.load()
        picture = image.convert("RGBA")
    picture.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    square = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    square.paste(picture, ((SIZE - picture.width) // 2, (SIZE - picture.height) // 2))
    out = io.BytesIO()
    square.save(out, "PNG", optimize=True)
    return out.getvalue()
