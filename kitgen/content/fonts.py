"""The fonts kitgen ships, by the name `brand.font` gives them: each an OFL family in the theme's assets/fonts/.

Inter (the text of every theme) is in themes/default/assets/fonts/; Vollkorn SemiBold, the warm theme's headings,
in themes/warm/assets/fonts/ (each folder with its OFL.txt). Another family is one row here and its font files
(OFL, from a package, never fetched at build time) in a theme's assets/fonts/. PDFs embed the files (WeasyPrint
subsets them itself); the landing page gets WOFF2 subsets of the faces the theme's page uses
(documents/webfonts.py, content/looks.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Face:
    file: str                  # the font file's name in the theme's assets/fonts/, without its extension
    weight: int
    style: str = "normal"
    web: bool = True           # the landing page uses it, so a WOFF2 subset is made for it
    ext: str = "otf"           # "otf" (CFF outlines) or "ttf" (TrueType outlines)

    @property
    def filename(self) -> str:
        return f"{self.file}.{self.ext}"


@dataclass(frozen=True)
class Font:
    family: str
    fallback: str              # the CSS generic stack while the font loads, or where a glyph is missing
    faces: tuple[Face, ...]
    body: bool = True          # has the faces running text needs (400, its italic, 600, 700): brand.font may name it

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
    # Vollkorn 4.105 (Friedrich Althausen, OFL 1.1, no reserved name), from Debian's fonts-vollkorn: one face, for
    # headings only, so the warm theme ships 450 KB more and its page about 24 KB.
    "Vollkorn": Font("Vollkorn", "Georgia, serif", (Face("Vollkorn-SemiBold", 600, ext="ttf"),), body=False),
}
BODY_FONTS = [name for name, font in FONTS.items() if font.body]
DEFAULT_FONT = "Inter"
