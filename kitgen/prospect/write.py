"""Candidates to partner files: names and addresses out of the registers' capitals, every value checked as `kitgen
new partner` and `kitgen check` would, the kit's partners left out, nothing overwritten, all or nothing.

A partner file with no contacts yet is a prospect: where a relationship stands is derived from its log, never
typed (issue 26), so no `stage:` field is needed; `kitgen log` moves it on.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from anyascii import anyascii

from kitgen.content import phones, schema
from kitgen.content.load import partner_files
from kitgen.content.mail import display_name_problem
from kitgen.content.partnerfile import partner_yaml, talks_first
from kitgen.content.partners import Partner
from kitgen.content.rules import SLUG, npi_valid
from kitgen.content.text import PLACEHOLDER, slugify
from kitgen.content.text import problem as text_problem
from kitgen.content.yamlload import parse
from kitgen.problems import ContentError, Problems
from kitgen.project import PARTNERS, RESERVED_SLUGS, TALKS
from kitgen.prospect.registers import Candidate

_SMALL = {"and", "of", "the", "at", "for"}
_UPPER = {"N", "S", "E", "W", "NE", "NW", "SE", "SW", "PO", "LLC", "PC", "PA", "PLLC", "MD", "DO", "NHS", "GP", "UK",
          "II", "III", "IV", "USA"}


def fold(text: str) -> str:
    """What two spellings of one name share: "O'Neil-Smith" and "oneil smith" fold alike (as the report folds)."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).casefold())


def nice(text: str, keep_upper: bool = False) -> str:
    """A register's CAPITALS as people write them: "O'NEIL" -> "O'Neil", "MCDONALD" -> "McDonald", "2ND FL" ->
    "2nd Fl"; text already in mixed case is kept as written."""
    text = " ".join(text.split())
    if not text or (text != text.upper() and text != text.lower()):
        return text
    words = []
    for i, word in enumerate(text.split(" ")):
        if keep_upper and word.upper().strip(".,") in _UPPER:
            words.append(word.upper())
        elif i and word.lower() in _SMALL:
            words.append(word.lower())
        else:
            parts = re.split(r"([-'’/])", word.lower())
            word = "".join(p[:1].upper() + p[1:] for p in parts)
            word = re.sub(r"^(Mc)([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)
            words.append(re.sub(r"^(\d+)(St|Nd|Rd|Th)$", lambda m: m.group(1) + m.group(2).lower(), word))
    return " ".join(words)


def us_zip(postal: str) -> str:
    digits = re.sub(r"\D", "", postal)
    return f"{digits[:5]}-{digits[5:9]}" if len(digits) == 9 else digits[:5]


def address(c: Candidate) -> str:
    """One line: "480 Lakeside Dr, Suite 200, Eugene, OR 97401" (US) or "High Street, Leeds, LS1 4AP" (UK)."""
    street = [nice(s, keep_upper=True) for s in c.street if s.strip()]
    if c.ods_code:
        return ", ".join([*street, " ".join(c.postal.upper().split())])
    place = f"{c.state.strip().upper()} {us_zip(c.postal)}".strip()
    return ", ".join([*street, nice(c.city), place] if c.city else [*street, place])


@dataclass
class Prospect:
    """A partner file to write: its slug, its values and what was left out of it (and why)."""

    candidate: Candidate
    slug: str
    name: str
    credentials: str
    practice: str | None
    given: dict[str, str]
    left_out: list[str] = field(default_factory=list)


def existing(root: Path) -> tuple[set[str], set[str], set[tuple[str, str]], set[str]]:
    """NPIs, ODS codes, (folded name, folded practice) and slugs of the kit's partner files, read leniently: a file
    `check` would refuse still counts, so it is never added twice."""
    npis: set[str] = set()
    odss: set[str] = set()
    names: set[tuple[str, str]] = set()
    slugs: set[str] = set()
    for file in partner_files(root):
        slugs.add(file.stem.lower())
        try:
            data: Any = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if not isinstance(data, dict):
            continue
        if data.get("npi") is not None:
            npis.add(str(data["npi"]).strip())
        if data.get("ods_code") is not None:
            odss.add(str(data["ods_code"]).strip().upper())
        name = re.sub(r"^dr\.?\s+", "", str(data.get("name") or ""), flags=re.IGNORECASE)
        names.add((fold(name), fold(str(data.get("practice") or ""))))
    return npis, odss, names, slugs


def prospects(root: Path, found: list[Candidate], region: str, limit: int | None,
              notes: list[str]) -> list[Prospect]:
    """The candidates not yet in the kit, up to `limit`, each with a free slug and checked values. `notes` gets a
    line for every value left out."""

    npis, odss, names, taken = existing(root)
    result: list[Prospect] = []
    for c in found:
        if limit is not None and len(result) >= limit:
            break
        name = " ".join(p for p in (nice(c.first), nice(c.last)) if p)
        practice = nice(c.practice, keep_upper=True) or None
        if (c.npi and c.npi in npis) or (c.ods_code and c.ods_code.upper() in odss):
            continue
        if name and practice and (fold(name), fold(practice)) in names:
            continue
        if c.role == "practice":  # epraccur names no GPs: the file asks for one
            name = f"{PLACEHOLDER} the GP's name (the practice's website lists its GPs)"
            credentials = f"{PLACEHOLDER} the GP's degrees (MBChB, MBBS, MRCGP…)"
        else:
            credentials = " ".join(c.credentials.split()) or f"{PLACEHOLDER} the degrees after the name"
        wrong = [w for w in (text_problem(name), text_problem(credentials), practice and text_problem(practice),
                             c.role != "practice" and display_name_problem(f"Dr. {name}")) if w]  # model._partner_name
        if not name or wrong:
            notes.append(f"{c.line}: name: {wrong[0] if wrong else 'is empty'}; this row was left out")
            continue
        given: dict[str, str] = {}
        left_out: list[str] = []
        addr = address(c)
        if addr and not text_problem(addr):
            given["address"] = addr
        for key, value in (("phone", c.phone), ("fax", c.fax)):
            value = value.strip()
            if not value:
                continue
            if phones.problem(value, region) is None:
                given[key] = phones.display(value, region)
            else:
                left_out.append(f"{key}: {value!r} is not a valid number for region {region}")
        if c.npi:
            if npi_valid(c.npi):
                given["npi"] = c.npi
            else:
                left_out.append(f"npi: {c.npi!r} has a wrong check digit")
        if c.ods_code:
            given["ods_code"] = c.ods_code.upper()
        base = slugify(practice or "practice") if c.role == "practice" else slugify(name)
        base = base if SLUG.match(base) else "prospect"
        slug, n = base, 1
        while slug in taken or slug in RESERVED_SLUGS:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        if c.npi:
            npis.add(c.npi)
        if name and practice:
            names.add((fold(name), fold(practice)))
        result.append(Prospect(c, slug, name, credentials, practice, given, left_out))
        notes.extend(f"{c.line}: {what}; left out of {slug}.yaml" for what in left_out)
    return result


def write(root: Path, chosen: list[Prospect], source: Path, today: datetime.date, region: str) -> list[Path]:
    """Write content/partners/<slug>.yaml for each; none is overwritten, and if one cannot be written, none is.
    Each file is first read back through the schema as `kitgen check` reads it: only the TODOs a register cannot
    fill (a GP's name from epraccur) may be left for `check` to list; anything else refuses the run (ContentError)."""
    talks = sorted(p.stem for p in (root / TALKS).glob("*.md")) if (root / TALKS).is_dir() else []
    texts = []
    ordered: dict[str, list[str]] = {}  # talks for each specialty, theirs first (loads the kit once each)
    for p in chosen:
        header = (f"# Found by `kitgen prospect` in {source.name}, line {p.candidate.line}, on {today.isoformat()}: "
                  "a prospect until you log a contact.")
        if p.candidate.npi and p.practice:
            header += "\n# practice: the organisation the register lists at the same address; check it."
        texts.append(partner_yaml(p.name, p.slug, p.candidate.specialty, p.practice, p.credentials,
                                  ordered.setdefault(p.candidate.specialty,
                                                     talks_first(root, talks, p.candidate.specialty)),
                                  p.given, header))
    problems = Problems()
    context = {"content_dir": root / "content", "region": region, "today": None}
    for p, text in zip(chosen, texts):
        found = Problems()
        doc = parse(text, f"{PARTNERS}/{p.slug}.yaml", found)
        if doc is not None:
            schema.convert(Partner, doc, found, context=context)
        problems.extend(x for x in found if x.level == "error" and "placeholder (TODO)" not in x.message)
    if problems:
        raise ContentError(problems)
    folder = root / PARTNERS
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for p, text in zip(chosen, texts):
            target = folder / f"{p.slug}.yaml"
            with open(target, "x", encoding="utf-8") as f:  # "x": a file that appeared meanwhile is not replaced
                f.write(text)
            written.append(target)
    except OSError:
        for path in written:  # only the files this run made
            path.unlink(missing_ok=True)
        raise
    return written
