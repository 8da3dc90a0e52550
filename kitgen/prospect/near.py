"""Where to look: a US ZIP code or prefix, or a UK postcode, district or area; optionally a distance.

Distance needs where each postcode is. For the US, the `zipcodes` package (MIT, kept up, 2026) ships every ZIP
code's centre point inside the wheel: nothing is downloaded. (`pgeocode` and `uszipcode` download their tables at
run time, so kitgen does not use them.) No package on PyPI that is kept up ships the UK's postcode centres
(ONS Postcode Directory) offline, so in England and Wales `--near` is a postcode district ("SW1A") or area ("SW")
and `--within` is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import zipcodes  # the centre points ship in the wheel, read on first use

_UK = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})?$")
_MILES_PER_KM = 0.621371


@dataclass(frozen=True)
class Area:
    """`zips`: the 5-digit ZIP codes in a radius (None: match by `prefix`). `uk`: a postcode district or area."""

    text: str
    prefix: str = ""  # US: the first digits of the ZIP code
    zips: frozenset[str] | None = None
    uk_area: str = ""  # "SW"
    uk_district: str = ""  # "SW1A" ("" for the whole area)

    @property
    def us(self) -> bool:
        return not self.uk_area

    def scan_prefixes(self) -> set[str]:
        """The ZIP code beginnings a row must show to be worth parsing (the quick filter)."""
        if self.zips is not None:
            return {z[:3] for z in self.zips}
        return {self.prefix}

    def has_zip(self, postal: str) -> bool:
        digits = postal.strip()[:5]
        if self.zips is not None:
            return digits in self.zips
        return digits.startswith(self.prefix)

    def has_postcode(self, postcode: str) -> bool:
        m = _UK.match(" ".join(postcode.upper().split()))
        if not m:
            return False
        if self.uk_district:
            return m.group(1) + m.group(2) == self.uk_district
        return m.group(1) == self.uk_area


def parse(near: str, within: str | None) -> tuple[Area | None, str | None, str | None]:
    """The area `--near` and `--within` give, or (None, option, message) saying what is wrong and the fix."""
    text = " ".join(near.upper().split())
    miles = None
    if within is not None:
        m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(mi|miles?|km)?\s*", within.lower())
        if not m or float(m.group(1)) <= 0:
            return None, "--within", f"{within!r} is not a distance; write e.g. 10 (miles), 10mi or 15km"
        miles = float(m.group(1)) * (_MILES_PER_KM if m.group(2) == "km" else 1)
    if re.fullmatch(r"[0-9]{1,5}(-[0-9]{4})?", text):
        zip5 = text[:5]
        if miles is None:
            return Area(near, prefix=zip5), None, None
        if len(zip5) != 5:
            return None, "--near", f"{near!r}: a distance is measured from a whole 5-digit ZIP code, e.g. 97401"
        found = zipcodes.matching(zip5)
        if not found:
            return None, "--near", f"{near!r} is not a ZIP code the zipcodes package knows; check it, or leave out " \
                                   "--within to match its first digits"
        lat, long = float(found[0]["lat"]), float(found[0]["long"])
        near_zips = {z["zip_code"] for z in zipcodes.filter_by_coordinates(lat, long, miles)} | {zip5}
        return Area(near, prefix=zip5, zips=frozenset(near_zips)), None, None
    m = _UK.match(text) or re.fullmatch(r"([A-Z]{1,2})()()", text)
    if m:
        if miles is not None:
            return None, "--within", ("no postcode centre table for the UK ships with a kept-up package, so kitgen "
                                      "cannot measure distance there; leave out --within and give a postcode "
                                      "district (SW1A) or area (SW) to --near")
        return Area(near, uk_area=m.group(1), uk_district=m.group(1) + m.group(2) if m.group(2) else ""), None, None
    return None, "--near", (f"{near!r} is neither a US ZIP code (97401, or its first digits: 974) nor a UK postcode, "
                            "district or area (SW1A 1AA, SW1A, SW)")
