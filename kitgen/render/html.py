"""Kit objects to HTML (and the print stylesheet) through the theme's Jinja templates. No I/O beyond templates.

Documents see the kit through render/record.py's tracked objects, so everything a template reads is recorded
as what the document was made from.
"""

from __future__ import annotations

from kitgen import record
from kitgen.content.model import Kit, Partner
from kitgen.content import languages
from kitgen.documents.kinds import KINDS, SITE, Kind, split
from kitgen.render.themes import Theme

PRINT_CSS = "print.css"


def qr_path(kind: Kind, site: str, folder: str) -> str:
    """The partner's QR code as a document of `kind` links it: vector on the web, 1-bit PNG in PDFs."""
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
        featured=lambda s: bool(who) and seen.featured(s, who),
        talk=talk, talk_body=record.LazyHtml(record.unwrap(talk).body_html, f"value:talk_for:{who.slug}")
        if talk else "",
        referral_url=seen.referral_url(who) if who else None, page_url=seen.page_url(who) if who else None,
        stock=seen.config.stock, files=KINDS.file_names, root=site, assets=site + "assets/", media=site + "media/",
        qr=qr_path(kind, site, seen.page_path(who)) if who else None,
        downloads=KINDS.links(seen, who, site, talk) if who else [],
        density=density, build_date=moment.strftime("%Y-%m-%dT%H:%M:%SZ"), build_day=moment.date(),
        code=seen.referral_code(who) if who else None,
        lang=language or seen.config.language, patient_languages=patient_languages(seen),
    )
    if language is not None:
        context["locale"] = languages.babel_locale(language, seen.config.regional.country)
    if kind.context:
        context.update(kind.context(seen, who, theme))
    assert kind.template, f"{kind.name} is made in code, not from a template"
    return theme.env.get_template(kind.template).render(context)


def in_language(kit: Kit, tag: str) -> Kit:
    """The kit as a patient piece in `tag` sees it: the practice's texts in that language, or left out."""
    import dataclasses
    return dataclasses.replace(kit, practice=languages.localized(kit.practice, tag))


def patient_languages(seen: record.TrackedKit) -> list[dict[str, str]]:
    """The patients' languages, for the physicians' pieces: each tag, its name in the kit's language and in
    itself, and the Babel locale of its own catalog ("Se habla español" comes from the Spanish one)."""
    config = seen.config
    if not config.patient_languages:
        return []
    mine = languages.babel_locale(config.language, config.regional.country)
    return [{"tag": tag, "name": languages.name_in(tag, mine), "own": languages.own_name(tag),
             "locale": languages.babel_locale(tag, config.regional.country),
             "other": config.other_language(tag)} for tag in config.patient_tags]


def render_print_css(kit: Kit, theme: Theme) -> str:
    """The print stylesheet, a template so paper and card geometry come from the config."""
    config = record.kit(kit).config
    stock = config.stock
    return theme.env.get_template(PRINT_CSS).render(config=config, stock=stock, cells=stock.cells(),
                                                    offset=config.card_offset)
