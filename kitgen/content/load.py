"""Load a kit project from disk into a validated Kit, or raise ContentError with every located problem."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from kitgen.content import brand, credentials, images, languages, lint, markdown, references, regions, schema, stock
from kitgen.content.config import Config
from kitgen.content.model import SLUG, Kit, Practice
from kitgen.content.partners import Partner, Talk
from kitgen.content.text import slugify
from kitgen.content.yamlload import Document, load, parse, read_text
from kitgen.problems import ContentError, Problems
from kitgen.project import CONFIG, PARTNERS, PRACTICE, RESERVED_SLUGS, TALKS, not_a_project, today

PARTNER_SUFFIXES = (".yaml", ".yml")

T = TypeVar("T")


def source_files(root: Path) -> list[Path]:
    """Every content file a build reads, so callers can fingerprint them without parsing."""
    files = [root / CONFIG, root / PRACTICE]
    files += _partner_files(root) + sorted((root / TALKS).glob("*.md"))
    return [f for f in files if f.is_file()]


def _partner_files(root: Path) -> list[Path]:
    folder = root / PARTNERS
    if not folder.is_dir():
        return []
    # dotfiles are editors' (emacs lock links, backups), never partners; "Jane-Smith.YAML" is a partner file too
    return sorted(f for f in folder.iterdir() if f.suffix.lower() in PARTNER_SUFFIXES and not f.name.startswith("."))


def load_kit(root: Path, today: datetime.date | None = None) -> tuple[Kit, Problems]:
    """The validated kit and its warnings (lint included); raises ContentError when anything is an error.

    `today` (a date) is what staleness is measured against; by default $KITGEN_TODAY, else the clock.
    """
    root = Path(root)
    problems = Problems()
    context: dict[str, Any] = {"content_dir": root / "content", "today": _today_or_none(today)}
    if not (root / CONFIG).is_file() and not (root / "content").is_dir():  # not a kit project: one line, not three
        where = "no such folder" if not root.is_dir() else "no kitgen.yaml or content/ here"
        raise ContentError([not_a_project(root, where)])
    config, config_doc = _load_one(root, CONFIG, Config, problems, context)
    context["region"] = config.region if config else None  # phone numbers are read in the kit's region
    context["language"] = config.language if config else "en"  # a plain practice text is in the kit's language
    if config_doc is not None:
        problems.extend(brand.unquoted(config_doc))
        if config is not None:
            problems.extend(stock.setting_problems(config, config_doc))
    practice, practice_doc = _load_one(root, PRACTICE, Practice, problems,
                                       {**context, "translatable": languages.TRANSLATABLE})
    if practice is not None:
        practice = published(practice, context["content_dir"])  # media/<path inside content/>
        if practice_doc is not None:
            case_clashes(practice, practice_doc, problems)
    if config is not None and practice is not None and practice_doc is not None:
        languages.check(config, practice, practice_doc, problems)
        practice = languages.named(practice, config)  # "Sessions in English and Spanish", whatever was written
        _clinician_slugs(config, practice, practice_doc, problems)
    talks, broken_talks, talk_docs = _load_talks(root, problems)
    loaded = _load_partners(root, problems, context)  # (partner, or None when its file has errors; its YAML)
    references.check(loaded, talks, broken_talks, practice, problems)
    references.specialties(loaded, practice_doc, talk_docs, problems)
    lint.check(root, config, practice, practice_doc, problems, today, [doc for p, doc in loaded if p is not None],
               config_doc)
    if problems.errors:
        raise ContentError(problems)
    assert config is not None and practice is not None  # else an error was reported, and raised just above
    kit = Kit(root=root, config=config, practice=practice, partners=[p for p, _ in loaded if p is not None],
              talks=talks, practice_doc=practice_doc, config_doc=config_doc)
    return kit, problems


def _clinician_slugs(config: Config, practice: Practice, doc: Document, problems: Problems) -> None:
    """With a card sheet per clinician, two names that make the same file name would print one sheet: refused
    at the second name ('Maya Ortíz' and 'Maya Ortiz', or two names transliterated alike)."""
    if not config.cards_per_clinician:
        return
    seen: dict[str, int] = {}
    for i, clinician in enumerate(practice.clinicians):
        slug = clinician.slug
        if slug in seen:
            first = practice.clinicians[seen[slug]].name
            problems.error(doc.path, doc.line(("clinicians", i, "name")), f"clinicians[{i}].name",
                           f"{clinician.name!r} and {first!r} (line {doc.line(('clinicians', seen[slug], 'name'))})"
                           f" would share one card sheet, cards-{slug}.pdf (cards_per_clinician: true), so one "
                           "would not be printed; write the names so they differ in more than accents or case "
                           "(a middle initial, say)")
        else:
            seen[slug] = i


def _today_or_none(given: datetime.date | None) -> datetime.date | None:
    """What future dates are measured against; None when $KITGEN_TODAY is unreadable (lint says so)."""
    try:
        return today(given)
    except ValueError:
        return None


def _load_one(root: Path, rel: str, cls: type[T], problems: Problems,
              context: dict[str, Any]) -> tuple[T | None, Document | None]:
    file = root / rel
    if not file.is_file():
        hint = " (is this a kit project? `kitgen init DIR` makes one)" if rel == CONFIG else ""
        problems.error(rel, 0, "file", f"not found{hint}")
        return None, None
    doc = load(file, rel, problems)
    if doc is None:
        return None, None
    if doc.data is None:
        problems.error(rel, 1, "file", "is empty")
        return None, None
    return schema.convert(cls, doc, problems, context=context), doc


def _load_partners(root: Path, problems: Problems, context: dict[str, Any]) -> list[tuple[Partner | None, Document]]:
    files = _partner_files(root)
    if not files:
        problems.error(PARTNERS, 0, "partners", "no partner files; add one per physician: `kitgen new partner "
                       "\"Jane Smith\" --specialty ob-gyn` writes jane-smith.yaml")
        return []
    partners = []
    seen: dict[str, str] = {}  # slug -> the file that has it: jane-smith.yaml and jane-smith.yml are one partner
    for file in files:
        rel = f"{PARTNERS}/{file.name}"
        if not SLUG.match(file.stem):
            problems.error(rel, 0, "file", f"the name {file.stem!r} is not a slug: use lowercase letters, digits "
                           f"and hyphens, e.g. {slugify(file.stem)}{file.suffix}")
            continue
        if file.stem in seen:
            problems.error(rel, 0, "file", f"partner '{file.stem}' is already in {seen[file.stem]}; "
                           "keep one of the two files")
            continue
        seen[file.stem] = file.name
        if file.stem in RESERVED_SLUGS:
            problems.error(rel, 0, "file", f"'{file.stem}' is reserved for the site's own files; rename the file")
            continue
        if images.content_path(context["content_dir"], f"partners/{file.name}") is None:  # a link leading out
            problems.error(rel, 0, "file", "is a link to a file outside content/; kitgen reads only the project's "
                           "own files: copy the file here instead")
            continue
        doc = load(file, rel, problems)
        if doc is None:
            continue
        if doc.data is None:
            problems.error(rel, 1, "file", "is empty; a partner needs at least name, credentials, specialty and "
                           "practice")
            continue
        partner = schema.convert(Partner, doc, problems, context=context)
        if partner is not None:
            title = regions.get(context["region"]).title if context.get("region") else partner.region_title
            partner = replace(partner, slug=file.stem, source=rel, region_title=title)
            _unknown_credentials(partner, doc, problems)
        partners.append((partner, doc))
    return partners


def _unknown_credentials(partner: Partner, doc: Document, problems: Problems) -> None:
    """A warning when the credentials are nothing kitgen knows, so the title before the name is a guess."""
    if partner.title is not None or credentials.known(partner.credentials) or partner.honorific:
        return
    problems.warn(doc.path, doc.line(("credentials",)), "credentials",
                  f"kitgen does not recognise {partner.credentials!r}, so it prints the name without a title "
                  f"(\"Dear {partner.salutation},\"); if {partner.name} is addressed as Dr, add `title: "
                  f"{partner.region_title}` to this file (or the title they use, e.g. `title: Prof`; `title: \"\"` "
                  "for none)")


def _load_talks(root: Path, problems: Problems) -> tuple[list[Talk], set[str], list[Document]]:
    """The talks that loaded, the slugs of talk files that did not (already reported at their own file), and the
    front matter of every talk file that parsed (where its values are, for messages)."""
    folder = root / TALKS
    talks, broken, docs = [], set(), []
    for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        rel = f"{TALKS}/{file.name}"
        if images.content_path(root / "content", f"talks/{file.name}") is None:
            problems.error(rel, 0, "file", "is a link to a file outside content/; kitgen reads only the project's "
                           "own files: copy the file here instead")
            continue
        if not SLUG.match(file.stem):
            problems.error(rel, 0, "file", f"the name {file.stem!r} is not a slug: use lowercase letters, digits "
                           "and hyphens")
            continue
        broken.add(file.stem)  # until it loads
        text = read_text(file, rel, problems)
        if text is None:
            continue
        front, body, body_line = _split_front_matter(text)
        if front is None:
            problems.error(rel, 1, "file", "needs YAML front matter between two '---' lines (title, duration_minutes,"
                           " audience, objectives)")
            continue
        doc = parse(front, rel, problems, first_line=2)
        if doc is None:
            continue
        docs.append(doc)
        talk = schema.convert(Talk, doc, problems)
        if talk is not None:
            talks.append(replace(talk, slug=file.stem, source=rel, body_html=markdown.to_html(body),
                                 body_line=body_line))
            broken.discard(file.stem)
    return talks, broken, docs


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return None, text, 1


partner_files = _partner_files


# --- the practice's images, as published (content/images.py holds the rules for one image) ---------------------

def published(practice: Practice, content_dir: Path) -> Practice:
    """The practice with its logo and clinicians' photos rewritten to their content-relative paths (the rules in
    model.py have already refused paths outside content/)."""
    def fixed(value: str | None) -> str | None:
        return (images.content_path(content_dir, value) or value) if value else value

    clinicians = [replace(c, photo=fixed(c.photo)) for c in practice.clinicians]
    return replace(practice, logo=fixed(practice.logo), clinicians=clinicians)


def case_clashes(practice: Practice, doc: Document, problems: Problems) -> None:
    """Two published images whose paths differ only in case (or in how an accent is encoded): on a Mac, on
    Windows and on case-insensitive hosts they are one file, and one picture silently replaces the other."""
    used = [(("logo",), practice.logo)] + [(("clinicians", i, "photo"), c.photo)
                                           for i, c in enumerate(practice.clinicians)]
    seen: dict[str, tuple[tuple[str | int, ...], str]] = {}
    for key, path in used:
        if not path:
            continue
        folded = unicodedata.normalize("NFC", path).casefold()
        first = seen.setdefault(folded, (key, path))
        if first[1] != path:
            problems.error(doc.path, doc.line(key), _field(key), f"{path!r} and {first[1]!r} ({_field(first[0])}, line "
                           f"{doc.line(first[0])}) differ only in upper and lower case, so a Mac, Windows or a "
                           "case-insensitive host keeps one picture for both; rename one of the files")


def _field(key: tuple[str | int, ...]) -> str:
    """("clinicians", 1, "photo") -> "clinicians[1].photo"."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key).lstrip(".")


# --- what an image may be ---------------------------------------------------------------------------------------
