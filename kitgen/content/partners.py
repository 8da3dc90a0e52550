"""The partner files and talks as typed, validated objects: one referring physician each, their contact log; a
lunch-and-learn talk. Field types and defaults are the schema."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from kitgen.content import credentials, rules
from kitgen.content.rules import SLUG as SLUG  # where other modules have imported it from
from kitgen.content.schema import derived, lines, rule

_TITLED = re.compile(r"^dr\.?\s+", re.IGNORECASE)  # "Dr. Jane Smith" already has the title; "Drew Lee" has not
# A partner a patient calls "your GP" where patients say so (regions.SAYS_GP): a general practitioner, by the
# specialty slug the partner file gives or by a general practice college among the credentials (credentials.py).
GP_SPECIALTIES = {"general-practice", "general-practitioner", "gp", "family-medicine", "family-practice"}


# --- partners and talks ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PartnerContact:
    """One entry of a partner's relationship log: what was done, when, and the time it took (see contactlog.py)."""

    date: datetime.date = rule(rules.not_future)
    kind: str = rule(rules.contact_kind)
    minutes: int | None = rule(rules.positive, None)
    note: str | None = None
    cost: float | None = rule(rules.not_negative, None)  # spent on the physician's office (food, a gift): the ledger


@dataclass(frozen=True, kw_only=True)
class Partner:
    """One referring physician. The slug is the file name, so it never drifts from where the file lives."""

    name: str = rule(rules.partner_name)
    credentials: str
    specialty: str = rule(rules.slug)
    practice: str
    address: str | None = lines(None)
    office_contact: str | None = None
    talk: str | None = rule(rules.slug, None)
    note: str | None = lines(None)
    url_token: str | None = rule(lambda v, _: None if re.fullmatch(r"[a-z2-7]{16,}", v)
                                 else "must be 16 or more of a-z and 2-7 (kitgen writes it; delete it for a new one)",
                                 None)
    email: str | None = rule(rules.email, None)  # optional: the intro e-mail draft is addressed to it
    last_contact: datetime.date | None = rule(rules.not_future, None)  # optional: a one-entry log (contactlog.py)
    contacts: list[PartnerContact] = field(default_factory=list)  # the relationship log: follow-ups, the report
    referral_code: str | None = rule(rules.referral_code, None)  # optional: pins the code printed on cards
    surname: str | None = None  # optional: when the name's last word is not the surname ("Dear Dr García Márquez,")
    phone: str | None = rule(rules.phone, None)  # optional: the office's (`kitgen prospect`)
    fax: str | None = rule(rules.phone, None)
    npi: str | None = rule(lambda v, _: rules.npi_problem(v), None)  # optional: the US register's number (prospect/)
    ods_code: str | None = rule(lambda v, _: None if re.fullmatch(r"[A-Z][0-9A-Z]{2,7}", v)
                                else f"{v!r} is not an ODS code (e.g. A81001)", None)  # England/Wales practice
    slug: str = derived()
    source: str = derived()
    title: str | None = rule(lambda v, _: credentials.title_problem(v) if v else None, None, blank=True)  # "Prof",
    # "Mr" (a UK surgeon), "" for none; unset: the region's for a doctor (credentials.py), else none
    region_title: str = derived("Dr.")  # the region's: "Dr." (us, ca) or "Dr" (elsewhere)

    @property
    def contact_name(self) -> str | None:
        """The office contact's name without their role: 'Dana Lee' from 'Dana Lee, office manager'."""
        return self.office_contact.split(",")[0].strip() if self.office_contact else None

    @property
    def physician(self) -> bool:
        """A medical degree or a physician's fellowship in the credentials, however written (credentials.py). A
        psychologist's PhD is addressed "Dr." (`honorific`) but is not a physician."""
        return credentials.physician(self.credentials)

    @property
    def honorific(self) -> str:
        """The title before the name: `title` when the partner file sets one ("" for none), else the region's
        ("Dr." / "Dr") for a doctor by their credentials or a name written with it ("Dr. Jane Smith"), else ""."""
        if self.title is not None:
            return self.title
        return self.region_title if credentials.doctor(self.credentials) or _TITLED.match(self.name) else ""

    @property
    def gp(self) -> bool:
        """A general practitioner, whom a patient calls "your GP" in the regions where patients say so: a physician
        (a nurse practitioner in general practice is not the patient's GP)."""
        return self.physician and (self.specialty in GP_SPECIALTIES or credentials.general_practice(self.credentials))

    @property
    def display_name(self) -> str:
        """'Dr. Jane Smith' (or 'Dr Jane Smith', by region; 'Prof Jane Smith' with `title: Prof`) for doctors, the
        plain name for everyone else. A name written with "Dr." keeps it as written."""
        title = self.honorific
        if _TITLED.match(self.name) and (not title or _TITLED.match(title + " ")):
            return self.name
        return f"{title} {_TITLED.sub('', self.name)}" if title else self.name

    @property
    def salutation(self) -> str:
        """Who a letter is addressed to: 'Dr Raman' (title and surname) for doctors, else the name as written."""
        title = self.honorific
        if not title:
            return self.name
        return f"{title} {self.surname or _TITLED.sub('', self.name).split()[-1]}"


@dataclass(frozen=True, kw_only=True)
class Talk:
    title: str
    duration_minutes: int = rule(rules.positive)
    audience: str
    objectives: list[str] = rule(rules.non_empty_list)
    specialties: list[str] = field(default_factory=list)
    slug: str = derived()
    source: str = derived()
    body_html: str = derived()
    body_line: int = derived(0)  # where the Markdown body starts in the file, for messages about its length
