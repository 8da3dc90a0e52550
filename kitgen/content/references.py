"""What a partner file points at in other files: its talk, and its specialty (which services and talks list).

Checked from the file's own values even when another field of the same file is wrong (a bad date must not hide a
missing talk until the next run), and never blamed on partners for a talk file that is itself invalid: that talk
is reported once, at its own file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from kitgen.content.model import SLUG, Practice
from kitgen.content.partners import Partner, Talk
from kitgen.content.text import slugify
from kitgen.content.yamlload import Document
from kitgen.problems import Problems

TALKS = "content/talks"


def _value(partner: Partner | None, doc: Document, key: str) -> str | None:
    """The partner's `key`: from the converted partner, or (when the file had another error) from its YAML."""
    if partner is not None:
        value: str | None = getattr(partner, key)
        return value
    raw = doc.data.get(key) if isinstance(doc.data, dict) else None
    return raw.strip() if isinstance(raw, str) and SLUG.match(raw.strip()) else None


def check(partners: Iterable[tuple[Partner | None, Document]], talks: list[Talk], broken_talks: set[str],
          practice: Practice | None, problems: Problems) -> None:
    """Every partner's talk exists; a specialty no service and no talk lists is a warning with the known ones."""
    talk_slugs = [t.slug for t in talks]
    known = {s for t in talks for s in t.specialties}
    if practice is not None:
        known |= {s for service in practice.services for s in service.specialties}
    known = {slugify(s) for s in known}  # 'Pediatrics' is an error of its own (`specialties`), not another name
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


def specialties(partners: Iterable[tuple[Partner | None, Document]], practice_doc: Document | None,
                talk_docs: Iterable[Document], problems: Problems) -> None:
    """The `specialties` of services (practice.yaml) and talks, read from their files (so a mistake elsewhere in
    the file hides none): each a slug, as partners' `specialty` is, else an error that suggests the slug or the
    closest specialty the kit uses (partners', other services' and talks'); a slug no partner has but close to a
    partner's that another service or talk lists is a warning. A service listing
    `Pediatrics` would otherwise be featured for no pediatrician and miss that the practice sees children."""
    lists: list[tuple[Document, tuple[str | int, ...], str, str]] = []  # (doc, key, field, what it features)
    if practice_doc is not None and isinstance(practice_doc.data, dict):
        services = practice_doc.data.get("services")
        for i, service in enumerate(services if isinstance(services, list) else []):
            if isinstance(service, dict) and isinstance(service.get("specialties"), list):
                lists.append((practice_doc, ("services", i, "specialties"), f"services[{i}].specialties",
                              "this service"))
    for doc in talk_docs:
        if isinstance(doc.data, dict) and isinstance(doc.data.get("specialties"), list):
            lists.append((doc, ("specialties",), "specialties", "this talk"))
    entries = [(doc, key, field, what, j, value.strip()) for doc, key, field, what in lists
               for j, value in enumerate(_at(doc.data, key)) if isinstance(value, str)]
    partners_have = {s for s in (_value(p, doc, "specialty") for p, doc in partners) if s}
    for doc, key, field, what, j, value in entries:
        elsewhere = {v for d, k, _, _, _, v in entries if (d is not doc or k != key) and SLUG.match(v)}
        others = partners_have | elsewhere
        line, where = doc.line(key + (j,)), f"{field}[{j}]"
        if not SLUG.match(value):
            written = slugify(value)
            close = difflib.get_close_matches(written, sorted(others), n=1, cutoff=0.75)
            hint = f"write {written}" if written in others or not close else f"did you mean {close[0]}?"
            problems.error(doc.path, line, where, f"{value!r} is not a slug (lowercase letters, digits and hyphens, "
                           f"as a partner's `specialty`): {hint}")
        elif value not in partners_have:  # a near miss of a partner's that another entry lists (else the partner
            listed = partners_have & elsewhere  # file is warned about, as the one that may be misspelt)
            close = difflib.get_close_matches(value, sorted(listed), n=1, cutoff=0.8)
            if close:
                problems.warn(doc.path, line, where, f"'{value}' is no partner's specialty, so it features {what} "
                              f"for nobody; did you mean '{close[0]}'?")


def _at(data: object, key: tuple[str | int, ...]) -> list[object]:
    for part in key:
        data = data[part]  # type: ignore[index]
    return data  # type: ignore[return-value]
