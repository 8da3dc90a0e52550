"""`kitgen plan`'s outputs: rows for the terminal, desk/plan.html (self-contained, no script) and desk/plan.ics,
which supersedes the build's desk/followups.ics: the same follow-ups under the same UIDs (importing both adds no
second event), and every other planned action that has a date. A file of its own, since the build remakes
followups.ics from the content alone, without the report's figures that thank-yous and restocking need."""

from __future__ import annotations

import datetime
import urllib.parse
from pathlib import Path

import jinja2

from kitgen.content.model import Kit
from kitgen.desk import ledger
from kitgen.desk.plan import Action, Window, when
from kitgen.desk.standing import Figures, standing
from kitgen.documents.contentlines import document, line, text
from kitgen.record import build_moment

HEADERS = ("when", "partner", "status", "do", "why", "bring")


def rows(window: Window, today: datetime.date) -> list[tuple[str, ...]]:
    return [(when(a, today), a.partner.display_name, a.standing.label, a.what, a.why, a.bring)
            for _, a in window.shown]


def plain(window: Window, today: datetime.date) -> str:
    """One action a line, grouped: for pipes, files and a phone's narrow terminal."""
    lines = []
    for group, items in (("Overdue", window.overdue), ("This week", window.this_week), ("Next week", window.next_week)):
        if items:
            lines.append(f"{group}:")
            lines += [f"  {when(a, today)}  {a.partner.display_name} ({a.standing.label}): {a.what}. Why: {a.why}. "
                      f"Bring: {a.bring}." for a in items]
    lines.append(f"kitgen: {len(window.overdue)} overdue, {len(window.this_week)} this week, "
                 f"{len(window.next_week)} next week, {window.later} later (as of {today.isoformat()})")
    return "\n".join(lines) + "\n"


def html(kit: Kit, window: Window, today: datetime.date, figures: Figures | None) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    standings = [(p, standing(p, figures)) for p in sorted(kit.partners, key=lambda p: p.display_name.casefold())]
    spent = [line for line in ledger.lines(kit) if line.year == today.year]
    return env.get_template("plan.html").render(
        kit=kit, window=window, today=today, figures=figures, when=when, standings=standings, spent=spent,
        money=lambda v: ledger.money(kit, v), limit=ledger.limit(kit), why=ledger.WHY)


def calendar(kit: Kit, found: list[Action]) -> bytes:
    """Every dated action as an all-day event; the UID is the partner's and the action's, so re-importing moves
    an event instead of adding a second. The prospect's first letter (due now, no date) has none."""
    stamp = f"{build_moment(kit):%Y%m%dT%H%M%SZ}"
    host = urllib.parse.urlsplit(kit.config.site_root).hostname or "kitgen.invalid"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//kitgen//referral kit follow-ups//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", line("X-WR-CALNAME", text(kit.practice.name + " physician follow-ups"))]
    for a in found:
        if a.anytime:
            continue
        p = a.partner
        uid = f"followup-{p.slug}" if a.key == "followup" else f"{a.key}-{p.slug}"  # the build's UID for follow-ups
        lines += ["BEGIN:VEVENT", f"UID:{uid}@{host}", f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{a.due:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{a.due + datetime.timedelta(days=1):%Y%m%d}",
                  line("SUMMARY", text(f"{a.what}: {p.display_name}")),
                  line("DESCRIPTION", text(f"Why: {a.why}. Bring: {a.bring}. Referral code {kit.referral_code(p)}.")),
                  "TRANSP:TRANSPARENT"]
        if p.address:
            lines.append(line("LOCATION", text(p.address)))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return document(lines)
