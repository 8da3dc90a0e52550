"""`kitgen list`: every partner with the talk they get, their page URL and when their kit was last built.

"Built" is read from the output's own record (.kitgen-state.json), and compared with what the content asks for
now, so the list also says which kits an edit has made out of date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kitgen.content.load import load_kit
from kitgen.desk import standing
from kitgen.pipeline.output import Entry, read_state
from kitgen.pipeline.plan import Plan
from kitgen.project import Project
from kitgen.render.themes import Theme

if TYPE_CHECKING:
    from rich.table import Table

    from kitgen.problems import Problems


@dataclass
class Row:
    slug: str
    name: str
    specialty: str
    talk: str
    page_url: str
    built: str   # "2026-11-25 16:31", or "never"
    status: str  # "current", "out of date", "never built"
    standing: str = ""  # where the relationship stands (desk/standing.py): "referring, declining", "prospect"…

    HEADERS = ("slug", "name", "specialty", "talk", "page", "built", "status", "standing")

    def cells(self) -> tuple[str, ...]:
        return (self.slug, self.name, self.specialty, self.talk, self.page_url, self.built, self.status,
                self.standing)


def rows(project: Path, out: Path | None = None) -> tuple[list[Row], Problems]:
    """The rows for every partner, and the content's warnings. Raises ContentError like `kitgen check`."""
    where = Project.at(project, out)
    kit, warnings = load_kit(where.root)
    recorded = {rel: e for rel, raw in read_state(where.out).get("files", {}).items() if (e := Entry.parse(raw))}
    figures = standing.load(where.out / "desk")
    plan = Plan(kit, Theme(where.root, kit.config.theme), kit.partners, recorded)
    result = []
    for partner in kit.partners:
        jobs = [job for job in plan.jobs if job.partner is partner]
        built = [recorded[job.rel] for job in jobs if job.rel in recorded]
        if not built:
            when, status = "never", "never built"
        else:
            newest = max(entry.mtime for entry in built) / 1e9
            when = datetime.datetime.fromtimestamp(newest).strftime("%Y-%m-%d %H:%M")
            fresh = len(built) == len(jobs) and all(plan.fingerprint(j) == recorded[j.rel].fingerprint for j in jobs)
            status = "current" if fresh else "out of date"
        talk = kit.talk_for(partner)
        how = "" if talk is None or partner.talk else " (by specialty)"
        result.append(Row(partner.slug, partner.display_name, partner.specialty,
                          (talk.slug + how) if talk else "none", kit.page_url(partner), when, status,
                          standing.standing(partner, figures).label))
    return result, warnings


def plain(table: list[Row]) -> str:
    """Aligned columns, one partner a line: for pipes, files and grep."""
    lines = [Row.HEADERS, *(r.cells() for r in table)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(Row.HEADERS))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines) + "\n"


def rich_table(table: list[Row]) -> Table:
    """The same rows as a rich Table, for a terminal."""
    from rich.table import Table  # lazy: a pipe or a file never needs rich
    from rich.text import Text
    t = Table(box=None, header_style="bold", pad_edge=False)
    for header in Row.HEADERS:
        t.add_column(header, overflow="fold")
    styles = {"current": "green", "out of date": "yellow", "never built": "dim"}
    for r in table:
        t.add_row(*(Text(c) for c in r.cells()[:-2]), Text(r.status, style=styles[r.status]), Text(r.standing))
    return t
