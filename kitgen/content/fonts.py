"""The fonts kitgen ships, by the name `brand.font` gives them: each an OFL family in the theme's assets/fonts/.

Only Inter ships today. Another family is one row here and its OTF files (OFL, from a package, never fetched at
build time) in themes/default/assets/fonts/. PDFs embed the OTF files (WeasyPrint subsets them itself); the
landing page gets WOFF2 subsets of the faces marked `web` (documents/webfonts.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Face:
    file: str                  # the OTF's name in the theme's assets/fonts/, without ".otf"
    weight: int
    style: str = "normal"
    web: bool = True           # the landing page uses it, so a WOFF2 subset is made for it


@dataclass(frozen=True)
class Font:
    family: str
    fallback: str              # the CSS generic stack while the font loads, or where a glyph is missing
    faces: tuple[Face, ...]

    @property
    def web_faces(self) -> tuple[Face, ...]:
        return tuple(f for f in self.faces if f.web)

    @property
    def stack(self) -> str:
        """The CSS font-family value."""
        return f'"{self.family}", {self.fallback}'


# The landing page sets text in 400, 600 (labels, buttons) and 700 (headings), never in italic; the PDFs use
# all four faces (italic in talk handouts).
FONTS = {
    "Inter": Font("Inter", "system-ui, sans-serif", (
        Face("Inter-Regular", 400), Face("Inter-Italic", 400, "italic", web=False), Face("Inter-SemiBold", 600),
        Face("Inter-Bold", 700))),
}
DEFAULT_FONT = "Inter"
