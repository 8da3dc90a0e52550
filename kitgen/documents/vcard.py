"""The practice's referral line as a vCard 4.0 (RFC 6350), so a physician's office saves it in one tap."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from kitgen.content import phones
from kitgen.content.regions import N_
from kitgen.documents.contentlines import document, line, param, text, uri
from kitgen.record import build_moment
from kitgen.render.filters import tel
from kitgen.render.i18n import gettext_for

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.render.themes import Theme

NOTE = N_("Referrals: %(form)s (secure form), or call %(number)s.")


def practice_card(kit: Kit, theme: Theme | None = None) -> bytes:
    """One vCard for the whole practice (KIND:org): name, work phone, fax, e-mail, web, address, referral form;
    its note in the theme's catalog for the region (the built-in theme's when `theme` is None). Every value goes
    through the shared encoder (contentlines.py): text escaped, parameters quoted per RFC 6868."""
    practice, contact, region = kit.practice, kit.practice.contact, kit.config.region
    name = text(practice.name)
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", line("FN", name), line("ORG", name),
             line("TEL", uri(tel(contact.phone, region)), [("VALUE", "uri"), ("TYPE", "work,voice")])]
    if contact.fax:
        lines.append(line("TEL", uri(tel(contact.fax, region)), [("VALUE", "uri"), ("TYPE", "work,fax")]))
    lines.append(line("EMAIL", text(contact.email), [("TYPE", "work")]))
    lines.append(line("URL", uri(contact.website or kit.config.site_root), [("TYPE", "work")]))
    # The address is free text in practice.yaml: kept whole in the street field and as the LABEL (line breaks
    # and all), rather than guessed apart into locality, region and postal code.
    lines.append(line("ADR", f";;{text(contact.address)};;;;", [("TYPE", "work"), ("LABEL", param(contact.address))]))
    call = phones.international(contact.phone, region)  # read anywhere: with its country code
    _ = gettext_for(theme.dirs if theme else None, kit.config.regional)
    lines.append(line("NOTE", text(_(NOTE, form=practice.referral.form_url, number=call))))
    lines.append(line("UID", uri(f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kit.config.site_root + '#practice')}")))
    lines.append(line("REV", f"{build_moment(kit):%Y%m%dT%H%M%SZ}"))
    lines.append("END:VCARD")
    return document(lines)
