"""The makers the kinds table (kitgen/kinds.py) names: a file's bytes, or a template's extra variables, or a
kind's variants, from the kit (and partner) as documents see them (kitgen/record.py's proxies, which stand for the
Kit and Partner they wrap). Imported on a maker's first call, so a no-op build imports none of them."""

from __future__ import annotations

from collections.abc import Sequence

from kitgen.content.model import Kit
from kitgen.content.partners import Partner
from kitgen.documents import brandcss, favicon, followups, intro, pagehead, privacy, qr, redirects, vcard, webfonts
from kitgen.kinds import KINDS
from kitgen.record import build_day
from kitgen.render import balance
from kitgen.render.themes import Theme


def _own(partner: Partner | None) -> Partner:
    """The partner of a per-partner kind's maker (the planner gives one to every kind of scope "partner")."""
    assert partner is not None, "a partner's document is made for a partner"
    return partner


def qr_svg(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return qr.for_partner(kit, _own(partner))


def qr_print(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return qr.print_for_partner(kit, _own(partner))


def patient_qr_print(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    url = kit.patient_qr_url(_own(partner))
    assert url is not None, "made only with a patient_url (with_patient_url)"
    return qr.print_svg(url)


def with_patient_url(kit: Kit, partner: Partner | None) -> Sequence[str]:
    """The patient's QR code is made only for a `referral.patient_url`: never the physicians' form."""
    return [""] if kit.patient_url(_own(partner)) else []


def patient_qr(kit: Kit, partner: Partner | None, theme: Theme) -> dict[str, object]:
    """The patient's address and its QR code (beside the document): cards and the patient leaflet. Without
    `referral.patient_url` both are None and the pieces offer the phone only. The address printed is the one the
    code holds: the kit's own, which forwards (redirects.py), so a printed card outlives a change of booking page."""
    url = kit.patient_qr_url(_own(partner))
    return {"patient_url": url, "patient_qr": KINDS["patient_qr_print"].named() if url else None}


def redirect_keys(kit: Kit, partner: Partner | None) -> Sequence[str]:
    return redirects.keys(kit, "r")


def patient_redirect_keys(kit: Kit, partner: Partner | None) -> Sequence[str]:
    return redirects.keys(kit, "p")


def redirect_page(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return redirects.page(kit, theme, "r", variant)


def patient_redirect_page(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return redirects.page(kit, theme, "p", variant)


def redirect_js(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return redirects.SCRIPT_TEXT.encode()


def redirects_file(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return redirects.redirects_file(kit)


def redirects_wanted(kit: Kit, partner: Partner | None) -> Sequence[str]:
    return redirects.wanted(kit)


def parts(kit: Kit, partner: Partner | None, theme: Theme) -> dict[str, object]:
    return {"parts": balance.mark_parts}


def card_sheets(kit: Kit, partner: Partner | None) -> Sequence[str]:
    return kit.card_sheets(partner)


def headers(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return privacy.headers_file()


def vcard_file(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return vcard.practice_card(kit, theme)


def intro_email(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return intro.intro_email(kit, _own(partner), theme)


def intro_paragraphs(kit: Kit, partner: Partner | None, theme: Theme) -> dict[str, object]:
    """The letter's body, and its date: the day it is built (SOURCE_DATE_EPOCH's when set), not as_of."""
    who = _own(partner)
    return {"intro": lambda medium="letter": intro.paragraphs(kit, theme, who, medium), "build_day": build_day()}


def followups_file(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return followups.calendar(kit)


def brand_css(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return brandcss.stylesheet(kit)


def web_font(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return webfonts.make(kit, theme, variant)


def web_faces(kit: Kit, partner: Partner | None) -> list[str]:
    return webfonts.faces(kit)


def favicon_file(kit: Kit, partner: Partner | None, theme: Theme, variant: str) -> bytes:
    return favicon.make(kit)


def favicon_formats(kit: Kit, partner: Partner | None) -> list[str]:
    return favicon.formats(kit)


def page_head(kit: Kit, partner: Partner | None, theme: Theme) -> dict[str, object]:
    return {"head": pagehead.head(kit, KINDS["favicon"].filename)}
