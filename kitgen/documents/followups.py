"""Keeping in touch: a follow-up three months after the last contact with each physician (the seed articles' rule),
as an iCalendar file for the therapist's calendar and as the `kitgen followups` report. The last contact is the
latest entry of the partner's relationship log (contactlog.py)."""

from __future__ import annotations

import datetime
import urllib.parse
from calendar import monthrange
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kitgen.content import contactlog
from kitgen.documents.contentlines import document, line, text
from kitgen.record import build_moment

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner

MONTHS = 3
DUE_WITHIN_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has no such day (Nov 30 + 3 -> Feb 28)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, monthrange(year, month)[1]))


def due_date(partner: Partner) -> datetime.date | None:
    last = contactlog.last(partner)
    return add_months(last.date, MONTHS) if last else None


def last_done(partner: Partner) -> str:
    """'last contact 2026-08-20: visit, 30 min (dropped off cards)', or just the date for a bare last_contact."""
    last = contactlog.last(partner)
    if last is None:
        return "never contacted"
    what = contactlog.describe(last)
    return f"last contact {last.date.isoformat()}" + (f": {what}" if what else "")


@dataclass(frozen=True)
class Status:
    partner: Partner
    due: datetime.date | None
    state: str  # "overdue", "due", "never", "later"


def statuses(kit: Kit, today: datetime.date) -> list[Status]:
    """Every partner's follow-up state on `today`, soonest first; never-contacted partners last, by name."""
    found = []
    for p in kit.partners:
        due = due_date(p)
        if due is None:
            state = "never"
        elif due < today:
            state = "overdue"
        elif due <= today + datetime.timedelta(days=DUE_WITHIN_DAYS):
            state = "due"
        else:
            state = "later"
        found.append(Status(p, due, state))
    return sorted(found, key=lambda s: (s.due is None, s.due or datetime.date.max, s.partner.slug))


def calendar(kit: Kit) -> bytes:
    """An iCalendar (RFC 5545) with one all-day reminder per partner that has a `last_contact`.

    UIDs are derived from the slug, so re-importing after a build moves the reminder instead of adding a second;
    DTSTAMP is the build date, never the clock, so the file is reproducible.
    """
    stamp = f"{build_moment(kit):%Y%m%dT%H%M%SZ}"
    host = urllib.parse.urlsplit(kit.config.site_root).hostname or "kitgen.invalid"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kitgen//referral kit follow-ups//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", line("X-WR-CALNAME", text(kit.practice.name + " physician follow-ups"))]
    for s in statuses(kit, datetime.date.min):
        if s.due is None:
            continue
        p = s.partner
        office = f" ({p.office_contact})" if p.office_contact else ""
        done = last_done(p)
        description = (f"{done[:1].upper()}{done[1:]}. Call {p.practice}{office}: ask how referrals are "
                       f"going, restock cards and one-pagers, offer the lunch-and-learn. Referral code "
                       f"{kit.referral_code(p)}. Page: {kit.page_url(p)}")
        lines += ["BEGIN:VEVENT", f"UID:followup-{p.slug}@{host}", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{s.due:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{s.due + datetime.timedelta(days=1):%Y%m%d}",
                  line("SUMMARY", text(f"Follow up: {p.display_name}, {p.practice}")),
                  line("DESCRIPTION", text(description)), "TRANSP:TRANSPARENT"]
        if p.address:
            lines.append(line("LOCATION", text(p.address)))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return document(lines)


def report(kit: Kit, today: datetime.date) -> list[str]:
    """The `kitgen followups` lines: overdue, due within 30 days, never contacted, later; then a one-line count."""
    by_state: dict[str, list[Status]] = {"overdue": [], "due": [], "never": [], "later": []}
    for s in statuses(kit, today):
        by_state[s.state].append(s)
    lines = []
    titles = {"overdue": "Overdue", "due": f"Due within {DUE_WITHIN_DAYS} days", "never": "Never contacted",
              "later": "Later"}  # every partner is named: "2 later" alone left you guessing who
    for state, title in titles.items():
        if not by_state[state]:
            continue
        lines.append(f"{title}:")
        for s in by_state[state]:
            p = s.partner
            who = f"  {p.display_name} ({p.practice})"
            if s.due is None:
                lines.append(f"{who}: no contacts or last_contact in {p.source}")
                continue
            days = (s.due - today).days
            when = f"{-days} days overdue" if days < 0 else "today" if days == 0 else f"in {days} days"
            lines.append(f"{who}: due {s.due.isoformat()} ({when}); {last_done(p)}")
    counts = ", ".join(f"{len(by_state[k])} {label}" for k, label in
                       (("overdue", "overdue"), ("due", "due soon"), ("never", "never contacted"), ("later", "later")))
    lines.append(f"kitgen: {counts} (as of {today.isoformat()})")
    return lines
