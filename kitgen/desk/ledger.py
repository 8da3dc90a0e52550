"""What was spent on whom: the `cost:` of each contact, totalled per physician and calendar year.

In the US a physician's yearly total is set against the Stark law's non-monetary compensation limit (42 CFR
411.357(k)), which CMS updates every January by the CPI-U: $535 for calendar year 2026 (CMS, "CPI-U Updates",
https://www.cms.gov/medicare/regulations-guidance/physician-self-referral/cpi-u-updates; confirmed for 2026 by Hall
Render via Becker's ASC, https://www.beckersasc.com/?p=98038, and Horty Springer, 2026-01-08). `gift_limit:` in
kitgen.yaml replaces it (next year's figure, or a limit of the practice's own), in any region.
"""

from __future__ import annotations

from dataclasses import dataclass

from kitgen.content import contactlog
from kitgen.content.model import Kit
from kitgen.content.partners import Partner

STARK_LIMIT = 535.0
STARK_YEAR = 2026
WHY = ("Why: meals and gifts for referral sources can fall under the federal Anti-Kickback Statute, and the Stark "
       f"law's non-monetary compensation limit was ${STARK_LIMIT:.0f} per physician for {STARK_YEAR} (CMS, as of "
       "December 2026); this is not legal advice.")
SYMBOLS = {"us": "$", "ca": "$", "au": "$", "nz": "$", "gb": "£", "ie": "€"}


@dataclass(frozen=True)
class Line:
    partner: Partner
    year: int
    total: float
    items: int
    over: bool


def limit(kit: Kit) -> float | None:
    """The yearly limit per physician: `gift_limit`, else the Stark figure in a US kit, else none."""
    if kit.config.gift_limit is not None:
        return kit.config.gift_limit
    return STARK_LIMIT if kit.config.region == "us" else None


def lines(kit: Kit) -> list[Line]:
    """Every physician and year with something spent, by name then year."""
    cap = limit(kit)
    found = []
    for p in sorted(kit.partners, key=lambda p: p.display_name.casefold()):
        years: dict[int, list[float]] = {}
        for c in contactlog.entries(p):
            if c.cost:
                years.setdefault(c.date.year, []).append(c.cost)
        for year, costs in sorted(years.items()):
            total = round(sum(costs), 2)
            found.append(Line(p, year, total, len(costs), cap is not None and total > cap))
    return found


def money(kit: Kit, amount: float) -> str:
    symbol = SYMBOLS.get(kit.config.region, "")
    return f"{symbol}{amount:,.2f}"
