"""Kit objects to HTML (and the print stylesheet) through the theme's Jinja templates. No I/O beyond templates."""

from __future__ import annotations

import datetime
import os
import re

from markupsafe import Markup

from kitgen.content.model import Kit, Partner
from kitgen.documents.kinds import BY_NAME, FILE_NAMES, SITE
from kitgen.render.themes import Theme

PRINT_CSS = "print.css"


def tel(number: str) -> str:
    """'+1 541-555-0142' -> 'tel:+15415550142', the form every phone dials; an extension ('ext. 204', 'x204',
    'extension 204', '#204') becomes RFC 3966's ';ext=204' instead of more digits to dial."""
    found = re.search(r"\s*(?:ext\.?|extension|x|#)\s*(\d+)\s*$", number, re.IGNORECASE)
    main, ext = (number[:found.start()], found.group(1)) if found else (number, None)
    return "tel:" + re.sub(r"[^\d+]", "", main) + (f";ext={ext}" if ext else "")


def longdate(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def plain_url(url: str) -> str:
    """An address as people read it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def _install_filters(theme: Theme) -> None:
    env = theme.env
    if "tel" not in env.filters:
        env.filters.update(tel=tel, longdate=longdate, plain_url=plain_url)


def build_moment(kit: Kit) -> datetime.datetime:
    """The moment stamped into documents (UTC): SOURCE_DATE_EPOCH when set, else the content's own as-of date,
    never the clock, so two builds of the same input are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.combine(kit.practice.availability.as_of, datetime.time(), datetime.UTC)


def build_date(kit: Kit) -> str:
    """The build moment as ISO 8601, as PDF metadata carries it."""
    return build_moment(kit).strftime("%Y-%m-%dT%H:%M:%SZ")


def qr_path(kind: str, site: str, folder: str) -> str:
    """The partner's QR code as a document of `kind` links it: vector on the web, 1-bit PNG in PDFs."""
    name = FILE_NAMES["qr_print" if BY_NAME[kind].format == "pdf" else "qr"]
    return name if BY_NAME[kind].area == SITE else f"{site}{folder}{name}"


def render_partner(kit: Kit, theme: Theme, kind: str, partner: Partner, density: str = "normal") -> str:
    """The HTML of one partner's document of `kind`; `density="compact"` asks the template to condense."""
    _install_filters(theme)
    talk = kit.talk_for(partner)
    site = "../" if BY_NAME[kind].area == SITE else f"../../{SITE}/"  # from the document's folder to site/
    folder = kit.page_path(partner)
    moment = build_moment(kit)
    context = dict(
        kit=kit, config=kit.config, practice=kit.practice, partner=partner, kind=kind,
        services=kit.services_for(partner), featured=lambda s: kit.featured(s, partner),
        talk=talk, talk_body=Markup(talk.body_html) if talk else "",
        referral_url=kit.referral_url(partner), page_url=kit.page_url(partner),
        stock=kit.config.stock, files=FILE_NAMES, root=site, assets=site + "assets/", media=site + "media/",
        qr=qr_path(kind, site, folder),
        density=density, build_date=moment.strftime("%Y-%m-%dT%H:%M:%SZ"), build_day=moment.date(),
        code=kit.referral_code(partner), intro=lambda medium="letter": _intro(kit, theme, partner, medium),
    )
    return theme.env.get_template(BY_NAME[kind].template).render(context)


def _intro(kit: Kit, theme: Theme, partner: Partner, medium: str) -> list[str]:
    from kitgen.documents import intro  # only the intro letter asks for it
    return intro.paragraphs(kit, theme, partner, medium)


def render_print_css(kit: Kit, theme: Theme) -> str:
    """The print stylesheet, a template so paper and card geometry come from the config."""
    _install_filters(theme)
    stock = kit.config.stock
    return theme.env.get_template(PRINT_CSS).render(config=kit.config, stock=stock, cells=stock.cells(),
                                                    offset=kit.config.card_offset)
