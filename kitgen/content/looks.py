"""The built-in themes, and what each supplies when kitgen.yaml's `brand:` leaves it out.

A theme is a folder of templates and assets (themes/<name>/, render/themes.py); a built-in one also has a row
here: its default colours (checked against WCAG 2.2 AA by the tests, as a practice's are when the kit loads), the
font of its headings, and the weights of the text font its landing page sets (only those become web fonts, so a
theme that never sets bold text never makes the page download a bold face).

The brand in kitgen.yaml always wins: `brand.primary` alone replaces the theme's pair of colours (the accent then
follows the primary, as it does in the default theme), and `brand.font` replaces the text font.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitgen.content.brand import DEFAULT_PRIMARY


@dataclass(frozen=True)
class Look:
    summary: str                  # one line for the docs and for `theme:`'s error
    primary: str = DEFAULT_PRIMARY
    accent: str | None = None     # None: the primary
    heading_font: str | None = None  # a name in fonts.FONTS; None: the text font
    page_weights: tuple[int, ...] = (400, 600, 700)  # the text font's weights the landing page sets


DEFAULT = "default"
LOOKS = {
    DEFAULT: Look("teal, Inter throughout, tinted panels"),
    "warm": Look("rust and terracotta, Vollkorn headings, soft rounded panels", primary="#8c3b1e",
                 accent="#c0602a", heading_font="Vollkorn", page_weights=(400, 600)),
    "quiet": Look("near-black and grey, no colour bands, hairlines and white space", primary="#262a2e",
                  accent="#6b7075", page_weights=(400, 600)),
}
BUILTIN_THEMES = list(LOOKS)


def look(theme: str) -> Look:
    """The built-in look of `theme`; a project's own theme (themes/<name>/ in the project) looks like the default
    unless it says otherwise in its CSS."""
    return LOOKS.get(theme, LOOKS[DEFAULT])
