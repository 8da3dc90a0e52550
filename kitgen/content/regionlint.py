"""Lint for a kit whose region looks wrong: every phone number belongs to another country, or the language tag
names another country (`language: en-AU` with `region: us`). Either way the crisis numbers, dates and forms would
be another country's, so the warning says which setting to change.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from kitgen.content import phones, regions
from kitgen.problems import Problems

CONFIG = "kitgen.yaml"


def _country_name(country: str) -> str:
    from babel import Locale  # lazy: `kitgen prospect` loads this module, never Babel
    return str(Locale("en", "US").territories.get(country, country))


def _suggest(country: str) -> str:
    """What to write in kitgen.yaml for a country: its region, or why there is none."""
    found = next((r for r in regions.REGIONS.values() if r.country == country), None)
    if found:
        return f"set region: {found.code} in {CONFIG}"
    return f"kitgen has no region for {_country_name(country)} yet (it has {', '.join(regions.REGIONS)})"


def numbers(config: Any, practice: Any, doc: Any, problems: Problems) -> None:
    """Warn when every full phone number of the practice (contact, fax, its own crisis lines) is another
    country's than the region's."""
    region = regions.get(config.region)
    found: list[tuple[tuple[Any, ...], str]] = [(("contact", "phone"), practice.contact.phone)]
    if practice.contact.fax:
        found.append((("contact", "fax"), practice.contact.fax))
    for i, line in enumerate(practice.crisis.lines):
        found += [(("crisis", "lines", i, k), getattr(line, k)) for k in ("call", "text") if getattr(line, k)]
    countries = {c for c in (phones.country(number, region.code) for _, number in found) if c}
    if not countries or region.country in countries:
        return
    key, others = found[0][0], sorted(countries)
    named = " and ".join(f"{_country_name(c)} ({_plus(c)})" for c in others)
    hint = _suggest(others[0]) if len(others) == 1 else "set region in kitgen.yaml to the practice's country"
    problems.warn(doc.path, doc.line(key), ".".join(str(k) for k in key),
                  f"every phone number here is from {named}, but the region is {region.code} ({region.name}), "
                  f"whose crisis numbers, dates and referral form every piece prints; {hint}")


def _plus(country: str) -> str:
    return f"+{phonenumbers.country_code_for_region(country)}"


TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?(?:[-_].*)?$")


def language(config: Any, doc: Any, problems: Problems) -> None:
    """Warn when kitgen.yaml's language tag names a country that is not the region's (en-AU with region: us)."""
    match = TAG.match(config.language.strip())
    country = (match.group(3) or "").upper() if match else ""
    region = regions.get(config.region)
    if not country or country.isdigit() or country == region.country:
        return
    fix = _suggest(country)
    fix = (f"{fix}, or write language: {match.group(1).lower()}-{region.country}" if match else fix)
    problems.warn(doc.path, doc.line(("language",)), "language",
                  f"{config.language!r} is the language of {_country_name(country)}, but the region is "
                  f"{region.code} ({region.name}); {fix}")
