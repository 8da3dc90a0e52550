"""`kitgen log` and `kitgen plan`: the week's commands. Log a contact in one line; this week's and next week's
actions (kitgen/desk/). Hooked into cli.py with one line each."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from kitgen.commands.common import fail as _fail
from kitgen.commands.common import project_option
from kitgen.commands.common import report as _report


@click.command("log")
@click.argument("partner")
@click.argument("kind", metavar="KIND")
@click.option("--minutes", type=int, help="Time it took, travel included if you like.")
@click.option("--note", help="A reminder for you, e.g. \"left 50 cards with Dana\".")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="When it happened  [default: today]")
@click.option("--cost", type=float, help="What you spent on the office (lunch, a gift), for the ledger.")
@project_option
def log_command(partner: str, kind: str, minutes: int | None, note: str | None, day: datetime | None,
                cost: float | None, project: Path) -> None:
    """Log a contact: one entry added to PARTNER's contacts: (slug, referral code or part of the name), the rest
    of the file untouched. KIND: visit, call, e-mail, lunch-and-learn, letter, thank-you or other."""
    from kitgen.content.load import load_kit  # lazy: cli.py imports this module for `kitgen --help`
    from kitgen.desk import ledger
    from kitgen.desk.logentry import log
    from kitgen.problems import ContentError
    from kitgen.project import today as today_by_default

    when = today_by_default()
    try:
        kit, _ = load_kit(project, when)
        found, path, entry = log(kit, partner, kind, day.date() if day else when, minutes, note, cost, when)
    except ContentError as exc:
        _fail(exc.problems)
    click.echo(f"kitgen: logged {entry.kind} on {entry.date.isoformat()} for {found.display_name} in "
               f"{path.relative_to(project).as_posix()}")
    if cost:
        kit, _ = load_kit(project, when)
        for line in ledger.lines(kit):
            if line.partner.slug == found.slug and line.year == entry.date.year and line.over:
                click.echo(f"kitgen: warning: {ledger.money(kit, line.total)} spent on {found.display_name} in "
                           f"{line.year}, over {ledger.money(kit, ledger.limit(kit) or 0)}. {ledger.WHY}", err=True)


@click.command("plan")
@project_option
@click.option("--out", type=click.Path(path_type=Path), help="Output folder; the plan goes in its desk/  "
              "[default: PROJECT/output]")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Plan as of this date  [default: today]")
def plan_command(project: Path, out: Path | None, today: datetime | None) -> None:
    """This week's and next week's actions, overdue first, each with why and what to bring; also
    desk/plan.html and desk/plan.ics (every dated action, for your calendar)."""
    from kitgen.content.load import load_kit  # lazy: as in log_command
    from kitgen.desk import output, standing
    from kitgen.desk.plan import actions, window
    from kitgen.problems import ContentError
    from kitgen.project import Project
    from kitgen.project import today as today_by_default
    from kitgen.report.command import _write

    when = today.date() if today else today_by_default()
    try:
        kit, warnings = load_kit(project, when)
        where = Project.at(project, out).out
        figures = standing.load(where / "desk")
        found = actions(kit, when, figures)
        shown = window(found, when)
        _write(where, {"plan.html": output.html(kit, shown, when, figures).encode("utf-8"),
                       "plan.ics": output.calendar(kit, found)})
    except ContentError as exc:
        _fail(exc.problems)
    _report(warnings)
    if sys.stdout.isatty():
        from rich.console import Console  # lazy: only a terminal gets the table
        from rich.table import Table
        t = Table(box=None, header_style="bold", pad_edge=False)
        for header in output.HEADERS:
            t.add_column(header, overflow="fold")
        for row in output.rows(shown, when):
            t.add_row(*row)
        Console().print(t)
        click.echo(output.plain(shown, when).splitlines()[-1])
    else:
        click.echo(output.plain(shown, when), nl=False)
