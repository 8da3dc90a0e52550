"""The report's numbers: referrals per source and calendar quarter, what became of them, and the partners'
relationship logs set against them. Only counts, medians and quarters leave this module: never a row, a full
referral date or a status text.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from typing import Any

from kitgen.content import contactlog
from kitgen.content.model import Kit
from kitgen.content.partners import Partner, PartnerContact
from kitgen.documents.followups import MONTHS, add_months
from kitgen.report.match import Matcher, Source
from kitgen.report.read import Referral, Referrals

CSV_HEADER = ("partner", "source", "quarter", "referrals", "first_sessions", "median_sessions")


def quarter(day: datetime.date) -> str:
    """Calendar quarter: 2026-08-20 -> '2026-Q3'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last`, both included: '2025-Q4', '2026-Q1', ..."""
    year, q = int(first[:4]), int(first[-1])
    found = []
    while f"{year}-Q{q}" <= last:
        found.append(f"{year}-Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return found


@dataclass
class Tally:
    """Referrals of one source (in one quarter, or in all): how many, how many started, and how it went."""

    referrals: int = 0
    first_sessions: int = 0
    sessions: list[int] = field(default_factory=list)   # of referrals with a first session and a session count
    days: list[int] = field(default_factory=list)       # referral to first session

    def add(self, row: Referral) -> None:
        self.referrals += 1
        if row.first_session_on is not None:
            self.first_sessions += 1
            self.days.append((row.first_session_on - row.referred_on).days)
            if row.sessions is not None:
                self.sessions.append(row.sessions)

    @property
    def conversion(self) -> float | None:
        return self.first_sessions / self.referrals if self.referrals else None

    @property
    def median_sessions(self) -> float | None:
        return statistics.median(self.sessions) if self.sessions else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@dataclass
class SourceFigures:
    source: Source
    total: Tally = field(default_factory=Tally)
    by_quarter: dict[str, Tally] = field(default_factory=dict)
    since: dict[datetime.date, int] = field(default_factory=dict)  # referral date -> count; for "since the thank-you"

    def add(self, row: Referral) -> None:
        self.total.add(row)
        self.by_quarter.setdefault(quarter(row.referred_on), Tally()).add(row)
        self.since[row.referred_on] = self.since.get(row.referred_on, 0) + 1

    def referrals_after(self, day: datetime.date | None) -> int:
        return sum(n for d, n in self.since.items() if day is None or d > day)


@dataclass
class PartnerFigures:
    """A partner's referrals next to the relationship log."""

    partner: Partner
    referrals: SourceFigures
    log: list[PartnerContact]
    last_contact: PartnerContact | None
    last_thank_you: PartnerContact | None
    visits: int
    minutes: int
    since_thank_you: int

    @property
    def contacts(self) -> int:
        return len(self.log)

    def contacts_in(self, q: str) -> int:
        return sum(quarter(c.date) == q for c in self.log)


@dataclass
class Report:
    today: datetime.date
    quarters: list[str]              # the chart's range: first referral's quarter to today's
    partners: list[PartnerFigures]   # most referrals first
    others: list[SourceFigures]      # other sources, most referrals first
    rows: int
    with_status: int
    thank_you_due: list[PartnerFigures]
    visited_no_referral: list[PartnerFigures]
    not_contacted: list[PartnerFigures]
    desk: Any = None  # outreach.DeskPart, set by command.py: standing, trends, seed 003's figures, the ledger

    @property
    def first_sessions(self) -> int:
        return sum(p.referrals.total.first_sessions for p in self.partners) + sum(
            o.total.first_sessions for o in self.others)

    @property
    def from_partners(self) -> int:
        return sum(p.referrals.total.referrals for p in self.partners)

    def csv_rows(self) -> list[tuple[str, str, str, int, int, str]]:
        """report.csv: one row per source and quarter with a referral; partners (by slug), then other sources."""
        rows = []
        for figures in sorted((p.referrals for p in self.partners), key=lambda f: f.source.key) + self.others:
            slug = figures.source.partner.slug if figures.source.partner else ""
            for q in sorted(figures.by_quarter):
                t = figures.by_quarter[q]
                rows.append((slug, figures.source.name, q, t.referrals, t.first_sessions, number(t.median_sessions)))
        return rows


def number(value: float | None) -> str:
    """A median as a spreadsheet reads it: '4', '4.5', or '' for none."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def compute(kit: Kit, referrals: Referrals, today: datetime.date) -> Report:
    matcher = Matcher(kit)
    by_key: dict[str, SourceFigures] = {}
    spellings: dict[str, dict[str, int]] = {}  # other source -> its spellings and how often each was typed
    for row in referrals.rows:
        source = matcher.match(row.source)
        figures = by_key.get(source.key)
        if figures is None:
            figures = by_key[source.key] = SourceFigures(source)
        figures.add(row)
        if source.partner is None:
            counts = spellings.setdefault(source.key, {})
            counts[source.name] = counts.get(source.name, 0) + 1
    partners = [_partner_figures(p, by_key.get(p.slug) or SourceFigures(Source(p.slug, p, p.display_name)))
                for p in kit.partners]
    partners.sort(key=lambda f: (-f.referrals.total.referrals, f.partner.display_name.casefold()))
    others = [f for f in by_key.values() if f.source.partner is None]
    for f in others:  # shown under the spelling staff used most (ties: the first typed)
        counts = spellings[f.source.key]
        f.source = Source(f.source.key, None, max(counts, key=lambda s: counts[s]))
    others.sort(key=lambda f: (-f.total.referrals, f.source.name.casefold()))
    first = min((r.referred_on for r in referrals.rows), default=today)
    three_months_ago = add_months(today, -MONTHS)
    report = Report(
        today=today,
        quarters=quarters_between(quarter(first), quarter(today)),
        partners=partners,
        others=others,
        rows=len(referrals.rows),
        with_status=referrals.with_status,
        thank_you_due=sorted((p for p in partners if p.since_thank_you),
                             key=lambda p: (-p.since_thank_you, p.partner.display_name.casefold())),
        visited_no_referral=[p for p in partners if p.visits >= 2 and not p.referrals.total.referrals],
        not_contacted=sorted((p for p in partners if p.last_contact is None or p.last_contact.date <= three_months_ago),
                             key=lambda p: (p.last_contact is not None, p.last_contact.date if p.last_contact else
                                            today, p.partner.display_name.casefold())),
    )
    return report


def _partner_figures(partner: Partner, referrals: SourceFigures) -> PartnerFigures:
    thank_you = contactlog.last_of(partner, ("thank-you",))
    return PartnerFigures(
        partner=partner,
        referrals=referrals,
        log=contactlog.entries(partner),
        last_contact=contactlog.last(partner),
        last_thank_you=thank_you,
        visits=contactlog.count_of(partner, contactlog.VISIT_KINDS),
        minutes=contactlog.minutes(partner),
        since_thank_you=referrals.referrals_after(thank_you.date if thank_you else None),
    )
