"""Referral codes: four characters a physician's staff can read out on the phone ("mention code LW7K"), so a
referral that arrives by phone is attributed like one that arrives through the QR code.

Codes are derived, not stored: a code is a hash of the partner's slug, so the same partner files always give the
same codes, a build never writes into the user's content, and two clean builds agree. There are 31^4 = 923,521
codes; collisions are settled in sorted-slug order: the first slug keeps its code, the next tries its next
candidate. The one way a code can move is a new partner whose slug sorts earlier and hashes to an existing code
(about 1 in 4,600 per partner added to a kit of 200); the build then warns that the code differs from the last
manifest, and `referral_code:` in the partner file pins the old one for good.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Protocol

from kitgen.problems import Problem


class Partner(Protocol):
    """What codes read of a partner (content/model.py's Partner, which imports this module's rules)."""

    @property
    def slug(self) -> str: ...
    @property
    def referral_code(self) -> str | None: ...
    @property
    def source(self) -> str: ...

# No 0/O, 1/I/L: nothing that reads two ways over the phone or in a hurried handwriting.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 4
PATTERN = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def problem(code: str) -> str | None:
    """What is wrong with a code written into a partner file, or None."""
    if PATTERN.match(code):
        return None
    return (f"{code!r} is not a referral code: use {LENGTH} of {ALPHABET} (no 0, O, 1, I or L, which read two ways); "
            "or delete the line and kitgen derives one")


def candidate(slug: str, attempt: int) -> str:
    """The `attempt`-th code for `slug`: the hash of slug and attempt, written in the code alphabet."""
    number = int.from_bytes(hashlib.sha256(f"{slug}\0{attempt}".encode()).digest()[:8], "big")
    chars = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


def assign(partners: Iterable[Partner]) -> dict[str, str]:
    """Slug -> code for every partner: pinned codes first, then derived ones in sorted-slug order."""
    codes: dict[str, str] = {}
    taken: set[str] = set()
    for p in sorted(partners, key=lambda p: p.slug):
        if p.referral_code and p.referral_code not in taken:
            codes[p.slug] = p.referral_code
            taken.add(p.referral_code)
    for p in sorted(partners, key=lambda p: p.slug):
        if p.slug in codes:
            continue
        attempt = 0
        while (code := candidate(p.slug, attempt)) in taken:
            attempt += 1
        codes[p.slug] = code
        taken.add(code)
    return codes


def check(partners: Iterable[Partner]) -> list[Problem]:
    """Two partner files pinning the same code: an error, since a phone call could not be attributed."""
    first: dict[str, str] = {}
    problems = []
    for p in sorted(partners, key=lambda p: p.slug):
        if not p.referral_code:
            continue
        if p.referral_code in first:
            problems.append(Problem(p.source, 0, "referral_code", f"{p.referral_code} is already the code of "
                                    f"{first[p.referral_code]}; codes must be unique (delete the line for a new one)"))
        else:
            first[p.referral_code] = p.slug
    return problems


def moved(previous_manifest: bytes | None, codes: dict[str, str], sources: dict[str, str]) -> list[Problem]:
    """Warnings for codes that differ from the last build's: cards already printed carry the old code."""
    try:
        before = {p["slug"]: p.get("referral_code") for p in json.loads(previous_manifest or b"{}").get("partners", [])}
    except (ValueError, AttributeError, TypeError, KeyError):
        return []
    return [Problem(sources[slug], 0, "referral_code", f"the code changed from {old} to {codes[slug]} (a new partner "
                    f"took it); printed cards say {old}: add 'referral_code: {old}' to keep it", "warning")
            for slug, old in sorted(before.items()) if old and slug in codes and codes[slug] != old]
