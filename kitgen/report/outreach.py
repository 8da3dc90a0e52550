"""The report's desk part: where each relationship stands and its trend, seed 003's questions answered from the
practice's own data (referrals per hour of outreach, conversion, which activities came before referrals) and
the ledger. Counts only: no referral date leaves figures.py's internals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kitgen.content.model import Kit
from kitgen.desk import ledger, standing
from kitgen.report.figures import PartnerFigures, Report

BEFORE_DAYS = 90
ACTIVITIES = ("visit", "lunch-and-learn", "letter", "call", "e-mail", "thank-you")


@dataclass(frozen=True)
class Row:
    figures: PartnerFigures
    standing: standing.Standing
    per_hour: float | None   # referrals per hour logged

    @property
    def trend(self) -> list[int]:
        """Referrals per 30 days, oldest first, over the last six windows: the small per-partner trend."""
        c = self.standing.counts
        return list(reversed(c.windows[:6])) if c else []


@dataclass(frozen=True)
class DeskPart:
    figures: standing.Figures
    rows: list[Row]
    preceded: list[tuple[str, int]]  # activity -> partner referrals with one in the 90 days before
    unprompted: int                  # partner referrals with no contact logged in the 90 days before
    partner_referrals: int
    ledger: list[ledger.Line]
    limit: float | None
    us: bool

    def with_status(self, status: str) -> list[Row]:
        return [r for r in self.rows if r.standing.status == status]

    def with_trend(self, trend: str) -> list[Row]:
        return [r for r in self.rows if r.standing.trend == trend]


def compute(kit: Kit, report: Report) -> DeskPart:
    counts = {p.partner.slug: standing.counts(p.referrals.since, report.today, p.since_thank_you)
              for p in report.partners}
    figures = standing.Figures(report.today, counts)
    rows = [Row(p, standing.standing(p.partner, figures),
                p.referrals.total.referrals / (p.minutes / 60) if p.minutes else None) for p in report.partners]
    preceded = dict.fromkeys(ACTIVITIES, 0)
    unprompted = total = 0
    for p in report.partners:
        for day, n in p.referrals.since.items():
            total += n
            kinds = {c.kind for c in p.log if day - datetime.timedelta(days=BEFORE_DAYS) <= c.date <= day}
            for kind in ACTIVITIES:
                preceded[kind] += n if kind in kinds else 0
            unprompted += 0 if kinds else n
    return DeskPart(figures, rows, [(k, n) for k, n in preceded.items()], unprompted, total, ledger.lines(kit),
                    ledger.limit(kit), kit.config.region == "us")
