"""The filters every kitgen template may use, installed on each theme's environments."""

from __future__ import annotations

import datetime
import re

from markupsafe import Markup, escape

from kitgen.content import phones
from kitgen.content.brand import rgb


def tel(number: str, region: str = "us") -> str:
    """'+1 541-555-0142 ext. 204' -> 'tel:+15415550142;ext=204' (RFC 3966, E.164), the form every phone dials;
    a short service number, or one that cannot be dialled from abroad, as dialled in `region` ('tel:988',
    'tel:131114'). What phonenumbers cannot read keeps its digits."""
    uri = phones.dialled(number, region)
    return "tel:" + (uri if uri else re.sub(r"[^\d+]", "", number))


def sms(number: str, region: str = "us") -> str:
    """A text line's link: 'sms:+61477131114', 'sms:988' (RFC 5724), the number as `tel` writes it, without an
    extension (a text message has none).

    No `?body=`: RFC 5724 defines it, but Apple documents that an iOS sms: URL "must not include any message text"
    (developer.apple.com/library/archive/featuredarticles/iPhoneURLScheme_Reference/SMSLinks/SMSLinks.html), iOS
    versions have each wanted another separator (`;body=`, `&body=`; stackoverflow.com/questions/6480462), and
    messaging apps that do not take it put the text in the recipient field (github.com/klinker-apps/
    pulse-sms-issues/issues/424, github.com/nimiq/web-share-shim/issues/3). A keyword such as 988's "AYUDA" is
    printed beside the link instead, where the reader types it."""
    uri = phones.dialled(number, region, text=True)
    return "sms:" + (uri if uri else re.sub(r"[^\d+]", "", number))


def longdate(value: datetime.date, locale: str = "en_US") -> str:
    """A date as the locale writes it in a letter: 'November 10, 2026' (en_US, en_CA), '10 November 2026' (en_GB)."""
    from babel.dates import format_date  # Babel's dates (40 ms) only where a date is printed
    return format_date(value, "long", locale=locale)


def plain_url(url: str) -> str:
    """An address as people read it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def address_lines(address: str) -> Markup:
    """A postal address as the practice wrote it, one line each (a letter's inside address, the letterhead): HTML
    collapses the line breaks of `address: |` into spaces ("14 Stevenson Square Manchester M1 1DN")."""
    return Markup("<br>").join(escape(_town_with_postcode(line.strip()))
                               for line in str(address).splitlines() if line.strip())


def address_inline(address: str) -> str:
    """A postal address on one line (a footer): its lines joined by commas, never run together."""
    return ", ".join(_town_with_postcode(line.strip().rstrip(","))
                     for line in str(address).splitlines() if line.strip())


# The last part of an address line (after its last comma) that ends in a postcode: "OR 97477", "NSW 2060",
# "Manchester M4 1PW", "Dublin 6", "ON K1A 0B1". A street ("10 Dock Street") starts with its number instead.
_POSTCODE_PART = re.compile(r"(?:^|(?<=, ))([^\W\d][^,]{0,30}\d[^,\s]*)$")


def _town_with_postcode(line: str) -> str:
    """`line` with no-break spaces in its town-and-postcode part, so "NSW 2060" or "Manchester M4 1PW" is never
    parted at a line's end (a part of at most four words, not starting with a digit, ending in one with a digit)."""
    def bind(m: re.Match[str]) -> str:
        part = m.group(1)
        return part.replace(" ", "\u00a0") if len(part.split()) <= 4 else part
    return _POSTCODE_PART.sub(bind, line)


# Web and e-mail addresses in a printed document's text: an address breaks only after "/", "." or "@", never
# after a hyphen ("jane-/smith") or mid-word ("example.c/o.uk").
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://)?(?:[\w-]{2,}\.)+[a-z]{2,}(?:/[^\s<>\"]*)?")
_OPENING = re.compile(r"(?<=[/.@])(?=.)")


def breakable_address(text: str) -> str:
    """An (escaped) address whose only line-break opportunities are after / . @: each piece kept whole
    (white-space: nowrap), a <wbr> between them, and no breaking anywhere else (overflow-wrap: normal, no
    hyphenation) whatever the document's own style says."""
    pieces = _OPENING.split(text)
    return ('<span class="addr" style="overflow-wrap: normal; hyphens: manual">'
            + "<wbr>".join(f'<span style="white-space: nowrap">{p}</span>' for p in pieces) + "</span>")


def break_addresses(html: str) -> str:
    """A printed document's HTML with every web and e-mail address in its body text made breakable_address:
    text between tags only (never an attribute, a style or the title)."""
    head, sep, body = html.partition("<body")
    if not sep:
        return html
    parts = re.split(r"(<[^>]*>)", body)
    skip = False
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*(\w+)", part)
            if name and name.group(1).lower() in ("style", "script", "title"):
                skip = not part.startswith("</")
            continue
        if skip or not part:
            continue
        parts[i] = _ADDRESS.sub(lambda m: _one_address(m.group(0)), part)
    return head + sep + "".join(parts)


def _one_address(found: str) -> str:
    trail = re.search(r"[.,;:)]+$", found)
    if trail:  # a sentence's full stop or a closing bracket after the address is not part of it
        return breakable_address(found[:trail.start()]) + found[trail.start():]
    return breakable_address(found)


def device_cmyk(colour: str) -> str:
    """A #rrggbb colour as CSS device-cmyk(), for a print shop's CMYK cards: grey-component replacement in full
    (black ink carries all the grey, so a neutral is black ink alone, the commonest press-friendly separation).
    A naive conversion with no press profile: a shop that wants exact colour gives its CMYK values for the brand."""
    r, g, b = (v / 255 for v in rgb(colour))
    k = 1 - max(r, g, b)
    c, m, y = ((0.0, 0.0, 0.0) if k >= 1 else ((1 - v - k) / (1 - k) for v in (r, g, b)))
    return f"device-cmyk({c:.3g} {m:.3g} {y:.3g} {k:.3g})"


FILTERS = {"longdate": longdate, "plain_url": plain_url, "address_lines": address_lines,
           "address_inline": address_inline,
           "device_cmyk": device_cmyk}  # and render/regional.py's, which know the region
