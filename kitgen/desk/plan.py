"""`kitgen plan`: each partner's next actions, with why and what to bring, from the contacts log, where the
relationship stands (standing.py) and the rhythm in kitgen.yaml's `outreach:` (model.Outreach).

- Prospects and partners not met yet: seed 000's sequence. The intro letter by name, a call about a week later, up
  to three attempts over six weeks; then a pause of six months and a fresh approach.
- Partners met: a follow-up every three months after the latest contact (seed 001), a lunch-and-learn offer two
  weeks after the first meeting until one is logged or you have been in touch since, a thank-you within a week of
  a report that shows referrals since the last one, and cards restocked at referring offices every 60 days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kitgen.content import contactlog
from kitgen.content.model import Kit
from kitgen.content.partners import Partner
from kitgen.desk.standing import Figures, Standing, standing
from kitgen.documents.followups import add_months

DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Action:
    partner: Partner
    due: datetime.date
    key: str       # letter, call, attempt, retry, followup, lunch-offer, thank-you, restock: the calendar UID's part
    what: str
    why: str
    bring: str
    standing: Standing
    anytime: bool = False  # a prospect's first letter: due now, with no date of its own (no calendar event)


def actions(kit: Kit, today: datetime.date, figures: Figures | None) -> list[Action]:
    """Every partner's next actions, whatever their date: overdue first, then by date and name."""
    found = []
    for p in kit.partners:
        found += _for(kit, p, today, figures)
    return sorted(found, key=lambda a: (a.due, a.partner.display_name.casefold(), a.key))


def _for(kit: Kit, p: Partner, today: datetime.date, figures: Figures | None) -> list[Action]:
    o = kit.config.outreach
    log = contactlog.entries(p)
    where = standing(p, figures)
    code = kit.referral_code(p)
    ask = f"ask for {p.contact_name}" if p.contact_name else "ask for the office manager"
    made: list[Action] = []

    def add(due: datetime.date, key: str, what: str, why: str, bring: str, anytime: bool = False) -> None:
        made.append(Action(p, due, key, what, why, bring, where, anytime))

    if where.status == "prospect":
        add(today, "letter", "Send the intro letter", "in the kit, no contact yet",
            f"intro letter and one-pager (desk/{p.slug}/intro-letter.pdf, site/{p.slug}/one-pager.pdf)", anytime=True)
        return made
    if where.status == "reaching out":
        start, attempts = log[0].date, 0
        for c in log:
            if (c.date - start).days > o.attempt_weeks * 7:
                start, attempts = c.date, 0
            attempts += 1
        end = start + datetime.timedelta(weeks=o.attempt_weeks)
        if attempts >= o.attempts or today > end:
            add(add_months(start, o.pause_months), "retry", "Try again with a fresh letter",
                f"{attempts} attempt{'s' if attempts != 1 else ''} from {start.isoformat()}, no meeting yet: paused "
                f"{o.pause_months} months", f"a new intro letter and one-pager (desk/{p.slug}/intro-letter.pdf)")
        elif attempts == 1:
            add(start + datetime.timedelta(days=o.call_after_days), "call", f"Call {p.practice}",
                f"{log[0].kind} on {start.isoformat()}: a call about {o.call_after_days} days later; {ask}",
                f"the one-pager and referral code {code}; ask for a short meeting")
        else:
            span = o.attempt_weeks * 7 - o.call_after_days
            offset = o.call_after_days + (attempts - 1) * span // max(o.attempts - 2, 1)
            add(start + datetime.timedelta(days=min(offset, o.attempt_weeks * 7)), "attempt",
                f"Call or e-mail {p.practice} again",
                f"attempt {attempts + 1} of {o.attempts} since {start.isoformat()}, no meeting yet; {ask}",
                f"the one-pager and referral code {code}; offer a 15-minute visit")
        return made
    last = log[-1] if log else None
    if last is not None:
        trend = {"new": "; new referrer", "declining": "; referrals declining"}.get(where.trend or "", "")
        lapsed = "; lapsed: no referral in the last report's 90 days" if where.status == "lapsed" else ""
        done = contactlog.describe(last)
        add(add_months(last.date, o.followup_months), "followup", f"Visit or call {p.practice}",
            f"last contact {last.date.isoformat()}{': ' + done if done else ''}; every {o.followup_months} months"
            f"{trend}{lapsed}", f"cards and one-pagers to restock; referral code {code}")
    meetings = [c for c in log if c.kind in contactlog.VISIT_KINDS]
    if meetings and not any(c.kind == "lunch-and-learn" for c in log) and log[-1].date == meetings[0].date:
        talk = kit.talk_for(p)
        add(meetings[0].date + datetime.timedelta(days=o.lunch_offer_days), "lunch-offer", "Offer a lunch-and-learn",
            f"met on {meetings[0].date.isoformat()}, no lunch-and-learn yet",
            f"the handout ({talk.title})" if talk else "a talk for the office (content/talks/)")
    counts = where.counts
    thanked = contactlog.last_of(p, ("thank-you",))
    if figures and counts and counts.since_thank_you and (thanked is None or thanked.date <= figures.as_of):
        add(figures.as_of + datetime.timedelta(days=o.thank_within_days), "thank-you", "Send a thank-you card",
            f"{counts.since_thank_you} referral{'s' if counts.since_thank_you != 1 else ''} since "
            + (f"your thank-you on {thanked.date.isoformat()}" if thanked else "you started logging")
            + f" (report of {figures.as_of.isoformat()})", f"a thank-you card (desk/{p.slug}/thank-you-cards.pdf) "
            "and a few business cards")
    if where.status == "referring":
        in_person = contactlog.last_of(p, contactlog.VISIT_KINDS) or last
        if in_person is not None:
            add(in_person.date + datetime.timedelta(days=o.restock_days), "restock", "Restock cards",
                f"referring office; last there {in_person.date.isoformat()}, restock every {o.restock_days} days",
                "business cards and patient leaflets")
    return made


@dataclass(frozen=True)
class Window:
    overdue: list[Action]
    this_week: list[Action]
    next_week: list[Action]
    later: int

    @property
    def shown(self) -> list[tuple[str, Action]]:
        return [("overdue", a) for a in self.overdue] + [("this week", a) for a in self.this_week] + [
            ("next week", a) for a in self.next_week]


def window(found: list[Action], today: datetime.date) -> Window:
    """Overdue (before today), this week (today to Sunday), next week (Monday to Sunday), and how many later."""
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    next_sunday = sunday + datetime.timedelta(days=7)
    return Window([a for a in found if a.due < today], [a for a in found if today <= a.due <= sunday],
                  [a for a in found if sunday < a.due <= next_sunday], sum(a.due > next_sunday for a in found))


def when(action: Action, today: datetime.date) -> str:
    if action.anytime:
        return "now"
    days = (action.due - today).days
    if days < 0:
        return f"{action.due.isoformat()} ({-days} days overdue)"
    return f"{action.due.isoformat()} ({action.due:%a})" if days else f"{action.due.isoformat()} (today)"
