"""What a partner file points at in other files: its talk, and its specialty (which services and talks list).

Checked from the file's own values even when another field of the same file is wrong (a bad date must not hide a
missing talk until the next run), and never blamed on partners for a talk file that is itself invalid: that talk
is reported once, at its own file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kitgen.content.model import SLUG, Partner, Practice, Talk
from kitgen.content.yamlload import Document
from kitgen.problems import Problems

TALKS = "content/talks"


def _value(partner: Partner | None, doc: Document, key: str) -> str | None:
    """The partner's `key`: from the converted partner, or (when the file had another error) from its YAML."""
    if partner is not None:
        return getattr(partner, key)
    raw = doc.data.get(key) if isinstance(doc.data, dict) else None
    return raw.strip() if isinstance(raw, str) and SLUG.match(raw.strip()) else None


def check(partners: Iterable[tuple[Partner | None, Document]], talks: list[Talk], broken_talks: set[str],
          practice: Practice | None, problems: Problems) -> None:
    """Every partner's talk exists; a specialty no service and no talk lists is a warning with the known ones."""
    talk_slugs = [t.slug for t in talks]
    known = {s for t in talks for s in t.specialties}
    if practice is not None:
        known |= {s for service in practice.services for s in service.specialties}
    for partner, doc in partners:
        talk = _value(partner, doc, "talk")
        if talk and talk not in talk_slugs and talk not in broken_talks:
            close = difflib.get_close_matches(talk, talk_slugs, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"available: {', '.join(talk_slugs) or 'none'}"
            problems.error(doc.path, doc.line(("talk",)), "talk", f"no talk '{talk}' in {TALKS}/; {hint}")
        specialty = _value(partner, doc, "specialty")
        if specialty and known and specialty not in known and practice is not None and not broken_talks:
            close = difflib.get_close_matches(specialty, sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.warn(doc.path, doc.line(("specialty",)), "specialty",
                          f"'{specialty}' is listed by no service and no talk, so nothing is tailored to this "
                          f"physician; {hint}known specialties: {', '.join(sorted(known))}")
