"""kitgen.yaml as a typed, validated object: the kit's settings (region, paper, theme, languages, brand, the
report's columns, the outreach plan). Field types and defaults are the schema."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from kitgen.content import languages, looks, regions, rules
from kitgen.content.brand import Palette
from kitgen.content.fonts import BODY_FONTS, DEFAULT_FONT, FONTS, Face, Font
from kitgen.content.rules import SLUG as SLUG  # where other modules have imported it from
from kitgen.content.schema import derived, rule
from kitgen.content.stock import PAPER_MM, CardStock, stock_named, stock_problem

# --- config ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CardOffset:
    """Printer calibration: move every card right (x) and down (y) by this many mm."""

    x_mm: float = rule(rules.offset, 0.0)
    y_mm: float = rule(rules.offset, 0.0)


@dataclass(frozen=True)
class Outreach:
    """The plan's rhythm (kitgen plan, desk/plan.py): seed 000's letter, a call a week later, three attempts over six
    weeks then a six-month pause; seed 001's visit every three months and restocked cards."""

    call_after_days: int = rule(rules.positive, 7)
    attempts: int = rule(rules.positive, 3)
    attempt_weeks: int = rule(rules.positive, 6)
    pause_months: int = rule(rules.positive, 6)
    followup_months: int = rule(rules.positive, 3)
    restock_days: int = rule(rules.positive, 60)
    lunch_offer_days: int = rule(rules.positive, 14)
    thank_within_days: int = rule(rules.positive, 7)


@dataclass(frozen=True)
class Brand:
    """The practice's colours and font, on the landing page and every PDF (content/brand.py derives the rest).
    What is left out is the theme's (content/looks.py): its pair of colours, its text font."""

    primary: str | None = rule(rules.colour("primary"), None)  # default: the theme's
    accent: str | None = rule(rules.colour("accent"), None)    # default: the primary, or the theme's with its primary
    font: str | None = rule(rules.one_of(BODY_FONTS), None)    # default: the theme's (Inter)
    theme: str = derived(looks.DEFAULT)                   # set from kitgen.yaml's theme:

    @property
    def look(self) -> looks.Look:
        return looks.look(self.theme)

    @property
    def palette(self) -> Palette:
        if self.primary is None:
            return Palette.of(self.look.primary, self.accent or self.look.accent)
        return Palette.of(self.primary, self.accent)

    @property
    def typeface(self) -> Font:
        """The text font."""
        return FONTS[self.font or DEFAULT_FONT]

    @property
    def heading_typeface(self) -> Font | None:
        """The headings' font when the theme gives them one of their own; None: the text font."""
        name = self.look.heading_font
        return FONTS[name] if name and FONTS[name] != self.typeface else None

    @property
    def web_faces(self) -> list[tuple[Font, Face]]:
        """The faces the landing page sets, each becoming a WOFF2 subset: the text font's in the theme's weights
        (upright), and the headings' font."""
        text = self.typeface
        faces = [(text, f) for f in text.web_faces if f.weight in self.look.page_weights]
        heading = self.heading_typeface
        return faces + [(heading, f) for f in heading.web_faces] if heading else faces


@dataclass(frozen=True)
class ReportColumns:
    """`kitgen report`: which column of the practice's export holds what, where exports.py does not know it."""

    referred_on: str | None = rule(rules.report_header, None)
    source: str | None = rule(rules.report_header, None)
    first_session_on: str | None = rule(rules.report_header, None)
    sessions: str | None = rule(rules.report_header, None)
    status: str | None = rule(rules.report_header, None)


@dataclass(frozen=True)
class ReportSettings:
    columns: ReportColumns = field(default_factory=ReportColumns)
    dates: str | None = rule(rules.one_of(["month-first", "day-first", "iso"]), None)  # unset: the region's order


@dataclass(frozen=True)
class Config:
    base_url: str = rule(rules.web_url)
    paper: str = rule(rules.one_of(list(PAPER_MM)), None)  # unset: the region's
    card_stock: str = rule(lambda v, _: stock_problem(v), None)  # a preset or an Avery number; unset: the region's
    theme: str = rule(rules.theme, looks.DEFAULT)
    language: str = rule(rules.language, "en")  # a BCP 47 tag: the pieces physicians and office staff read
    patient_languages: list[str] | None = rule(rules.patient_languages, None)  # patient pieces, one per language
    card_offset: CardOffset = field(default_factory=CardOffset)
    card_backs: bool = True
    private_urls: bool = False  # each partner's page under <slug>-<token>/, the token kept in the partner file
    region: str = rule(lambda v, _: regions.problem(v), regions.DEFAULT)  # crisis lines, forms, names, dates
    brand: Brand = field(default_factory=Brand)
    cards_per_clinician: bool = False  # one card sheet per clinician (cards-<clinician>.pdf), not one practice sheet
    crop_marks: bool = False  # crop marks in the bleed of a print shop's cards (printshop-*); many shops want none
    outreach: Outreach = field(default_factory=Outreach)  # kitgen plan's steps and intervals
    gift_limit: float | None = rule(rules.not_negative, None)  # the ledger's yearly limit per physician; unset: us only
    report: ReportSettings = field(default_factory=ReportSettings)  # how `kitgen report` reads the export
    card_colour: str = rule(rules.one_of(["rgb", "cmyk"]), "rgb")  # cmyk: a print shop's cards in its inks (stock.py)

    def __post_init__(self) -> None:
        """Paper and card stock left unset are the region's (settings in kitgen.yaml win)."""
        if _unset(self.paper):
            object.__setattr__(self, "paper", regions.get(self.region).paper)
        if _unset(self.card_stock):
            object.__setattr__(self, "card_stock", regions.get(self.region).card_stock)
        if self.brand.theme != self.theme:  # the brand falls back on the theme's colours and fonts
            object.__setattr__(self, "brand", dataclasses.replace(self.brand, theme=self.theme))

    @property
    def regional(self) -> regions.Region:
        return regions.get(self.region)

    @property
    def patient_tags(self) -> list[str]:
        """The patients' languages as normalized tags; by default the kit's own."""
        return [languages.normalize(t) for t in self.patient_languages or [self.language]]

    def other_language(self, tag: str) -> bool:
        """Whether a patient language is not the kit's own (its pieces then get their own files)."""
        return not languages.same_language(tag, self.language)

    @property
    def stock(self) -> CardStock:
        return stock_named(self.card_stock)

    @property
    def site_root(self) -> str:
        return self.base_url if self.base_url.endswith("/") else self.base_url + "/"


def _unset(value: object) -> bool:
    """Whether a field typed as what it holds once __post_init__ has run (paper, card_stock: a str) is still its
    None default, which __post_init__ replaces."""
    return value is None
