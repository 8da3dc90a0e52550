"""The one validation step `kitgen check` and `kitgen build` share, so `check` refuses and warns about exactly
what `build` would, before anything is rendered: load (schema and lint), then the checks that need the whole
kit and its theme (referral codes, the intro letters' word limits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kitgen.content import codes
from kitgen.content.load import load_kit
from kitgen.content.model import Kit, Partner
from kitgen.documents import intro
from kitgen.problems import ContentError, Problem
from kitgen.project import Project
from kitgen.render import fit
from kitgen.render.themes import Theme


@dataclass
class Checked:
    """A kit that passed: what a build renders from, and what it should still warn about."""

    kit: Kit
    theme: Theme
    warnings: list[Problem]


def validate(project: Path, out: Path | None = None, *, selected: Callable[[Partner], bool] = lambda p: True,
             strict: bool = False) -> Checked:
    """The kit, its theme and every warning; ContentError with every error (and every warning, when `strict`).

    `out` is where the last build went (default project/output): its manifest shows which referral codes moved
    since, i.e. which printed cards now carry a stale code. `selected` limits the per-partner intro checks to
    the partners a partial build renders.
    """
    project = Path(project)
    kit, warnings = load_kit(project)
    theme = Theme(project, kit.config.theme)
    manifest = Project.at(project, out).manifest
    chosen = [p for p in kit.partners if selected(p)]
    found = codes.check(kit.partners) + intro.check(kit, theme, chosen) + fit.check(kit, theme, chosen)
    found += codes.moved(manifest.read_bytes() if manifest.is_file() else None, kit.referral_codes,
                         {p.slug: p.source for p in kit.partners})
    errors = [p for p in found if p.level == "error"]
    if errors:
        raise ContentError(errors)
    everything = [*warnings, *found]
    if strict and everything:
        raise ContentError([Problem(w.path, w.line, w.field, w.message) for w in everything])
    return Checked(kit, theme, everything)
