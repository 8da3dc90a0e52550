"""Text that must fit a fixed box (a business card) is set as large as it fits, down to a floor, and never cut.

A template lists a box's lines of text, each with its largest and smallest type size and how many lines it may
take; `fit_box(...)` shrinks them together (so the hierarchy holds) until each keeps to its lines and all of them
to the box's height, and returns the sizes to print. What cannot fit even at its floor stops the build with a
located problem naming the field to shorten, instead of text cut short or pushed off the card.

Widths are measured in the kit's own font files (Inter, and a theme's heading font; advance widths, kerning
ignored, a small margin added), and lines are broken at spaces only, so the measure is never shorter than what
WeasyPrint sets: a text that fits here fits on paper.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import jinja2
from jinja2 import pass_context
from markupsafe import Markup

from kitgen.content.yamlload import load
from kitgen.problems import Problems

if TYPE_CHECKING:
    from PIL import ImageFont

    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner

from kitgen.content.fonts import DEFAULT_FONT, FONTS, Font
from kitgen.problems import ContentError, Problem

PT_MM = 25.4 / 72
MARGIN = 1.03        # measured widths are stretched this much: kerning, hinting, rounding
STEP = 0.02          # the type shrinks by 2 % of its largest size per try


class Unfit(ContentError):
    """A text that does not fit its box even at the smallest type allowed (a located problem)."""


@dataclass(frozen=True)
class Line:
    """One text of a box, as a template describes it."""

    key: str                 # the name the template reads its size by
    text: str
    base: float              # pt: the size it is designed at
    floor: float             # pt: the smallest it may be printed at
    lines: int               # the most lines it may take
    field: str               # what to shorten: "name", "clinicians", "crisis.lines", "partner:name", "theme:..."
    weight: int = 400
    leading: float = 1.25    # line height, as a multiple of the size
    after: float = 0.0       # mm of space below it
    anywhere: bool = False   # a web address may break after / . @ too; other text breaks at spaces only


class _LineRequired(TypedDict):
    key: str
    text: str
    base: float
    floor: float
    lines: int
    field: str


class LineFields(_LineRequired, total=False):
    """A Line as a template passes it to fit_box: a dict of its fields."""

    weight: int
    leading: float
    after: float
    anywhere: bool


class Fonts:
    """Advance widths in the kit's fonts (the theme's assets/fonts/, a project's own first), measured with
    FreeType through Pillow (WeasyPrint's own dependency), each face opened when first needed. A text is measured
    in every font a theme may set it in (the text font, and the headings' font of a theme that has one) and the
    widest counts, so a theme may give a card's name line either font and still never be cut."""

    UNITS = 1000  # the faces are opened at this many pixels to the em: widths in thousandths of an em

    def __init__(self, assets: Callable[[], Mapping[str, Path]], typefaces: Sequence[Font] = (),
                 opened: dict[str, ImageFont.FreeTypeFont] | None = None):
        self.assets = assets  # the theme's static files: relative name -> file
        self.typefaces = tuple(typefaces) or (FONTS[DEFAULT_FONT],)
        self._opened: dict[str, ImageFont.FreeTypeFont] = {} if opened is None else opened

    def of(self, typefaces: Sequence[Font]) -> Fonts:
        """The same measure in `typefaces` (the faces already opened are shared)."""
        return Fonts(self.assets, typefaces, self._opened)

    def _face(self, filename: str) -> ImageFont.FreeTypeFont:
        if filename not in self._opened:
            from PIL import ImageFont  # here, not at start-up: most commands never measure text
            self._opened[filename] = ImageFont.truetype(str(self.assets()[f"fonts/{filename}"]), size=self.UNITS,
                                                        layout_engine=ImageFont.Layout.BASIC)
        return self._opened[filename]

    def width(self, text: str, size: float, weight: int) -> float:
        """mm that `text` takes at `size` pt in the face nearest `weight` (advance widths, no kerning), in the
        widest of the fonts."""
        widest = 0.0
        for font in self.typefaces:
            upright = [f for f in font.faces if f.style == "normal"]
            face = min(upright, key=lambda f: abs(f.weight - weight))
            widest = max(widest, self._face(face.filename).getlength(text))
        return widest / self.UNITS * size * PT_MM * MARGIN


def count_lines(fonts: Fonts, text: str, size: float, weight: int, width: float, anywhere: bool) -> int | None:
    """How many lines `text` takes in `width` mm, breaking at spaces (a no-break space holds), and a web address
    (`anywhere`) after / . @ as render/filters.py lets it; None when a word (or an address's piece) is wider than
    the box."""
    space = fonts.width(" ", size, weight)
    lines, used = 1, 0.0
    for word in text.split(" "):
        if not word:
            continue
        w = fonts.width(word, size, weight)
        if w > width:
            if not anywhere:
                return None
            lines += 0 if used == 0 else 1
            used = 0.0
            for piece in re.split(r"(?<=[/.@])(?=.)", word):  # a web address breaks after / . @ only
                c = fonts.width(piece, size, weight)
                if c > width:
                    return None
                if used + c > width:
                    lines, used = lines + 1, 0.0
                used += c
            continue
        if used and used + space + w > width:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0.0) + w
    return lines


@dataclass(frozen=True)
class Fitted:
    sizes: dict[str, float]
    height: float  # mm the text takes


def fit(fonts: Fonts, items: Sequence[Line], width: float, height: float) -> Fitted | Line:
    """The largest common scale at which every line keeps to its lines and all fit `height` mm; else the line
    to blame (the one over its lines at its floor, else the tallest)."""
    scale = 1.0
    while True:
        sizes = {i.key: max(i.floor, round(i.base * scale, 2)) for i in items}
        counts = [count_lines(fonts, i.text, sizes[i.key], i.weight, width, i.anywhere) for i in items]
        over = [i for i, n in zip(items, counts) if n is None or n > i.lines]
        if not over:
            used = sum(n * sizes[i.key] * i.leading * PT_MM + i.after for i, n in zip(items, counts) if n)
            if used <= height:
                return Fitted(sizes, used)
        if all(sizes[i.key] <= i.floor for i in items):
            if over:
                return over[0]
            return max(zip(items, counts), key=lambda pair: (pair[1] or 0) * pair[0].floor)[0]
        scale -= STEP


def located(kit: Kit, partner: Partner | None, line: Line, piece: str, template: str) -> Problem:
    """The problem for `line`: at its field in practice.yaml or the partner's file, or at the template."""
    floor = f"{line.floor:g} pt"
    what = f"{line.text!r} does not fit the {piece} even at {floor}, the smallest type it may use"
    if line.field.startswith("theme:"):
        return Problem(template, 0, "theme", f"{what}; shorten the template's wording")
    if line.field.startswith("partner:"):
        field = line.field.removeprefix("partner:")
        assert partner is not None, "a partner's field is printed only on a partner's document"
        return Problem(partner.source, _partner_line(kit, partner, field), field, f"{what}; shorten it")
    path = tuple(int(p) if p.isdigit() else p for p in line.field.split("."))
    advice = "; shorten it"
    if line.field == "clinicians":
        advice = "; shorten the names, or print a sheet per clinician (cards_per_clinician: true in kitgen.yaml)"
    return Problem("content/practice.yaml", kit.practice_line(*path), line.field, what + advice)


def _partner_line(kit: Kit, partner: Partner, field: str) -> int:
    doc = load(Path(kit.root) / partner.source, partner.source, Problems())
    return doc.line((field,)) if doc is not None else 0


def install(env: jinja2.Environment, fonts: Fonts) -> None:
    """`fit_box(width, height, items, piece)` for templates: items are dicts of Line's fields; the result maps
    each key to its size in pt (and `height` to the mm used). Raises Unfit, located, when something cannot fit."""

    @pass_context
    def fit_box(context: jinja2.runtime.Context, width: float, height: float, items: Sequence[LineFields],
                piece: str = "business card") -> dict[str, float]:
        lines = [_as_printed(Line(**item)) for item in items if item]
        brand = context["config"].brand
        found = fit(fonts.of([brand.typeface, *filter(None, [brand.heading_typeface])]), lines, width, height)
        if isinstance(found, Line):
            raise Unfit([located(context["kit"], context.get("partner"), found, piece, context.name or "")])
        return {**found.sizes, "height": round(found.height, 2)}

    env.globals["fit_box"] = fit_box


def _as_printed(line: Line) -> Line:
    """A text measured as it prints: Markup without its tags and with its entities read; no-break spaces kept
    (striptags would turn them into spaces)."""
    if not isinstance(line.text, Markup):
        return replace(line, text=str(line.text))
    text = Markup(str(line.text).replace("\u00a0", "\x00")).striptags().replace("\x00", "\u00a0")
    return replace(line, text=text)
