"""The filters every kitgen template may use, installed on each theme's environments."""

from __future__ import annotations

import datetime
import re


def tel(number: str) -> str:
    """'+1 541-555-0142' -> 'tel:+15415550142', the form every phone dials; an extension ('ext. 204', 'x204',
    'extension 204', '#204') becomes RFC 3966's ';ext=204' instead of more digits to dial."""
    match = re.fullmatch(r"(.*?)(?:\s*(?:ext\.?|extension|x|#)\s*(\d+))?\s*", number, re.IGNORECASE)
    main, ext = match.groups() if match else (number, None)
    return "tel:" + re.sub(r"[^\d+]", "", main) + (f";ext={ext}" if ext else "")


def longdate(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def plain_url(url: str) -> str:
    """An address as people read it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


FILTERS = {"tel": tel, "longdate": longdate, "plain_url": plain_url}
