"""The practice's colours, and the contrast every pair of them must keep.

`brand.primary` colours headings, links, buttons and the landing page's masthead; `brand.accent` the rules, box
edges and card accents. The other shades a page needs (the tinted panels, hairlines, the button's hover) are
derived from those two here, so the landing page and every PDF agree, and so no pair kitgen prints can fall
below WCAG 2.2 AA: 4.5:1 for text (SC 1.4.3), 3:1 for user-interface parts and graphics (SC 1.4.11).

Relative luminance and contrast ratio are WCAG 2.2's definitions
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance, https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio;
the 0.04045 threshold as corrected in May 2021: https://w3c.github.io/wcag/guidelines/relative-luminance.html).
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kitgen.problems import Problem

if TYPE_CHECKING:
    from kitgen.content.yamlload import Document

HEX = re.compile(r"#[0-9a-fA-F]{6}")
WHITE = "#ffffff"
BLACK = "#000000"
DEFAULT_PRIMARY = "#0e5f63"  # a deep teal, 7.4:1 on white
TEXT = 4.5  # SC 1.4.3, text below 18 pt (14 pt bold): every brand colour used for text is used at that size
UI = 3.0    # SC 1.4.11, rules, borders and accents

COLOUR_FIELDS = ("primary", "accent")

WASH_TINT = 0.07   # the tinted panels: 7 % of the primary over white
LINE_TINT = 0.22   # hairlines (decorative, so not held to a ratio)
DARK_SHADE = 0.25  # a button's hover: the primary with 25 % black


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def hex_of(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in (red, green, blue))


def luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour: 0 for black, 1 for white."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2.2 contrast ratio, 1 (none) to 21 (black on white); the order does not matter."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`share` of `colour` over `other`, mixed per sRGB channel as a painter mixes (and as CSS's color-mix
    in srgb does)."""
    return hex_of(*(c * share + o * (1 - share) for c, o in zip(rgb(colour), rgb(other))))


def ratio_text(ratio: float, needed: float) -> str:
    """"1.4:1"; a failing ratio never rounds up to the one needed ("4.48:1", not "4.5:1")."""
    shown = f"{ratio:.1f}"
    if ratio < needed and float(shown) >= needed:
        shown = f"{int(ratio * 100) / 100:.2f}"
    return f"{shown}:1"


def nearest_passing(colour: str, passes: Callable[[str], bool]) -> str:
    """The lightest shade of `colour` (same hue and saturation, lower lightness) that `passes`: what to write
    instead. Every background kitgen puts a brand colour on is light, so a darker shade always does better."""
    hue, light, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb(colour)))
    steps = 1000
    for step in range(round(light * steps), 0, -1):
        shade = hex_of(*(c * 255 for c in colorsys.hls_to_rgb(hue, step / steps, saturation)))
        if passes(shade):
            return shade
    return BLACK


@dataclass(frozen=True)
class Pair:
    """One way a brand colour meets a background in kitgen's pages and PDFs."""

    colour: str      # the brand colour (the foreground, or the background under white text)
    background: str
    where: str       # "on white", as the reader meets it
    needed: float

    @property
    def ratio(self) -> float:
        return contrast(self.colour, self.background)


@dataclass(frozen=True)
class Palette:
    """Every colour the theme paints from the brand; its CSS custom properties are the same on the page and on
    paper (site.css and print.css use `var(--primary)` and so on)."""

    primary: str
    accent: str

    @classmethod
    def of(cls, primary: str | None = None, accent: str | None = None) -> Palette:
        primary = (primary or DEFAULT_PRIMARY).lower()
        return cls(primary, (accent or primary).lower())

    @property
    def primary_dark(self) -> str:
        return mix(BLACK, self.primary, DARK_SHADE)

    @property
    def wash(self) -> str:
        """The tinted panels (the referral box, notes, table heads), behind text in the primary colour: as much
        tint as keeps that text at 4.5:1, at most WASH_TINT."""
        percent = round(WASH_TINT * 100)
        while percent and contrast(self.primary, mix(self.primary, WHITE, percent / 100)) < TEXT:
            percent -= 1
        return mix(self.primary, WHITE, percent / 100)

    @property
    def line(self) -> str:
        return mix(self.primary, WHITE, LINE_TINT)

    def properties(self) -> dict[str, str]:
        """The CSS custom properties, without their leading `--`."""
        return {"primary": self.primary, "primary-dark": self.primary_dark, "accent": self.accent,
                "wash": self.wash, "line": self.line, "on-primary": WHITE}

    def pairs(self, field: str) -> list[Pair]:
        """Every text/background pair `field` ("primary" or "accent") takes part in, with the ratio it needs."""
        if field == "primary":
            return [Pair(self.primary, WHITE, "on white", TEXT),  # headings, links; white text on it alike
                    Pair(self.primary, self.wash, f"on its tinted panels ({self.wash})", TEXT),
                    Pair(self.primary_dark, WHITE, "under white text when a button is hovered", TEXT)]
        return [Pair(self.accent, WHITE, "on white", UI)]  # rules, box edges, card accents


def colour_problem(value: str, field: str) -> str | None:
    """Why `value` cannot be brand.<field> (not #rrggbb, or too little contrast somewhere it is used), with the
    nearest shade that would pass; None when it can."""
    if not HEX.fullmatch(value):
        return f"{value!r} is not a colour: write it as \"#rrggbb\", in quotes, e.g. \"#8a3b12\""
    def palette(colour: str) -> Palette:
        return Palette.of(colour) if field == "primary" else Palette.of(accent=colour)

    def passes(colour: str) -> bool:
        return all(pair.ratio >= pair.needed for pair in palette(colour).pairs(field))

    failing = next((pair for pair in palette(value).pairs(field) if pair.ratio < pair.needed), None)
    if failing is None:
        return None
    return (f"{value} has contrast {ratio_text(failing.ratio, failing.needed)} {failing.where} "
            f"(needs {failing.needed:g}:1); nearest passing shade {nearest_passing(value, passes)}")


def unquoted(doc: Document) -> list[Problem]:
    """`primary: #8a3b12` without quotes is a YAML comment, so the key reads as empty and the default colour
    would win without a word: an error, located, with the fix."""
    data = doc.data if isinstance(doc.data, dict) else {}
    brand = data.get("brand")
    return [Problem(doc.path, doc.line(("brand", name)), f"brand.{name}",
                    f'is empty: put the colour in quotes, e.g. {name}: "#8a3b12" (a # outside quotes starts a '
                    "YAML comment)")
            for name in COLOUR_FIELDS if isinstance(brand, dict) and name in brand and brand[name] is None]
