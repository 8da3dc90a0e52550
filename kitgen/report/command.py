"""`kitgen report FILE.csv`: read, match, count, render, and only then write, so a refused file writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kitgen.pipeline.lock import OutputLock
from kitgen.pipeline.output import guard, recover
from kitgen.problems import ContentError, Problem, Problems
from kitgen.project import Project
from kitgen.project import today as today_by_default
from kitgen.report import figures, files, read
from kitgen.report.columns import Settings

if TYPE_CHECKING:
    from kitgen.content.model import Kit


@dataclass
class Made:
    written: list[Path]
    warnings: list[Problem]
    rows: int
    from_partners: int
    others: int


def run(csv_file: Path, project: Path, out: Path | None, today: datetime.date | None = None) -> Made:
    """Write desk/report.csv, .html and .pdf into `out` (default: the project's output/); ContentError with every
    problem in the kit and the file, and nothing written, otherwise."""
    from kitgen.report.worker import Renderer  # lazy: `kitgen plan` imports this module, not multiprocessing

    with Renderer() as renderer:  # matplotlib and WeasyPrint load in a second process meanwhile
        from kitgen.content.load import load_kit  # lazy: loaded while the worker imports matplotlib
        from kitgen.report import outreach

        problems = Problems()
        try:
            when = today or today_by_default()
        except ValueError:
            when = datetime.date.today()  # load_kit reports the unreadable $KITGEN_TODAY
        kit = None
        try:
            kit, warnings = load_kit(project, when)
            problems += warnings
        except ContentError as exc:
            problems += exc.problems
        try:
            referrals = read.read(Path(csv_file), str(csv_file), when, read_settings(kit))
            problems += referrals.warnings
        except ContentError as exc:
            problems += exc.problems
        out = Project.at(project, out).out
        try:
            guard(out, Path(project))
        except ContentError as exc:
            problems += exc.problems
        if problems.errors or kit is None:
            raise ContentError(problems)
        report = figures.compute(kit, referrals, when)
        report.desk = outreach.compute(kit, report)
        html, pdf = renderer.render(kit, report)
        made = {"report.csv": files.report_csv(report), "report.html": html.encode("utf-8"), "report.pdf": pdf,
                "standing.json": report.desk.figures.to_json()}  # where each partner stands, for plan and list
    written = _write(out, made)
    return Made(written, problems.warnings, report.rows, report.from_partners, len(report.others))


def _write(out: Path, made: dict[str, bytes]) -> list[Path]:
    """Write the report into the output's desk/ holding the output's lock: a build running meanwhile would swap
    its output in over it. Waits for the build, saying for whom, as a second build does (pipeline/lock.py): the
    report is rendered by then, and the wait is the build's remaining seconds; a build that outlasts
    $KITGEN_LOCK_WAIT is refused with its holder named, and nothing is written."""
    Path(out).resolve().parent.mkdir(parents=True, exist_ok=True)
    with OutputLock(out):
        recover(out)  # a build killed mid-swap: its previous output back before desk/ is written into
        return files.write(Path(out) / "desk", made)


def read_settings(kit: Kit | None) -> Settings:
    """kitgen.yaml's region and `report:` settings for reading the export (the defaults when the kit is broken)."""
    if kit is None:
        return Settings()
    columns = {k: v for k, v in asdict(kit.config.report.columns).items() if v}
    return Settings(kit.config.region, kit.config.report.dates, columns)
