"""The filters every kitgen template may use, installed on each theme's environments."""

from __future__ import annotations

import datetime
import re


def tel(number: str, region: str = "us") -> str:
    """'+1 541-555-0142 ext. 204' -> 'tel:+15415550142;ext=204' (RFC 3966, E.164), the form every phone dials;
    a short service number as dialled in `region` ('tel:988'). What phonenumbers cannot read keeps its digits."""
    from kitgen.content import phones
    uri = phones.e164(number, region)
    return "tel:" + (uri if uri else re.sub(r"[^\d+]", "", number))


def longdate(value: datetime.date, locale: str = "en_US") -> str:
    """A date as the locale writes it in a letter: 'November 10, 2026' (en_US, en_CA), '10 November 2026' (en_GB)."""
    from babel.dates import format_date
    return format_date(value, "long", locale=locale)


def plain_url(url: str) -> str:
    """An address as people read it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


FILTERS = {"longdate": longdate, "plain_url": plain_url}  # and render/regional.py's, which know the region
