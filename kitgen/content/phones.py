"""Phone numbers read, checked and written with `phonenumbers` (Google's libphonenumber) in the practice's region:
shown the way people dial them there, E.164 in links and contact cards, short service numbers (116 123, 1737)
and numbers that cannot be dialled from abroad (Lifeline's 13 11 14) as dialled at home.

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


def _home(number: PhoneNumber, region: str) -> bool:
    """Whether a full number is one of `region`'s own: a toll-free 1-800 number is Canada's as much as the United
    States' (phonenumbers files the shared North American ranges under US)."""
    return phonenumbers.is_valid_number_for_region(number, regions.get(region).country)


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
    if not _home(number, region):
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    shown = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return shown if where.national_brackets else _LEADING_BRACKETS.sub(r"\1 ", shown)


def international(value: str, region: str) -> str:
    """'+61 2 9555 0187': E.164 with its groups spaced, readable and dialable from anywhere (an e-mail signature);
    a short number, or one phonenumbers cannot read, as written."""
    number = full(value, region)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL) if number else value.strip()


def dialled(value: str, region: str, text: bool = False) -> str | None:
    """The number of a tel: or sms: link, as a phone in `region` dials it: E.164 ('+15415550142', and ';ext=204'
    for an extension when `text` is false) for a number that can be dialled in that form; the digits as dialled at
    home for a number of the region's own country that cannot ('131114', '1300224636': Australia's 13, 1300 and
    1800 numbers are not reachable from abroad, so a phone cannot dial them after +61) and for a short service
    number ('988', '116123'); None when phonenumbers cannot read it.

    Whether a number can be dialled in international form is libphonenumber's `noInternationalDialling` data for
    its country (phonenumbers.can_be_internationally_dialled). "Dial the full 10-digit 1300 number ... don't add
    country codes when calling from within Australia ... cannot be called from overseas":
    https://simple1300numbers.com.au/how-to-call-1300-number ; "1 – Non-geographic numbers (mostly for domestic
    use)": https://en.wikipedia.org/wiki/Telephone_numbers_in_Australia
    """
    number = full(value, region)
    if number is None:
        return short(value, region)
    if _home(number, region) and not phonenumbers.can_be_internationally_dialled(number):
        digits = phonenumbers.normalize_diallable_chars_only(
            phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    else:
        digits = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    extension = f";ext={number.extension}" if number.extension and not text else ""
    return digits + extension


def country(value: str, region: str) -> str | None:
    """The ISO 3166 code (upper case) of the country a full number belongs to, for lint."""
    number = full(value, region)
    return phonenumbers.region_code_for_number(number) if number is not None else None
