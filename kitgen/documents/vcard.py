"""The practice's referral line as a vCard 4.0 (RFC 6350), so a physician's office saves it in one tap."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from kitgen.content.regions import N_
from kitgen.documents.contentlines import document, escape

NOTE = N_("Referrals: %(form)s (secure form), or call %(number)s.")


def practice_card(kit: Any, theme: Any = None) -> bytes:
    """One vCard for the whole practice (KIND:org): name, work phone, fax, e-mail, web, address, referral form;
    its note in the theme's catalog for the region (the built-in theme's when `theme` is None)."""
    from kitgen.content import phones
    from kitgen.record import build_moment
    from kitgen.render.filters import tel
    from kitgen.render.i18n import gettext_for
    practice, contact, region = kit.practice, kit.practice.contact, kit.config.region
    _tel = functools.partial(tel, region=region)
    name = escape(practice.name)
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org", f"FN:{name}", f"ORG:{name}",
             f"TEL;VALUE=uri;TYPE=work,voice:{_tel(contact.phone)}"]
    if contact.fax:
        lines.append(f"TEL;VALUE=uri;TYPE=work,fax:{_tel(contact.fax)}")
    lines.append(f"EMAIL;TYPE=work:{contact.email}")
    lines.append(f"URL;TYPE=work:{contact.website or kit.config.site_root}")
    # The address is one line of free text in practice.yaml: kept whole in the street field and as the LABEL,
    # rather than guessed apart into locality, region and postal code.
    label = contact.address.replace("\\", "\\\\").replace('"', "'")
    lines.append(f'ADR;TYPE=work;LABEL="{label}":;;{escape(contact.address)};;;;')
    call = phones.international(contact.phone, region)  # read anywhere: with its country code
    _ = gettext_for(theme and theme.dirs, kit.config.regional)
    lines.append(f"NOTE:{escape(_(NOTE, form=practice.referral.form_url, number=call))}")
    lines.append(f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, kit.config.site_root + '#practice')}")
    lines.append(f"REV:{build_moment(kit):%Y%m%dT%H%M%SZ}")
    lines.append("END:VCARD")
    return document(lines)
