"""Paper sizes, precut card stocks and print shops' cards, as data: adding a stock is adding one line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kitgen.problems import Problem

if TYPE_CHECKING:
    from kitgen.content.yamlload import Document

PAPER_MM = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}


@dataclass(frozen=True)
class CardStock:
    """One sheet of precut cards, in mm. Right margin = left and bottom = top on every real stock.

    A print shop's card is a "sheet" of one card: its page is the card itself (paper "card"), with `bleed` mm of
    artwork past the trim on every side for the shop's cutter; precut stock has no bleed."""

    name: str
    paper: str
    card_w: float
    card_h: float
    columns: int
    rows: int
    left: float
    top: float
    h_gap: float
    v_gap: float
    bleed: float = 0.0

    @property
    def print_shop(self) -> bool:
        """Cards a print shop cuts: one card per page, with bleed (a PDF TrimBox and BleedBox)."""
        return self.bleed > 0

    @property
    def page_mm(self) -> tuple[float, float]:
        """The page's size (the trim, for a print shop's card; the bleed is added around it)."""
        return (self.card_w, self.card_h) if self.print_shop else PAPER_MM[self.paper]

    def cells(self, dx: float = 0.0, dy: float = 0.0) -> list[tuple[float, float]]:
        """Top-left corner of every card, row by row, shifted by a calibration offset."""
        return [(self.left + dx + c * (self.card_w + self.h_gap), self.top + dy + r * (self.card_h + self.v_gap))
                for r in range(self.rows) for c in range(self.columns)]


#              name            paper    card w  card h  cols rows  left   top    h-gap  v-gap  bleed
_TABLE = [
    ("avery-5371",   "letter", 88.9, 50.8, 2, 5, 19.05, 12.7, 0.0, 0.0, 0.0),
    ("avery-8869",   "letter", 88.9, 50.8, 2, 4, 12.7, 19.05, 12.7, 12.7, 0.0),
    ("avery-c32011", "a4",     85.0, 54.0, 2, 5, 15.0, 13.5, 10.0, 0.0, 0.0),
    ("avery-l7414",  "a4",     90.0, 52.0, 2, 5, 15.0, 18.5, 0.0, 0.0, 0.0),
    # Print shops: one card per page, the trim size with bleed around it (docs/printing.md names the shops and
    # their published specs): 3.5 x 2 in with 1/8 in bleed (North America), 85 x 55 mm (Britain, Ireland,
    # Europe) and 90 x 55 mm (Australia, New Zealand) with 3 mm.
    ("printshop-us", "card",   88.9, 50.8, 1, 1, 0.0, 0.0, 0.0, 0.0, 3.175),
    ("printshop-uk", "card",   85.0, 55.0, 1, 1, 0.0, 0.0, 0.0, 0.0, 3.0),
    ("printshop-au", "card",   90.0, 55.0, 1, 1, 0.0, 0.0, 0.0, 0.0, 3.0),
    # MOO's standard card (Original, Luxe, Green, Rounded Corners): trim 84 x 55 mm, artwork 88 x 59 mm, so 2 mm of
    # bleed, as a template made for MOO's upload gives it (github.com/kurren/business-cards, README: "Artwork 88mm
    # x 59mm", "Card Size 84mm x 55mm"; MOO's own help pages could not be read here). Text and code stay 4 mm
    # inside the trim as on every preset, more than the 3 mm safe area other shops ask.
    ("printshop-moo", "card",  84.0, 55.0, 1, 1, 0.0, 0.0, 0.0, 0.0, 2.0),
]
STOCKS = {row[0]: CardStock(*row) for row in _TABLE}


# Avery product numbers sold with the same sheet layout as a preset. They come from glabels-qt's templates
# (templates/avery-us-templates.xml, `equiv="5371"` and `equiv="8373"`),
# not from Avery directly: Avery's own compatibility pages could not be consulted. Numbers found nowhere (38371,
# 5870, 8870, 5874, L7415) are deliberately absent.
_SAME_AS = {
    "avery-5371": [5372, 5376, 5377, 5871, 5872, 5873, 5876, 5877, 5878, 5911, 6235, 8271, 8371, 8372, 8374, 8376,
                   8377, 8379, 8471, 8476, 8571, 8871, 8872, 8873, 8876, 8877, 8878, 8879, 25371, 26550, 26551,
                   27870, 27871, 27876, 27881, 27882, 28371, 28876, 28877],
    "avery-8869": [3612, 5881, 8373, 28373],
}
ALIASES = {f"avery-{number}": preset for preset, numbers in _SAME_AS.items() for number in numbers}


def stock_named(name: str) -> CardStock:
    """The preset for a stock name or an Avery number that shares a preset's layout."""
    return STOCKS[ALIASES.get(name, name)]


def stock_problem(name: str) -> str | None:
    """Why `name` is not a card stock kitgen can print on (None when it is)."""
    if name in STOCKS or name in ALIASES:
        return None  # no "did you mean": a near number is often another sheet, and a wrong sheet wastes a pack
    return (f"unknown value {name!r}; choose one of: {', '.join(STOCKS)}, or an Avery number with the same layout "
            f"as one of them (e.g. avery-8371, avery-5911, avery-8373)")


def setting_problems(config: Any, doc: Document) -> list[Problem]:
    """kitgen.yaml's print settings that its card stock cannot use: crop marks need a print shop's card (precut
    stock is already cut, and marks need bleed to sit in); a calibration offset is for a desktop printer, so a
    print shop's card ignores it (a warning)."""
    stock = stock_named(config.card_stock)
    problems = []
    if config.crop_marks and not stock.print_shop:
        problems.append(Problem(doc.path, doc.line(("crop_marks",)), "crop_marks",
                                f"crop marks are for cards a print shop cuts, and {stock.name} is precut stock; "
                                f"set card_stock to {', '.join(n for n, s in STOCKS.items() if s.print_shop)}, "
                                f"or remove crop_marks"))
    if config.card_colour == "cmyk" and not stock.print_shop:
        problems.append(Problem(doc.path, doc.line(("card_colour",)), "card_colour",
                                f"CMYK is for cards a print shop prints, and {stock.name} is precut stock for an "
                                f"office printer (which takes RGB); set card_stock to "
                                f"{', '.join(n for n, s in STOCKS.items() if s.print_shop)}, or remove card_colour"))
    offset = config.card_offset
    if stock.print_shop and (offset.x_mm or offset.y_mm):
        problems.append(Problem(doc.path, doc.line(("card_offset",)), "card_offset",
                                f"calibrates a desktop printer on precut stock; {stock.name} cards are printed by "
                                f"the shop, so the offset is not used", "warning"))
    return problems
