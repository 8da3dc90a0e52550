"""Kit objects to HTML (and the print stylesheet) through the theme's Jinja templates. No I/O beyond templates.

Documents see the kit through render/record.py's tracked objects, so everything a template reads is recorded
as what the document was made from.
"""

from __future__ import annotations

import dataclasses
from typing import TypedDict

from kitgen import record
from kitgen.content import languages
from kitgen.content.model import Kit
from kitgen.content.partners import Partner
from kitgen.kinds import KINDS, SITE, Download, Kind, split
from kitgen.render import i18n
from kitgen.render.filters import break_addresses
from kitgen.render.themes import Theme

PRINT_CSS = "print.css"


class LanguageEntry(TypedDict):
    """One of the patients' languages, as templates read it (`patient_languages`)."""

    tag: str
    name: str      # in the kit's language
    other: bool    # not the kit's own language
    spoken: str    # "Se habla español.", in that language
    leaflet: str   # the leaflet's link, in that language


def qr_path(kind: Kind, site: str, folder: str) -> str:
    """The partner's QR code as a document of `kind` links it: vector SVG everywhere, in black ink for PDFs."""
    name = KINDS["qr_print" if kind.format == "pdf" else "qr"].filename
    return name if kind.area == SITE else f"{site}{folder}{name}"


def render_partner(kit: Kit, theme: Theme, kind: Kind | str, partner: Partner | None, density: str = "normal",
                   variant: str = "") -> str:
    """The HTML of one document of `kind`: a partner's, or the practice's when `partner` is None (then the
    partner's values are None). `density="compact"` asks the template to condense; `variant` is the fan-out's."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    variant, language = split(variant)
    if language is not None:  # a patient piece in another language: the practice's words in that language only
        kit = in_language(kit, language)
    seen, who = record.kit(kit), record.partner(partner)
    talk = seen.talk_for(who) if who else None
    site = "../" if kind.area == SITE else f"../../{SITE}/"  # from the document's folder to site/
    if not kind.per_partner:
        site = "" if kind.area == SITE else f"../{SITE}/"
    moment = record.build_moment(seen)
    context = dict(
        kit=seen, config=seen.config, practice=seen.practice, partner=who, kind=kind.name, variant=variant,
        services=seen.services_for(who) if who else seen.practice.services,
        featured=lambda s: who is not None and seen.featured(s, who),
        talk=talk, talk_body=record.LazyHtml(record.unwrap(talk).body_html, record.value("talk_for", who.slug))
        if talk and who else "",
        # on paper, the address the QR code holds: the kit's own, forwarding to the form wherever it moves
        referral_url=(seen.qr_url(who) if kind.format == "pdf" else seen.referral_url(who)) if who else None,
        page_url=seen.page_url(who) if who else None,
        stock=seen.config.stock, files=KINDS.file_names, root=site, assets=site + "assets/", media=site + "media/",
        qr=qr_path(kind, site, seen.page_path(who)) if who else None,
        downloads=KINDS.links(seen, who, site, talk) if who else [],
        density=density, build_date=moment.strftime("%Y-%m-%dT%H:%M:%SZ"), build_day=moment.date(),
        code=seen.referral_code(who) if who else None,
        lang=language or seen.config.language,
    )
    entries = context["patient_languages"] = patient_languages(seen, theme)
    context["language_link"] = lambda d: _language_link(d, entries)
    locale = languages.babel_locale(language, seen.config.regional.country) if language is not None \
        else languages.kit_locale(seen.config)
    if locale is not None:
        context["locale"] = locale
    if kind.context:
        context.update(kind.context(seen, who, theme))
    assert kind.template, f"{kind.name} is made in code, not from a template"
    page = theme.env.get_template(kind.template).render(context)
    if kind.format == "pdf":  # on paper a web or e-mail address breaks only after / . @ (render/filters.py)
        page = break_addresses(page)
    return page


def _language_link(download: Download, entries: list[LanguageEntry]) -> LanguageEntry | None:
    """The language entry of a patient piece's line in a landing page's downloads (None: not one, or the kit
    lists no patient languages): its link names the language, in that language."""
    if not entries or not download.kind.patient:
        return None
    tag = download.language
    return next((e for e in entries if (e["tag"] == tag if tag else not e["other"])), None)


def in_language(kit: Kit, tag: str) -> Kit:
    """The kit as a patient piece in `tag` sees it: the practice's texts in that language, or left out. Whom the
    pieces address is the practice's, whatever is left out: a children's service without a Spanish text must not
    turn the Spanish leaflet into one for adults (the audience is derived from the services)."""
    practice = dataclasses.replace(kit.practice, patients=kit.practice.audience)
    return dataclasses.replace(kit, practice=languages.localized(practice, tag))


def patient_languages(seen: Kit, theme: Theme) -> list[LanguageEntry]:
    """The patients' languages, for the physicians' pieces: each tag, its name in the kit's language, and the
    words that name it in its own language, from its own catalog ("Se habla español.", the leaflet's link)."""
    config = seen.config
    if not config.patient_languages:
        return []
    region = config.regional
    mine = languages.babel_locale(config.language, region.country)
    found: list[LanguageEntry] = []
    for tag in config.patient_tags:
        other = config.other_language(tag)
        locale = languages.babel_locale(tag, region.country) if other else languages.kit_locale(config)
        own = i18n.gettext_for(theme.dirs, region, locale)
        name = languages.name_in(tag, locale or mine)
        found.append({"tag": tag, "name": languages.name_in(tag, mine), "other": other,
                      "spoken": own(languages.SPOKEN_HERE, language=name),
                      "leaflet": own(languages.LEAFLET_IN, language=name)})
    return found


def render_print_css(kit: Kit, theme: Theme) -> str:
    """The print stylesheet, a template so paper and card geometry come from the config."""
    config = record.kit(kit).config
    stock = config.stock
    return theme.env.get_template(PRINT_CSS).render(config=config, stock=stock, cells=stock.cells(),
                                                    offset=config.card_offset)
