"""Refuse a referrals file that carries a patient identifier, by its column headers, before any row is read.

kitgen's rule is that health information never passes through it. The report needs only when a referral came,
from whom, and whether and how often the client was seen; a column named like an identifier (the HIPAA Safe Harbor
list, 45 CFR 164.514(b)(2); summarised at https://johndcook.com/blog/hipaa-identifiers-explained) means the file
is a raw export that still has to be trimmed. Header matching is deliberately broad: a false alarm costs a column
rename, a miss would copy a patient's details onto the therapist's disk a second time.
"""

from __future__ import annotations

import re

# (pattern over the header's words, what it looks like). Words: lowercase, split at anything that is not a
# letter or digit and at camelCase ("ClientName" -> "client name").
IDENTIFIERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:first|last|given|family|middle|full|sur|maiden|pre|preferred|legal|nick)? ?names?\b"
                r"|\bsurnames?\b|\bfirstname\b|\blastname\b|\bfullname\b"), "a name"),
    (re.compile(r"\bclients?\b|\bpatients?\b|\bpt\b|\bcustomers?\b|\bguardians?\b|\bpersons?\b"),
     "a client or patient"),
    (re.compile(r"\bdob\b|\bbirth|\bbirthday\b|\bborn\b|\bage\b|\bdeath\b|\bdod\b"), "a birth date or age"),
    (re.compile(r"\be ?mails?\b|\bmail\b"), "an e-mail address"),
    (re.compile(r"\bphones?\b|\bmobile\b|\bcell\b|\btel\b|\btelephone\b|\bfax\b"), "a phone number"),
    (re.compile(r"\baddress(?:es)?\b|\bstreet\b|\bcity\b|\bsuburb\b|\bcounty\b"), "an address"),
    (re.compile(r"\bzip\b|\bzipcode\b|\bpost ?codes?\b|\bpostal\b"), "a ZIP or postcode"),
    (re.compile(r"\bmrn\b|\brecords?\b|\bchart\b|\bfile (?:no|number)\b|\baccount\b"), "a record number"),
    (re.compile(r"\bmedicare\b|\bmedicaid\b|\binsurance\b|\binsurer\b|\bmember\b|\bpolicy\b|\bsubscriber\b"
                r"|\bdva\b|\bhealth ?(?:card|number|fund)\b|\bnhs\b|\bihi\b"), "an insurance or member number"),
    (re.compile(r"\bssn\b|\bsocial security\b|\bsin\b|\btfn\b|\bpassport\b|\blicen[cs]e\b"),
     "a government identifier"),
    (re.compile(r"\bdiagnos[ie]s\b|\bdx\b|\bicd\b|\bdsm\b|\bcondition\b|\breason\b"), "a diagnosis"),
    (re.compile(r"\bnotes?\b|\bcomments?\b|\bmemo\b|\bdescription\b"), "free-text notes"),
]


def words(header: str) -> str:
    """'ClientName' -> 'client name', 'date_of-birth' -> 'date of birth': the header as plain words."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return " ".join(re.findall(r"[a-z0-9]+", spaced.lower()))


def looks_like(header: str) -> str | None:
    """What patient identifier `header` looks like (e.g. "a name"), or None."""
    text = words(header)
    return next((what for pattern, what in IDENTIFIERS if pattern.search(text)), None)
