"""Text set to fit its box, checked for `check` and `build`: every fitted kind's HTML rendered (no PDF layout), as
render/fit.py refuses text that cannot fit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kitgen.kinds import KINDS
from kitgen.problems import Problem
from kitgen.render import html
from kitgen.render.fit import Unfit


def check(kit: Any, theme: Any, partners: Sequence[Any],
          current: Callable[[Any, Any, str], bool] = lambda kind, partner, variant: False) -> list[Problem]:
    """What `build` would refuse for text that does not fit: every fitted kind's HTML rendered (no PDF) for
    every partner and variant, but those `current` says are unchanged since they were built (and fitted). One
    problem per place, however many partners share it."""
    found: set[Problem] = set()
    for kind in KINDS:
        if not kind.fitted:
            continue
        for partner in partners if kind.per_partner else [None]:
            for variant in kind.variants(kit, partner):
                if current(kind, partner, variant):
                    continue
                try:
                    html.render_partner(kit, theme, kind, partner, variant=variant)
                except Unfit as exc:
                    found.update(exc.problems)
    return sorted(found)
