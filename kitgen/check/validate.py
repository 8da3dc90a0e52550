"""The load and check stages of every run (pipeline/pipeline.py), so `kitgen check`, a dry run, refuses and
warns about exactly what `kitgen build` would: load (schema and lint, the theme), then, once the run has planned,
the checks that need the whole kit and its theme (referral codes, the intro letters' word limits).

Two of those checks render documents (the intro e-mail's word count, card text fitted to the card). `kitgen
check` runs them for every partner; a build only for the documents it will render (`current`, from its plan,
says which it will not): a document whose inputs have not changed since it was built passed them then, and on a
200-partner kit they were most of a no-op build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.check import fitted, themelint
from kitgen.content import codes
from kitgen.content.load import load_kit
from kitgen.content.model import Kit, Practice
from kitgen.content.partners import Partner
from kitgen.content.yamlload import Document
from kitgen.documents import intro, qr
from kitgen.kinds import KINDS, Kind
from kitgen.problems import ContentError, Problem, Problems
from kitgen.project import Project
from kitgen.render.themes import Theme

# Given the loaded kit and theme, which documents are current (a build's plan knows): (kind, partner, variant).
Current = Callable[[Kind, Partner | None, str], bool]


@dataclass
class Checked:
    """A kit that passed: what a build renders from, and what it should still warn about."""

    kit: Kit
    theme: Theme
    warnings: list[Problem]
    moved: list[Problem] = field(default_factory=list)  # of the warnings: referral codes moved since the last build


def catalogs(kit: Kit, theme: Theme) -> list[Problem]:
    """Each patient language needs a catalog of kitgen's wording (shipped, or the project theme's own): without
    one, its pieces would print kitgen's English; a catalog that lacks messages prints those in English."""
    from kitgen.content import languages
    from kitgen.render import i18n
    config, found = kit.config, []
    line = kit.config_line("patient_languages")
    for tag in config.patient_tags:
        if not config.other_language(tag):
            continue
        locale = languages.babel_locale(tag, config.regional.country)
        named = f"{languages.english_name(tag)} ({tag})"
        missing = i18n.untranslated(theme.dirs, locale, config.regional)
        if missing is None:
            found.append(Problem("kitgen.yaml", line, "patient_languages",
                                 f"kitgen has no catalog of its wording in {named}; add your own as "
                                 f"themes/{config.theme}/locale/{languages.primary(tag)}/LC_MESSAGES/messages.po "
                                 "(see docs/theming.md)"))
        elif missing:
            found.append(Problem("kitgen.yaml", line, "patient_languages",
                                 f"{len(missing)} of kitgen's messages have no {named} translation, so they print in "
                                 f"English on its pieces (first: {missing[0]!r}); run scripts/catalogs.py's update "
                                 "on your catalog and translate them (see docs/theming.md)", "warning"))
    return found


def patient_url(practice: Practice, doc: Document, problems: Problems) -> None:
    """Patient pieces (cards, leaflet) without `referral.patient_url` offer the phone only: their QR code would
    otherwise open the physicians' referral form, which is not where a patient asks for a first appointment."""
    if practice.referral.patient_url or not any(kind.patient for kind in KINDS):
        return
    problems.warn(doc.path, doc.line(("referral",)), "referral",
                  "has no patient_url, so the business cards and the patient leaflet offer your phone number only, "
                  "with no QR code; to add one, set referral.patient_url to your request-an-appointment page "
                  "(never the physicians' referral form)")


@dataclass(frozen=True)
class Loaded:
    """The kit and its theme as loaded, with what loading warned about: the first stage of every run."""

    kit: Kit
    theme: Theme
    warnings: list[Problem]


def load(where: Project) -> Loaded:
    """Load the kit (schema and lint) and its theme; ContentError with every error loading or the theme finds."""
    kit, loaded = load_kit(where.root)
    sourced = Problems()
    if kit.practice_doc is not None:
        patient_url(kit.practice, kit.practice_doc, sourced)
    themelint.source(where.root, kit.config, sourced)  # the project theme's files as written
    theme = Theme(where.root, kit.config.theme)
    own = theme.problems()  # links out of the theme, templates that do not parse: before anything renders
    if any(p.level == "error" for p in own):
        raise ContentError([p for p in own if p.level == "error"])
    return Loaded(kit, theme, [*loaded, *sourced])


def never(kind: Kind, partner: Partner | None, variant: str) -> bool:
    """The `current` of a run that checks every document (`kitgen check`, a forced build)."""
    return False


def check(where: Project, loaded: Loaded, *, chosen: list[Partner], current: Current = never,
          strict: bool = False) -> Checked:
    """The checks that need the whole kit and its theme; ContentError with every error (and every warning, when
    `strict`).

    The manifest of the last build in `where.out` shows which referral codes moved since, i.e. which printed
    cards now carry a stale code. `chosen` limits the per-partner checks to the partners a partial build
    renders; `current` (what the run's plan found unchanged) skips the checks that render those documents.
    """
    kit, theme = loaded.kit, loaded.theme
    emailed = [p for p in chosen if not current(KINDS["intro_email"], p, "")]
    dense = qr.problems(kit)  # before anything renders a code: an address too long for one is no traceback
    if any(p.level == "error" for p in dense):
        raise ContentError([p for p in dense if p.level == "error"])
    found = dense + codes.check(kit.partners) + catalogs(kit, theme) + intro.check(kit, theme, emailed) + \
        fitted.check(kit, theme, chosen, current) + themelint.rendered(kit, theme, chosen, current)
    manifest = where.manifest
    moved = codes.moved(manifest.read_bytes() if manifest.is_file() else None, kit.referral_codes,
                        {p.slug: p.source for p in kit.partners})
    found += moved
    if kit.config.private_urls:  # what build will append must read back, or check says so now
        from kitgen.documents.privacy import planned_tokens
        found += planned_tokens(where.root, kit.partners)[1]
    errors = [p for p in found if p.level == "error"]
    if errors:
        raise ContentError(errors)
    everything = [*loaded.warnings, *found]
    if strict and everything:
        raise ContentError([Problem(w.path, w.line, w.field, w.message) for w in everything])
    return Checked(kit, theme, everything, moved)


def validate(project: Path, out: Path | None = None, *, strict: bool = False) -> Checked:
    """Load and check every partner's documents: `kitgen check` without the layouts (tests read its warnings)."""
    where = Project.at(project, out)
    loaded = load(where)
    return check(where, loaded, chosen=loaded.kit.partners, strict=strict)
