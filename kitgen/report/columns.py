"""The referrals file's header: which column holds what (kitgen.yaml's mapping first, then the names of the
practice software's exports, content/exports.py), and which are dropped unread; those that look like a patient
identifier (content/phi.py) named, by header only, in one notice."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kitgen.content import exports, phi
from kitgen.problems import Problems

COLUMNS = ("referred_on", "source", "first_session_on", "sessions", "status")
REQUIRED = ("referred_on", "source")
DELIMITERS = (",", ";", "\t")
USE = "kitgen reads only referred_on, source, first_session_on, sessions and status"
CONFIG = "kitgen.yaml"


@dataclass(frozen=True)
class Settings:
    """What kitgen.yaml says about the file: the region (whose date order is the default), `report.dates`,
    `report.columns`."""

    region: str = "us"
    dates: str | None = None                               # month-first, day-first or iso; None: the region's
    columns: dict[str, str] = field(default_factory=dict)  # column -> the file's header for it


def delimiter(header: str) -> str:
    """`;`, tab or `,`: whichever the header line has most of, outside quotes (`,` when it has none)."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def columns_of(header: list[str], shown: str, line: int, settings: Settings, problems: Problems) -> dict[str, int]:
    """Column name -> index: kitgen.yaml's mapping first, then the names exports.py knows. Every other column is
    dropped, those that look like a patient identifier named in one notice, the rest in another."""
    folded = [exports.fold(h) for h in header]
    columns: dict[str, int] = {}
    for name, wanted in settings.columns.items():
        at = [i for i, h in enumerate(folded) if h == exports.fold(wanted)]
        if not at:
            found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
            problems.error(shown, line, name, f"no column {wanted!r}, which {CONFIG} maps {name} to "
                           f"(report.columns.{name}); the header has: {found}")
        else:
            columns[name] = at[0]
    for name in COLUMNS:
        if name in settings.columns:
            continue
        at = [i for i, h in enumerate(folded) if exports.RECOGNISED.get(h) == name and i not in columns.values()]
        if len(at) > 1:
            a, b = at[0], at[1]
            if folded[a] == folded[b]:
                problems.error(shown, line, header[b].strip(), f"appears twice in the header (columns {a + 1} and "
                               f"{b + 1}); keep one")
            else:
                problems.error(shown, line, name, f"two columns could be it: {header[a].strip()!r} (column {a + 1}) "
                               f"and {header[b].strip()!r} (column {b + 1}); say which in {CONFIG}: report: "
                               f"{{columns: {{{name}: \"{header[a].strip()}\"}}}}")
        if at:
            columns[name] = at[0]
    for name in REQUIRED:
        if name not in columns and name not in settings.columns:
            found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
            problems.error(shown, line, name, f"no such column (the header has: {found}); if one of them is it, "
                           f"name it in {CONFIG}: report: {{columns: {{{name}: \"...\"}}}}")
    used = set(columns.values())
    patient, unused = [], []
    for i, raw in enumerate(header):
        if i in used or not raw.strip():
            continue
        what = phi.looks_like(raw)
        if what:
            patient.append(f"{raw.strip()} ({what})")
        else:
            unused.append(raw.strip())
    if patient:
        problems.warn(shown, line, "columns", f"{len(patient)} that identify a patient, skipped unread: "
                      f"{'; '.join(patient)}. kitgen keeps, prints and writes none of their values")
    if unused:
        problems.warn(shown, line, "columns", f"not used: {', '.join(unused)}; {USE}")
    return columns
