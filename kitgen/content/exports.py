"""The column names practice software writes, for each of the five things the report reads.

A header is compared folded (`fold`: case, accents and every run of punctuation or spaces made one space), so
"Date Added", "date_added" and "DATE-ADDED" are one name. Only these exact names are recognised: a header that
merely contains "date" is never taken for the referral date. Anything else is dropped unread (phi.py names the
ones that identify a patient), unless kitgen.yaml maps it (`report: {columns: {source: "Referred By"}}`).

Each name says where it comes from. What the systems' public help pages confirm is the *field* (a client's
"Referral Source", a "Referral Date" on a Power Diary referral); the exact header each CSV export writes is, for
most, not published: those are marked "header unconfirmed" and docs/report.md says so per system. Sources were
checked with the search tool in December 2026.
"""

from __future__ import annotations

import re
import unicodedata

# column -> the folded header names recognised for it, with their sources
KNOWN: dict[str, tuple[str, ...]] = {
    "referred_on": (
        "referred on",       # kitgen's own name (docs/report.md)
        "referral date",     # Power Diary/Zanda: a referral has "the referral date" (support.powerdiary.com
                             # /article/145-adding-and-editing-referrers-and-referrals); Halaxy: the referral date
                             # sets its expiry (support.halaxy.com/hc/en-au/articles/360044017014-Referral-Types);
                             # header unconfirmed for both
        "date referred",     # a plain spreadsheet's wording (no source: a common phrasing)
        "date added",        # SimplePractice's client list/"Client Details" report: "Date Added" (third party:
                             # customers-staging.practicerunner.com/help/contact-import-export, which imports
                             # "SimplePractice Client Details Report format"; issue 27 quotes the same header)
        "created at",        # Cliniko: a patient's `created_at` (docs.api.cliniko.com/openapi/reference/tag/Patient),
                             # the date its reports count new patients by; CSV header unconfirmed
        "created",           # Halaxy's API: a Referral's `created` (glama.ai/mcp/connectors/io.usefulapi/halaxy);
                             # CSV header unconfirmed
        "date created",      # TherapyAppointment: the client profile shows "creation details"
                             # (support.therapyappointment.com/article/557-client-profile-main); header unconfirmed
        "intake date",       # TherapyNotes: no public source found; a common US intake-report wording, unconfirmed
    ),
    "source": (
        "source",            # kitgen's own name
        "referral source",   # SimplePractice: "Referral Sources report" (support.simplepractice.com/hc/en-us/
                             # articles/360007265072); TherapyAppointment: the client profile holds "referral source"
                             # and Reporting has a "Referral Source" report (support.therapyappointment.com/article/
                             # 557-client-profile-main, /article/436-reporting-function); Cliniko: Settings >
                             # Referral Sources (support.cliniko.com/hc/en-us/articles/204616750); Jane: the
                             # patient's referral, Referral Report (jane.app/guide/referral-report); headers
                             # unconfirmed
        "referral source name",  # the same, as some reports label it (unconfirmed)
        "referral name",     # issue 27 quotes it from a real export (system not named)
        "referrer",          # Power Diary/Zanda: the referral's Referrer record (article 145 above); header
                             # unconfirmed
        "referrer name",     # the same, unconfirmed
        "referred by",       # a plain spreadsheet's wording; Jane's profile field is a free-text referral
        "referring doctor",  # Cliniko: "the referring doctor" on a patient or case (help.cliniko.com/en/articles/
                             # 9748898-managing-patient-referrals-an-overview); header unconfirmed
        "referring practitioner",  # Halaxy: referrals come from a GP or other practitioner (support.halaxy.com/hc/
                             # en-au/articles/4412177190543-Guide-to-referrals); header unconfirmed
        "referring provider",    # US wording (CMS-1500 box 17, "referring provider"); header unconfirmed
        "referring physician",   # the same
        "how client heard about us",  # Power Diary's marketing field "How Client Heard About Us"
                             # (support.powerdiary.com/article/106-recording-client-sources); header unconfirmed
        "how did you hear about us",  # an intake form's question as a spreadsheet header
    ),
    "first_session_on": (
        "first session on",  # kitgen's own name
        "first session",
        "first session date",
        "first appointment",  # "date of first appointment" in Nookal's referrer report (nookal.com/help/
                              # referrers-and-sources-report); a plain spreadsheet's wording
        "first appointment date",
        "date of first appointment",
        "first visit",
    ),
    "sessions": (
        "sessions",          # kitgen's own name
        "sessions attended",
        "appointments attended",  # Halaxy counts a referral's appointments "with a status of Attended"
                             # (support.halaxy.com/hc/en-au/articles/4412191734287); header unconfirmed
        "attended",
        "number of sessions",
        "session count",
    ),
    "status": (
        "status",            # kitgen's own name
        "client status",     # SimplePractice: a client is Active, Inactive, Prospective or Archived
                             # (support.simplepractice.com/hc/en-us/articles/360049778071); issue 27 quotes
                             # "Client Status" from a real export
        "patient status",    # the same in systems that say "patient" (unconfirmed)
    ),
}

_SEPARATORS = re.compile(r"[\W_]+")


def fold(header: str) -> str:
    """'Date_Added' -> 'date added'; 'Référé par' -> 'refere par': case, accents and separators folded."""
    plain = unicodedata.normalize("NFKD", header)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return _SEPARATORS.sub(" ", plain).strip()


RECOGNISED: dict[str, str] = {name: column for column, names in KNOWN.items() for name in names}
