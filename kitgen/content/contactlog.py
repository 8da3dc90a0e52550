"""A partner's relationship log: the `contacts:` entries and the older one-line `last_contact:`, read as one list.

Follow-ups (due three months after the latest entry) and `kitgen report` (thank-yous, visits, minutes spent)
both read the log through here, so a partner file written before the log existed keeps working unchanged.
"""

from __future__ import annotations

import datetime

from kitgen.content.partners import Partner, PartnerContact

VISIT_KINDS = ("visit", "lunch-and-learn")  # contacts made in person, at the physician's office


def entries(partner: Partner) -> list[PartnerContact]:
    """Every contact, oldest first. `last_contact` counts as one entry of kind "other", unless a logged contact
    has the same date (then the log says what was done that day)."""
    logged = list(partner.contacts)
    if partner.last_contact and all(c.date != partner.last_contact for c in logged):
        logged.append(PartnerContact(date=partner.last_contact, kind="other"))
    return sorted(logged, key=lambda c: c.date)  # stable: entries of one day keep the file's order


def last(partner: Partner) -> PartnerContact | None:
    """The latest contact, or None for a partner never contacted."""
    log = entries(partner)
    return log[-1] if log else None


def last_of(partner: Partner, kinds: tuple[str, ...]) -> PartnerContact | None:
    """The latest contact of one of `kinds` (e.g. the last thank-you), or None."""
    found = [c for c in entries(partner) if c.kind in kinds]
    return found[-1] if found else None


def count_of(partner: Partner, kinds: tuple[str, ...]) -> int:
    return sum(c.kind in kinds for c in entries(partner))


def minutes(partner: Partner, since: datetime.date | None = None) -> int:
    """Minutes logged with this partner (entries without `minutes` count 0), optionally from `since` on."""
    return sum(c.minutes or 0 for c in entries(partner) if since is None or c.date >= since)


def describe(contact: PartnerContact) -> str:
    """What was done, in a few words: 'visit, 30 min (dropped off cards)'; '' for a bare `last_contact`."""
    if contact.kind == "other" and not contact.minutes and not contact.note:
        return ""
    minutes = f", {contact.minutes} min" if contact.minutes else ""
    note = f" ({contact.note})" if contact.note else ""
    return f"{contact.kind}{minutes}{note}"
