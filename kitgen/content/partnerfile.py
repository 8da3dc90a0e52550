"""A new partner file (`kitgen new partner`, `kitgen prospect`): every field of the model, the required ones
filled in, the optional ones commented out with an example and one line on what they do."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import yaml

from kitgen.content.text import PLACEHOLDER, slugify
from kitgen.content.text import problem as text_problem
from kitgen.problems import ContentError, Problem
from kitgen.project import CONFIG, PARTNERS, TALKS, not_a_project

PRACTICE_PLACEHOLDER = f"{PLACEHOLDER} the name of the physician's practice"


def yaml_scalar(value: str) -> str:
    """`value` as one YAML scalar on one line that reads back as the same string (quoted only when YAML needs it;
    a line break would otherwise continue the scalar on lines of its own)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=1 << 20).removesuffix("\n...\n").removesuffix("\n")
    one_line = "\n" not in text and value.isprintable()
    return text if one_line else json.dumps(value)  # a JSON string (all escaped) is a YAML string too


# Optional partner fields: an example value (written commented out) and one line on what the field does.
OPTIONAL = {
    "address": ('"480 Lakeside Dr, Suite 200, Eugene, OR 97401"', "the clinic's address, on the intro letter"),
    "office_contact": ("Dana Lee, office manager", "who you deal with at the office; the intro asks for them"),
    "talk": ("", "the lunch-and-learn talk; else the first for the specialty"),
    "note": ("Thank you for meeting with us on November 3.", "a personal line on the page and the one-pager"),
    "email": ("dana.lee@lakeside.example", "the office's e-mail: the intro e-mail draft is addressed to it"),
    "last_contact": ("2026-11-03", "when you last met or called: a follow-up is due three months later"),
    "contacts": ("[{date: 2026-11-03, kind: visit, minutes: 30}]", "the relationship log; see docs/format.md"),
    "referral_code": ("HW7K", "pins the 4-character code on the cards; else kitgen derives one"),
    "surname": ("García Márquez", "for 'Dear Dr García Márquez,' when the name's last word is not the surname"),
    "title": ("Prof", "the title before the name, over the credentials' Dr: Prof, Mr (a UK surgeon), \"\" for none"),
    "phone": ('"541-555-0182"', "the office's phone, for you (kitgen prospect copies it from the register)"),
    "fax": ('"541-555-0183"', "the office's fax"),
    "npi": ('"1234567893"', "the physician's NPI (US): kitgen prospect never adds the same one twice"),
    "ods_code": ("A81001", "the GP practice's ODS code (England, Wales), from epraccur"),
}
WRITTEN_BY_KITGEN = {"url_token": "written by kitgen when kitgen.yaml sets private_urls: true; leave it alone"}


def partner_yaml(name: str, slug: str, specialty: str, practice: str | None, credentials: str,
                 talks: list[str], given: dict[str, str] | None = None, header: str = "") -> str:
    """A partner file with every field of the model: the required ones filled in, the optional ones commented
    out with an example and one line on what they do. Fields are read from the Partner dataclass, so a field
    added to the model shows up here too (with a pointer to docs/format.md until it gets its own line)."""
    from kitgen.content.partners import Partner  # lazy: `kitgen init` needs yaml_scalar, not the model

    required = {
        "name": (yaml_scalar(name), "as the physician writes it, without 'Dr.'"),
        "credentials": (yaml_scalar(credentials), "a physician's degree (MD, DO) adds 'Dr.' on the page"),
        "specialty": (specialty, "a slug; services and talks listing it come first"),
        "practice": (yaml_scalar(practice or PRACTICE_PLACEHOLDER), "the clinic, as its staff say it"),
    }
    talk_hint = f" (one of: {', '.join(talks)})" if talks else " (a file name in content/talks/, without .md)"
    set_lines, commented, notes = [], [], []
    for f in dataclasses.fields(Partner):
        if f.metadata.get("derived"):
            continue
        optional = f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        if f.name in WRITTEN_BY_KITGEN:
            notes.append(f"# {f.name}: {WRITTEN_BY_KITGEN[f.name]}")
        elif not optional:
            value, why = required.get(f.name, (f'"{PLACEHOLDER}"', "see docs/format.md"))
            set_lines.append((f"{f.name}: {value}", f"required: {why}"))
        elif given and f.name in given:  # a value kitgen prospect found, set (`given`'s own check is the caller's)
            set_lines.append((f"{f.name}: {yaml_scalar(given[f.name])}", OPTIONAL.get(f.name, ("", "optional"))[1]))
        else:
            example, why = OPTIONAL.get(f.name, ("", "see docs/format.md"))
            if f.name == "talk":
                example, why = (talks[0] if talks else "perinatal-mood-screening"), why + talk_hint
            commented.append((f"# {f.name}: {example}".rstrip(), why))
    width = max(len(code) for code, _ in set_lines + commented) + 2
    lines = [f"# {name}: one physician partner. The file name is the slug: the page is <base_url>/{slug}/.",
             "# Every field is described in docs/format.md. To use an optional field, delete its '# '."]
    lines += [header] if header else []
    lines += [f"{code.ljust(width)}# {why}" for code, why in set_lines + commented]
    return "\n".join(lines + notes) + "\n"


def new_partner(root: Path, name: str, specialty: str, practice: str | None = None, credentials: str = "MD",
                slug: str | None = None) -> Path:
    """Write content/partners/<slug>.yaml for a new partner and return its path; never overwrites a file.

    Raises ContentError (located) when the project is missing, the slug is taken or a value is unusable.
    """
    from kitgen.content.load import partner_files  # lazy: as in partner_yaml
    from kitgen.content.model import SLUG

    root = Path(root)
    slug = slug or slugify(name)
    rel = f"{PARTNERS}/{slug}.yaml"
    problems = []
    if not (root / CONFIG).is_file():
        problems.append(not_a_project(root, "no such folder" if not root.is_dir() else f"no {CONFIG} here"))
    if not name.strip():
        problems.append(Problem("NAME", 0, "name", "is empty"))
    for where, field, value in (("NAME", "name", name), ("--practice", "practice", practice),
                                ("--credentials", "credentials", credentials)):
        wrong = text_problem(value.strip(), lines=False) if value else None  # what loading the file would refuse
        if wrong:
            problems.append(Problem(where, 0, field, wrong))
    if not SLUG.match(specialty):
        problems.append(Problem("--specialty", 0, "specialty", f"{specialty!r} is not a slug: use lowercase letters, "
                                f"digits and hyphens, e.g. {slugify(specialty)}"))
    if not SLUG.match(slug):
        problems.append(Problem("--slug", 0, "slug", f"{slug!r} is not a slug: use lowercase letters, digits and "
                                "hyphens"))
    existing = [f for f in partner_files(root) if f.stem == slug]  # jane-smith.yml or .YAML is her file too
    if (root / rel).exists() or existing:
        shown = f"{PARTNERS}/{existing[0].name}" if existing else rel
        problems.append(Problem(shown, 0, "file", "already exists; edit it, or pass --slug for another partner "
                                "with the same name"))
    if problems:
        raise ContentError(problems)
    talks = sorted(p.stem for p in (root / TALKS).glob("*.md")) if (root / TALKS).is_dir() else []
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    text = partner_yaml(name.strip(), slug, specialty, practice, credentials, talks_first(root, talks, specialty))
    with open(target, "x", encoding="utf-8") as f:  # "x": a file that appeared meanwhile is still not replaced
        f.write(text)
    return target


def talks_first(root: Path, talks: list[str], specialty: str) -> list[str]:
    """Talk slugs, those whose front matter lists `specialty` first; the plain list when the kit does not load."""
    from kitgen.content.load import load_kit  # lazy: as in partner_yaml
    try:
        kit, _ = load_kit(root)
    except ContentError:
        return talks
    matching = [t.slug for t in kit.talks if specialty in t.specialties]
    return matching + [t for t in talks if t not in matching]
