"""The landing page's web fonts: WOFF2 subsets of the brand font's OTF files, made at build time with fontTools.

A physician opens the page from a QR code, often on a clinic's weak mobile signal: the whole OTF faces were about
470 KB of a 480 KB page. The page gets only the faces it uses (fonts.py marks them), cut to the characters of
PAGE_TEXT, about 18 KB each (the built-in faces' come made ahead, in woff2/). The PDFs keep the full OTF files
(WeasyPrint subsets those itself). A character outside the set (a Vietnamese or Greek name, say) is drawn by the
reader's own system font: the @font-face rules declare the set as their unicode-range, so the browser knows before
it downloads anything.
"""

from __future__ import annotations

import functools
import hashlib
import io
from pathlib import Path
from typing import TYPE_CHECKING

from kitgen import record
from kitgen.content.fonts import FONTS, Face, Font
from kitgen.project import builtin_dir

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.render.themes import Theme

EXTENSION, FORMAT = "woff2", "woff2"
FOLDER = "fonts"  # in site/assets/, beside the OTF files they are made from

# The characters a page's text may need, as (first, last) code points: English text and the names in it,
# Spanish and French included (Latin-1: á é í ó ú ñ ü ç è ê ë î ï ô û ù ÿ ¿ ¡ « »), plus Latin Extended-A (œ Œ Ÿ
# and Central European, Turkish and Baltic names: ł ś ž č ğ ş ő), the Romanian comma letters, typographic
# punctuation (dashes, curly quotes, ellipsis, bullets, narrow no-break space), €, ™, arrows, the minus sign and
# the status dot (●) site.css puts before the availability line.
PAGE_TEXT: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E), (0x00A0, 0x00FF), (0x0100, 0x017F), (0x0218, 0x021B),
    (0x2009, 0x200A), (0x2010, 0x2011), (0x2013, 0x2014), (0x2018, 0x201A), (0x201C, 0x201E), (0x2020, 0x2022),
    (0x2026, 0x2026), (0x202F, 0x202F), (0x2032, 0x2033), (0x2039, 0x203A), (0x2044, 0x2044), (0x20AC, 0x20AC),
    (0x2122, 0x2122), (0x2190, 0x2193), (0x2212, 0x2212), (0x25CF, 0x25CF),
)
# OpenType features the page's text uses: kerning, standard ligatures and contextual alternates (Inter's
# arrows and case-aware punctuation), composed accents and mark placement, language-specific forms.
FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk"]
# Name records kept: the family and style names, and the copyright and licence records where the font has them
# (the OFL asks every copy to carry its notice; the theme's fonts/OFL.txt is deployed beside the files too).
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]
# Subsets of the built-in themes' faces, made ahead by scripts/webfont_subsets.py and shipped (as Hugo keeps
# resources/_gen): fontTools takes about 1.5 s of a build's CPU per face, on every first or clean build (a CI
# deploy from a fresh clone), beside the PDF workers. A file is named after the digest of its face's bytes and of
# RECIPE: a face of another content (a project's own Inter-Bold.otf) or a changed recipe is made afresh.
MADE_AHEAD = Path(__file__).with_name("woff2")
RECIPE_VERSION = 1  # raise it when `make_subset` changes in a way the constants above do not show
RECIPE = repr((RECIPE_VERSION, PAGE_TEXT, FEATURES, NAME_IDS)).encode()


def file_name(face: Face) -> str:
    return f"{face.file}.{EXTENSION}"


def faces(kit: Kit) -> list[str]:
    """The fan-out of the web-font kind: one WOFF2 per face the page uses, named after its OTF."""
    return [face.file for _, face in kit.config.brand.web_faces]


def unicode_range() -> str:
    """PAGE_TEXT as a CSS unicode-range value."""
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in PAGE_TEXT)


def font_face(font: Font, face: Face) -> str:
    """The @font-face rule that makes `face` of `font` the page's, from the WOFF2 beside the stylesheet."""
    return (f'@font-face {{ font-family: "{font.family}"; font-weight: {face.weight}; font-style: {face.style}; '
            f'font-display: swap; src: url("{FOLDER}/{file_name(face)}") format("{FORMAT}"); '
            f"unicode-range: {unicode_range()}; }}")


def make(kit: Kit, theme: Theme, variant: str) -> bytes:
    """The WOFF2 subset of face `variant` (an OTF or TTF in the theme's assets/fonts/, the project's first). It is
    made from the copy of that file in the output, which is what its record names."""
    files = theme.static_files()  # not kit.config: a WOFF2 is made from its face's file alone
    otf = next((f"{FOLDER}/{variant}.{ext}" for ext in ("otf", "ttf") if f"{FOLDER}/{variant}.{ext}" in files),
               f"{FOLDER}/{variant}.otf")
    source: Path | None = files.get(otf)
    if source is None:
        raise FileNotFoundError(f"the theme has no assets/{otf} to make the page's web font from")
    record.note(record.output(f"site/assets/{otf}"))
    return subset(source.read_bytes())


@functools.lru_cache(maxsize=16)
def subset(otf: bytes) -> bytes:
    """`otf` (or a TTF) cut to PAGE_TEXT and FEATURES, as WOFF2: the subset made ahead when there is one, else
    made now. Kept per process too (`kitgen serve`, a test suite)."""
    ahead = MADE_AHEAD / made_ahead_name(otf)
    return ahead.read_bytes() if ahead.is_file() else make_subset(otf)


def made_ahead_name(otf: bytes) -> str:
    """The file name a subset of `otf` made ahead has: its face's and RECIPE's digest."""
    return hashlib.sha256(RECIPE + b"\0" + otf).hexdigest()[:24] + f".{EXTENSION}"


def built_in_faces() -> dict[str, Path]:
    """The subsets that ship made ahead: file name -> the built-in face file each is made from (every web face of
    the fonts kitgen ships, in whichever built-in theme has its file)."""
    themes = builtin_dir("themes")
    found: dict[str, Path] = {}
    for font in FONTS.values():
        for face in font.web_faces:
            path = next(themes.glob(f"*/assets/fonts/{face.filename}"))
            found[made_ahead_name(path.read_bytes())] = path
    return found


def make_subset(otf: bytes) -> bytes:
    """The subset made with fontTools (imported here: only a build that makes a web font pays for it), about
    1.5 s per face. Deterministic: the same input gives the same bytes (no timestamp is recalculated)."""
    from fontTools import subset as fonttools_subset
    from fontTools.ttLib import TTFont

    options = fonttools_subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.name_IDs = NAME_IDS
    options.name_languages = [0x0409]  # English (United States), the language Inter's names are in
    options.desubroutinize = True      # compresses better under WOFF2's Brotli
    options.notdef_outline = True
    font = TTFont(io.BytesIO(otf), recalcTimestamp=False, recalcBBoxes=True)
    # TrueType hinting (a third of Vollkorn's subset) is for low-resolution screens; phones ignore it. CFF fonts
    # (Inter) keep their small hints as they were.
    options.hinting = "glyf" not in font
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(unicodes=[u for first, last in PAGE_TEXT for u in range(first, last + 1)])
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()
