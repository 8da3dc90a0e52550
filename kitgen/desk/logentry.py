"""`kitgen log PARTNER KIND`: one contact appended to the partner's `contacts:`, every other byte of the file kept.

A round-trip YAML library re-emits the whole file (ruamel.yaml, tried: it re-spaces `{ date: …}` and comments,
and adds a final newline), so the entry is inserted as text instead: at the end of the `contacts:` list, in the
style of its last item (a flow mapping on one line, or block lines at the same indent), with the file's own line
ends. The new text is then read back as `check` reads it, and must give the old log plus exactly the new entry,
before it replaces the file (written aside, then moved into place).
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import yaml

from kitgen.content import schema
from kitgen.content.model import Kit
from kitgen.content.partners import Partner, PartnerContact
from kitgen.content.yamlload import parse
from kitgen.problems import ContentError, Problem, Problems

PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .'()/-]*")
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def find(kit: Kit, query: str) -> Partner:
    """The partner named by slug, referral code, or a part of the name only one partner's name has."""
    q = query.strip()
    for p in kit.partners:
        if q == p.slug or q.upper() == kit.referral_code(p):
            return p
    key = _fold(q)
    found = [p for p in kit.partners if key and key in _fold(p.display_name)]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(f"{p.display_name} ({p.slug})" for p in found)
        raise ContentError([Problem("PARTNER", 0, "partner", f"{query!r} is in {len(found)} partners' names: {names}; "
                                    "give the slug or the referral code")])
    known = ", ".join(p.slug for p in kit.partners)
    raise ContentError([Problem("PARTNER", 0, "partner", f"no partner {query!r}; give a slug, a referral code or part "
                                f"of a name (partners: {known})")])


def _fold(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace(".", " ").split())


def entry_text(entry: PartnerContact) -> list[tuple[str, str]]:
    """The entry's keys and values as YAML, in the documented order."""
    pairs = [("date", entry.date.isoformat()), ("kind", entry.kind)]
    if entry.minutes is not None:
        pairs.append(("minutes", str(entry.minutes)))
    if entry.cost is not None:
        pairs.append(("cost", str(int(entry.cost)) if entry.cost == int(entry.cost) else repr(entry.cost)))
    if entry.note:
        note = entry.note
        safe = PLAIN.fullmatch(note) and note.casefold() not in RESERVED
        pairs.append(("note", note if safe else json.dumps(note, ensure_ascii=False)))
    return pairs


def appended(text: str, entry: PartnerContact, shown: str) -> str:
    """`text` with the entry added to its `contacts:`; ContentError (located) where that cannot be done safely."""
    nl = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    pairs = entry_text(entry)
    flow = "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
    root = yaml.compose(body, Loader=yaml.SafeLoader)  # the pure-Python reader: marks count characters
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise ContentError([Problem(shown, 1, "contacts", "the file is not a list of `key: value` lines, so kitgen "
                                    f"cannot add to it safely; add this line to contacts: yourself:  - {flow}")])
    if re.search(r"^\.\.\.\s*$", body, re.MULTILINE):
        raise ContentError([Problem(shown, 1, "contacts", "the file has a `...` end marker; delete it, or add this "
                                    f"line to contacts: yourself:  - {flow}")])
    value = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "contacts"), None)
    if value is None:  # no log yet: a new key at the end
        tail = "" if not body or body.endswith(("\n", "\r")) else nl
        return bom + body + tail + f"contacts:{nl}  - {flow}{nl}"
    if isinstance(value, yaml.ScalarNode):  # `contacts:` with nothing after it, or `contacts: ~`
        if value.value not in ("", "~", "null", "Null", "NULL") or value.style:
            raise ContentError([Problem(shown, value.start_mark.line + 1, "contacts", "is not a list")])
        if value.start_mark.index == value.end_mark.index:  # empty: the entry on the next line
            at = _line_end(body, value.start_mark.index)
            return bom + body[:at] + (nl if at == len(body) and not body.endswith("\n") else "") + \
                f"  - {flow}{nl}" + body[at:]
        return bom + body[:value.start_mark.index] + f"[{flow}]" + body[value.end_mark.index:]
    if not isinstance(value, yaml.SequenceNode):
        raise ContentError([Problem(shown, value.start_mark.line + 1, "contacts", "is not a list")])
    if value.flow_style:  # [a, b] or []: before the closing bracket
        close = value.end_mark.index - 1
        inside = body[value.start_mark.index + 1:close].strip()
        return bom + body[:close] + ((", " if inside else "") + flow) + body[close:]
    last = value.value[-1]
    end = _content_end(last)
    at = end if end > 0 and body[end - 1] in "\r\n" else _line_end(body, end)
    lead = "" if at == 0 or body[at - 1] in "\n" else nl
    dash = " " * value.start_mark.column
    if isinstance(last, yaml.MappingNode) and not last.flow_style:
        inner = " " * last.start_mark.column
        lines = [f"{dash}- {pairs[0][0]}: {pairs[0][1]}"] + [f"{inner}{k}: {v}" for k, v in pairs[1:]]
        new = nl.join(lines) + nl
    else:
        new = f"{dash}- {flow}{nl}"
    return bom + body[:at] + lead + new + body[at:]


def _content_end(node: yaml.Node) -> int:
    """Where a node's own text ends: a block mapping's end mark can lie past trailing comments and blank lines."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    children = [c for pair in node.value for c in (pair if isinstance(pair, tuple) else (pair,))]
    return max((_content_end(c) for c in children), default=int(node.end_mark.index))


def _line_end(text: str, index: int) -> int:
    """The index just past the line break ending the line that holds `index` (or the text's end)."""
    m = re.compile(r"\r\n|\n|\r").search(text, index)
    return m.end() if m else len(text)


def log(kit: Kit, query: str, kind: str, day: datetime.date, minutes: int | None, note: str | None,
        cost: float | None, today: datetime.date) -> tuple[Partner, Path, PartnerContact]:
    """Append the contact to the partner's file, or raise ContentError with every problem and write nothing."""
    partner = find(kit, query)
    path = Path(kit.root) / partner.source
    problems = Problems()
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    cents = None if cost is None else round(cost, 2)
    entry = PartnerContact(day, kind, minutes, note, cents)  # unchecked until read back, as check reads it, below
    new = appended(text, entry, partner.source)
    doc = parse(new.removeprefix("\ufeff"), partner.source, problems)
    got = schema.convert(Partner, doc, problems, context={"content_dir": Path(kit.root) / "content", "today": today,
                                                           "region": kit.config.region}) if doc else None
    if problems.errors or got is None:
        raise ContentError([_as_option(p) for p in problems.errors] or [
            Problem(partner.source, 0, "contacts", "could not be read back; nothing was written")])
    want = [*partner.contacts, entry]
    rest = dataclasses.replace(got, contacts=[], slug=partner.slug, source=partner.source,
                               region_title=partner.region_title)
    if got.contacts != want or rest != dataclasses.replace(partner, contacts=[]):
        raise ContentError([Problem(partner.source, 0, "contacts", "kitgen could not add the entry without changing "
                                    "something else; nothing was written. Add it yourself:  - " + "{" + ", ".join(
                                        f"{k}: {v}" for k, v in entry_text(entry)) + "}")])
    _replace(path, new.encode("utf-8"))
    return partner, path, entry


def _as_option(problem: Problem) -> Problem:
    """A problem with the new entry is about the option given, not about a line the user cannot see yet."""
    m = re.fullmatch(r"contacts\[\d+\]\.(\w+)", problem.field)
    option = {"date": "--date", "kind": "KIND", "minutes": "--minutes", "note": "--note", "cost": "--cost"}.get(
        m.group(1) if m else "")
    if option is None:
        return problem
    return Problem(problem.path, 0, option, problem.message + "; nothing was written", problem.level)


def _replace(path: Path, data: bytes) -> None:
    """Written aside in the same folder, then moved over the file: never a half-written partner file."""
    mode = path.stat().st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".kitgen-new", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
