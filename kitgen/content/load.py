"""Load a kit project from disk into a validated Kit, or raise ContentError with every located problem."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

from kitgen.content import lint, markdown, regions, schema
from kitgen.content.model import SLUG, Config, Kit, Partner, Practice, Talk
from kitgen.content.yamlload import Document, load, parse, read_text
from kitgen.documents.kinds import RESERVED_SLUGS
from kitgen.problems import ContentError, Problems
from kitgen.project import CONFIG, PARTNERS, PRACTICE, TALKS, not_a_project

PARTNER_SUFFIXES = (".yaml", ".yml")


def source_files(root: Path) -> list[Path]:
    """Every content file a build reads, so callers can fingerprint them without parsing."""
    files = [root / CONFIG, root / PRACTICE]
    files += _partner_files(root) + sorted((root / TALKS).glob("*.md"))
    return [f for f in files if f.is_file()]


def _partner_files(root: Path) -> list[Path]:
    folder = root / PARTNERS
    if not folder.is_dir():
        return []
    # dotfiles are editors' (emacs lock links, backups), never partners
    return sorted(f for f in folder.iterdir() if f.suffix in PARTNER_SUFFIXES and not f.name.startswith("."))


def load_kit(root: Path, today=None) -> tuple[Kit, Problems]:
    """The validated kit and its warnings (lint included); raises ContentError when anything is an error.

    `today` (a date) is what staleness is measured against; by default $KITGEN_TODAY, else the clock.
    """
    root = Path(root)
    problems = Problems()
    context = {"content_dir": root / "content"}
    if not (root / CONFIG).is_file() and not (root / "content").is_dir():  # not a kit project: one line, not three
        where = "no such folder" if not root.is_dir() else "no kitgen.yaml or content/ here"
        raise ContentError([not_a_project(root, where)])
    config, config_doc = _load_one(root, CONFIG, Config, problems, context)
    context["region"] = config.region if config else None  # phone numbers are read in the kit's region
    practice, practice_doc = _load_one(root, PRACTICE, Practice, problems, context)
    talks = _load_talks(root, problems)
    partners = _load_partners(root, problems, context)
    talk_slugs = [t.slug for t in talks]
    for partner, doc in partners:
        if partner.talk and partner.talk not in talk_slugs:
            close = difflib.get_close_matches(partner.talk, talk_slugs, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"available: {', '.join(talk_slugs) or 'none'}"
            problems.error(doc.path, doc.line(("talk",)), "talk", f"no talk '{partner.talk}' in {TALKS}/; {hint}")
    lint.check(root, config, practice, practice_doc, problems, today, [doc for _, doc in partners], config_doc)
    if problems.errors:
        raise ContentError(problems)
    kit = Kit(root=root, config=config, practice=practice, partners=[p for p, _ in partners], talks=talks,
              practice_doc=practice_doc)
    return kit, problems


def _load_one(root: Path, rel: str, cls, problems: Problems, context: dict):
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


def _load_partners(root: Path, problems: Problems, context: dict) -> list[tuple[Partner, Document]]:
    files = _partner_files(root)
    if not files:
        problems.error(PARTNERS, 0, "partners", "no partner files; add one per physician, e.g. jane-smith.yaml")
        return []
    partners = []
    seen: dict[str, str] = {}  # slug -> the file that has it: jane-smith.yaml and jane-smith.yml are one partner
    for file in files:
        rel = f"{PARTNERS}/{file.name}"
        if not SLUG.match(file.stem):
            problems.error(rel, 0, "file", f"the name {file.stem!r} is not a slug: use lowercase letters, digits "
                           f"and hyphens, e.g. {_slugify(file.stem)}{file.suffix}")
            continue
        if file.stem in seen:
            problems.error(rel, 0, "file", f"partner '{file.stem}' is already in {seen[file.stem]}; "
                           "keep one of the two files")
            continue
        seen[file.stem] = file.name
        if file.stem in RESERVED_SLUGS:
            problems.error(rel, 0, "file", f"'{file.stem}' is reserved for the site's own files; rename the file")
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
            title = regions.get(context["region"]).title if context.get("region") else partner.title
            partners.append((replace(partner, slug=file.stem, source=rel, title=title), doc))
    return partners


def _load_talks(root: Path, problems: Problems) -> list[Talk]:
    folder = root / TALKS
    talks = []
    for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        rel = f"{TALKS}/{file.name}"
        if not SLUG.match(file.stem):
            problems.error(rel, 0, "file", f"the name {file.stem!r} is not a slug: use lowercase letters, digits "
                           "and hyphens")
            continue
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
        talk = schema.convert(Talk, doc, problems)
        if talk is not None:
            talks.append(replace(talk, slug=file.stem, source=rel, body_html=markdown.to_html(body),
                                 body_line=body_line))
    return talks


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1:]), i + 2
    return None, text, 1


def _slugify(name: str) -> str:
    import re
    import unicodedata
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "partner"


slugify = _slugify
