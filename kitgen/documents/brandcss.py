"""site/assets/brand.css: the brand of kitgen.yaml (colours and font) as the landing page's CSS custom properties
and @font-face rules. Made in code, not copied, so a practice changes its colours in kitgen.yaml alone; the page
links it before site.css, which only uses the properties. print.css sets the same properties for the PDFs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitgen.documents import webfonts

if TYPE_CHECKING:
    from kitgen.content.model import Kit


def stylesheet(kit: Kit) -> bytes:
    """The brand.css of `kit` (read through the kit, so the file is recorded as made from kitgen.yaml)."""
    brand = kit.config.brand
    properties = {**brand.palette.properties(), "font": brand.typeface.stack}
    if brand.heading_typeface:  # a theme's headings in a font of their own (the default theme has none)
        properties["heading-font"] = brand.heading_typeface.stack
    lines = ["/* Made by kitgen from brand: in kitgen.yaml (docs/theming.md). Edit that, not this file. */"]
    lines += [webfonts.font_face(font, face) for font, face in brand.web_faces]
    lines.append(":root {")
    lines += [f"  --{name}: {value};" for name, value in properties.items()]
    lines.append("}")
    return ("\n".join(lines) + "\n").encode()
