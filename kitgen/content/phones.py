"""Phone numbers read, checked and written with `phonenumbers` (Google's libphonenumber) in the practice's region:
shown the way people dial them there, E.164 in links and contact cards, short service numbers (116 123, 1737)
as dialled.

Numbers a region's style guide writes differently from phonenumbers are adjusted here: Australia's national format
has no brackets ("02 9555 0187", the Government Style Manual), where phonenumbers gives "(02) 9555 0187".
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, shortnumberinfo

from kitgen.content import regions

_LEADING_BRACKETS = re.compile(r"^\((\d+)\)\s*")


def _parse(value: str, country: str) -> PhoneNumber | None:
    try:
        return phonenumbers.parse(value, country)
    except phonenumbers.NumberParseException:
        return None


def full(value: str, region: str) -> PhoneNumber | None:
    """The number if phonenumbers calls it valid (written nationally for `region`, or with + and a country code)."""
    number = _parse(value, regions.get(region).country)
    return number if number is not None and phonenumbers.is_valid_number(number) else None


def short(value: str, region: str) -> str | None:
    """The digits of a valid short number in `region` (a service such as 116 123 or 1737), else None."""
    if value.strip().startswith("+"):
        return None
    number = _parse(value, regions.get(region).country)
    if number is None or number.extension:
        return None
    valid = shortnumberinfo.is_valid_short_number_for_region(number, regions.get(region).country)
    return re.sub(r"\D", "", value) if valid else None


def problem(value: str, region: str, service: bool = False) -> str | None:
    """Why `value` is not a number kitgen can print for `region`, as the end of a located message; None when it is.
    `service`: a crisis line, where a short service number is allowed."""
    if full(value, region) is not None:
        return None
    where = regions.get(region)
    if short(value, region) is not None:
        if service:
            return None
        return (f"{value!r} is a short service number; write the practice's full number, e.g. "
                f"{where.phone_example}")
    kind = "phone number or short service number" if service else "phone number"
    return (f"{value!r} is not a valid {kind} in {where.name} (region: {where.code}); write it as it is dialled "
            f"there, e.g. {where.phone_example}, or with + and its country code")


def display(value: str, region: str) -> str:
    """As people in `region` dial it: the national format for a number of the region's own country ("(541)
    555-0142", "02 9555 0187"), the international one for another country's ("+44 161 496 0471"); a short
    number, or one phonenumbers cannot read, as written."""
    number = full(value, region)
    if number is None:
        return value.strip()
    where = regions.get(region)
    if phonenumbers.region_code_for_number(number) != where.country:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    shown = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return shown if where.national_brackets else _LEADING_BRACKETS.sub(r"\1 ", shown)


def international(value: str, region: str) -> str:
    """'+61 2 9555 0187': E.164 with its groups spaced, readable and dialable from anywhere (an e-mail signature);
    a short number, or one phonenumbers cannot read, as written."""
    number = full(value, region)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL) if number else value.strip()


def e164(value: str, region: str) -> str | None:
    """'+15415550142' (and ';ext=204' for an extension), the form every phone and contact card takes; the digits
    of a short service number ('988'); None when phonenumbers cannot read it."""
    number = full(value, region)
    if number is not None:
        extension = f";ext={number.extension}" if number.extension else ""
        return phonenumbers.format_number(number, PhoneNumberFormat.E164) + extension
    return short(value, region)


def country(value: str, region: str) -> str | None:
    """The ISO 3166 code (upper case) of the country a full number belongs to, for lint."""
    number = full(value, region)
    return phonenumbers.region_code_for_number(number) if number is not None else None
