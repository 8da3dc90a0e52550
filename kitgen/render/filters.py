"""The filters every kitgen template may use, installed on each theme's environments."""

from __future__ import annotations

import datetime
import re


def tel(number: str) -> str:
    """'+1 541-555-0142' -> 'tel:+15415550142', the form every phone dials."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


def longdate(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def plain_url(url: str) -> str:
    """An address as people read it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


FILTERS = {"tel": tel, "longdate": longdate, "plain_url": plain_url}
