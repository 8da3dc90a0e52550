"""Where each relationship stands, derived from the contacts log and the last report's figures, never typed.

prospect (in the kit, no contact yet), reaching out (contacts, no meeting), met (a visit or lunch-and-learn),
referring (a referral in the 90 days before the last report), lapsed (referred before, none in those 90 days);
and two flags against each partner's own trailing average: new (first referrals in the last 90 days) and
declining (the last 30 days below half the average of the 90 days before), after WebPT's Lead/Active/Inactive
and its "spread" of each referrer against its own three-month average.

The report keeps its figures for this in output/desk/standing.json: per partner, referral counts in 30-day windows
counted back from the report's date, never a referral's own date (health information stays out of kitgen's files).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from kitgen.content import contactlog
from kitgen.content.partners import Partner

FILE = "standing.json"
WINDOW_DAYS = 30
WINDOWS = 12          # a year of 30-day windows; anything older counts as `earlier`
RECENT = 3            # windows in "the last 90 days"
STATUSES = ("prospect", "reaching out", "met", "referring", "lapsed")


@dataclass(frozen=True)
class Counts:
    """One partner's referrals as the last report counted them."""

    windows: tuple[int, ...]   # referrals per 30-day window back from the report's date: [0] is the latest
    earlier: int               # referrals before the first window
    since_thank_you: int       # referrals after the last thank-you logged when the report ran

    @property
    def recent(self) -> int:
        return sum(self.windows[:RECENT])

    @property
    def total(self) -> int:
        return sum(self.windows) + self.earlier

    @property
    def trailing_average(self) -> float:
        """Referrals per 30 days over the three windows before the latest."""
        return sum(self.windows[1:1 + RECENT]) / RECENT


def counts(by_day: dict[datetime.date, int], as_of: datetime.date, since_thank_you: int) -> Counts:
    windows = [0] * WINDOWS
    earlier = 0
    for day, n in by_day.items():
        i = (as_of - day).days // WINDOW_DAYS
        if 0 <= i < WINDOWS:
            windows[i] += n
        elif i >= WINDOWS:
            earlier += n
    return Counts(tuple(windows), earlier, since_thank_you)


@dataclass(frozen=True)
class Figures:
    """The last report's counts, by partner slug."""

    as_of: datetime.date
    partners: dict[str, Counts]

    def to_json(self) -> bytes:
        data = {"as_of": self.as_of.isoformat(), "window_days": WINDOW_DAYS,
                "partners": {slug: {"windows": list(c.windows), "earlier": c.earlier,
                                    "since_thank_you": c.since_thank_you} for slug, c in sorted(self.partners.items())}}
        return (json.dumps(data, indent=1) + "\n").encode("utf-8")


def load(desk: Path) -> Figures | None:
    """The last report's figures, or None when no report ran yet (or its file is unreadable: run it again)."""
    try:
        data = json.loads((Path(desk) / FILE).read_text(encoding="utf-8"))
        return Figures(datetime.date.fromisoformat(data["as_of"]), {
            slug: Counts(tuple(int(n) for n in c["windows"]), int(c["earlier"]), int(c["since_thank_you"]))
            for slug, c in data["partners"].items()})
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Standing:
    status: str              # one of STATUSES
    trend: str | None        # "new", "declining" or None
    counts: Counts | None    # None: no report yet, or the partner was not in it

    @property
    def label(self) -> str:
        return self.status + (f", {self.trend}" if self.trend else "")


def standing(partner: Partner, figures: Figures | None) -> Standing:
    found = figures.partners.get(partner.slug) if figures else None
    if found is not None and found.total:
        status = "referring" if found.recent else "lapsed"
        trend = None
        if found.recent and found.total == found.recent:
            trend = "new"
        elif found.trailing_average and found.windows[0] < found.trailing_average / 2:
            trend = "declining"
        return Standing(status, trend, found)
    log = contactlog.entries(partner)
    if any(c.kind in contactlog.VISIT_KINDS for c in log):
        return Standing("met", None, found)
    return Standing("reaching out" if log else "prospect", None, found)
