"""The `kitgen` command. Imports stay inside commands so `kitgen --help` starts in a blink."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kitgen import __version__
from kitgen.commands.common import fail as _fail
from kitgen.commands.common import project_option
from kitgen.commands.common import report as _report

if TYPE_CHECKING:

    from rich.progress import Progress, TaskID




@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kitgen")
def main() -> None:
    """Referral kits for therapists: a landing page, a one-pager, business cards and a lunch-and-learn
    handout for every physician partner, from one folder of YAML."""


def _parse_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        k, n = (int(x) for x in value.split("/"))
    except ValueError:
        raise click.BadParameter("write it as K/N, e.g. 2/4") from None
    if not 1 <= k <= n:
        raise click.BadParameter(f"K must be between 1 and N, got {value}")
    return k, n


@main.command()
@project_option
@click.option("--out", type=click.Path(path_type=Path), help="Output folder  [default: PROJECT/output]")
@click.option("--partner", "partners", multiple=True, metavar="SLUG", help="Build only this partner (repeatable).")
@click.option("--shard", metavar="K/N", callback=_parse_shard, help="Build only the K-th of N slices of the partners.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
@click.option("--force", is_flag=True, help="Rebuild everything, even what is current.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes for PDFs  [default: all cores]")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("-v", "--verbose", is_flag=True, help="List every file written.")
def build(project: Path, out: Path | None, partners: tuple[str, ...], shard: tuple[int, int] | None, strict: bool,
          force: bool, jobs: int | None, quiet: bool, verbose: bool) -> None:
    """Build the kit into output/ (only what changed since the last build)."""
    from kitgen import stopping
    from kitgen.pipeline.pipeline import Options, run
    from kitgen.problems import ContentError
    from kitgen.project import Project

    start = time.perf_counter()
    stopping.listen()
    where = Project.at(project, out)
    try:
        with _Progress(quiet) as progress:
            result = run(where, Options(partners=partners, shard=shard, strict=strict, force=force, jobs=jobs,
                                        progress=progress.update))
    except ContentError as exc:
        _fail(exc.problems)
    except KeyboardInterrupt:
        click.echo("kitgen: interrupted; the previous output is unchanged", err=True)
        stopping.leave()
    except Exception as exc:  # a crash while rendering: the previous output is intact, say so in one line
        if verbose:
            raise
        click.echo(f"kitgen: build failed ({type(exc).__name__}: {exc}); the previous output is unchanged. "
                   "Run with -v for details.", err=True)
        sys.exit(1)
    _report(result.warnings)
    if verbose:
        for rel in result.written:
            click.echo(f"wrote   {rel}")
        for rel in result.removed:
            click.echo(f"removed {rel}")
    if not quiet:
        click.echo(f"kitgen: {len(result.written)} written, {result.skipped} current, {len(result.removed)} removed "
                   f"in {where.out} ({time.perf_counter() - start:.2f} s)")


class _Progress:
    """A rich progress bar in a terminal once a build has run for a second; a plain line per 10% otherwise."""

    def __init__(self, quiet: bool, what: str = "files rendered") -> None:
        self.quiet, self.started, self.last = quiet, time.monotonic(), -1
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.what = what

    def update(self, done: int, total: int) -> None:
        if self.quiet or total == 0 or time.monotonic() - self.started < 1.0:
            return
        if sys.stderr.isatty():
            if self.bar is None:
                from rich.console import Console
                from rich.progress import Progress
                self.bar = Progress(console=Console(stderr=True), transient=True)
                self.bar.start()
                self.task = self.bar.add_task("rendering", total=total)
            if self.bar is not None and self.task is not None:  # both are set together, just above
                self.bar.update(self.task, completed=done, total=total)
        elif done * 10 // total > self.last:
            self.last = done * 10 // total
            click.echo(f"kitgen: {done}/{total} {self.what}", err=True)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


@main.command()
@project_option
@click.option("--out", type=click.Path(path_type=Path),
              help="The last build's output, to spot referral codes that moved  [default: PROJECT/output]")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-layout", is_flag=True,
              help="Do not render the files changed since the last build (page limits are then left to build).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes for PDFs  [default: all cores]")
def check(project: Path, out: Path | None, strict: bool, no_layout: bool, jobs: int | None) -> None:
    """Validate the content and report every problem `build` would; write nothing."""
    from kitgen.pipeline.pipeline import Options, run
    from kitgen.problems import ContentError
    from kitgen.project import Project

    try:  # a dry run of the build: every check, then what changed rendered aside (a bar, never log lines)
        with _Progress(not sys.stderr.isatty(), "changed files rendered") as progress:
            result = run(Project.at(project, out), Options(dry_run=True, layout=not no_layout, strict=strict,
                                                           jobs=jobs, progress=progress.update))
    except ContentError as exc:
        _fail(exc.problems)
    _report(result.warnings)
    pdfs = sum(rel.endswith(".pdf") for rel in result.written)
    layout = f" ({pdfs} changed PDF{'s' if pdfs != 1 else ''} laid out)" if pdfs else ""
    click.echo(f"kitgen: {result.partners} partners, {result.talks} talks: ok{layout}")


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Copy the example kit (a fictional practice with four partners) instead.")
@click.option("--name", help="Your practice's name.")
@click.option("--region", help="The country you work in, as an ISO 3166 code (us, gb, au…: docs/regions/ lists "
                               "them): crisis numbers, paper, what a referral needs.")
@click.option("--phone", help="The phone number physicians call to refer.")
@click.option("--email", help="E-mail address for referral questions.")
@click.option("--form-url", help="Your secure online referral form (https://).")
@click.option("--site-url", help="Where the kit's pages will be hosted (base_url).")
def init(directory: Path, example: bool, **given: str | None) -> None:
    """Start your own kit project in DIRECTORY: asks for what it needs in a terminal (or takes the options);
    anything not given is a TODO that `kitgen check` lists. --example copies the demo kit instead."""
    from kitgen.commands import newkit
    from kitgen.commands.scaffold import init as copy_example
    from kitgen.project import today

    try:
        if example:
            if any(v is not None for v in given.values()):
                raise click.UsageError("--example copies the demo kit as it is; leave out the other options")
            made = copy_example(directory)
            click.echo(f"kitgen: example kit project in {directory} ({len(made)} files). Next: cd {directory} && "
                       "kitgen build")
            return
        answers = newkit.Answers(**given)
        for name, message in newkit.problems(answers):
            raise click.BadParameter(message, param_hint=f"--{name.replace('_', '-')}")
        if sys.stdin.isatty():
            newkit.ask(answers)
        made = newkit.write_kit(directory, answers, today())  # as_of: $KITGEN_TODAY, else the clock
    except FileExistsError as exc:
        click.echo(f"kitgen: {exc}", err=True)
        sys.exit(1)
    click.echo(f"kitgen: new kit project in {directory} ({len(made)} files). Next: cd {directory}, fill in the TODOs "
               "(`kitgen check` lists them), add a partner with `kitgen new partner`, then `kitgen build`")


@main.command()
@project_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but 127.0.0.1 shows the kit to your network.")
def serve(project: Path, port: int, host: str) -> None:
    """Build, preview at http://127.0.0.1:8000, rebuild on every save and reload the browser."""
    from kitgen import stopping
    from kitgen.problems import ContentError
    from kitgen.serve import ServeError
    from kitgen.serve import serve as run

    stopping.listen()
    try:
        run(project, host=host, port=port, echo=click.echo)
    except ServeError as exc:
        click.echo(f"kitgen: {exc}", err=True)
        sys.exit(1)
    except ContentError as exc:
        _fail(exc.problems)
    except KeyboardInterrupt:
        click.echo("kitgen: stopped", err=True)
        stopping.leave()


@main.group()
def new() -> None:
    """Add content to a kit project from a commented template."""


@new.command("partner")
@click.argument("name")
@click.option("--specialty", required=True, help="A slug, e.g. ob-gyn, family-medicine, pediatrics.")
@click.option("--practice", help="The physician's clinic (else a TODO to fill in).")
@click.option("--credentials", default="MD", show_default=True, help="Degrees after the name.")
@click.option("--slug", help="File name and page folder  [default: from the name]")
@project_option
def new_partner(name: str, specialty: str, practice: str | None, credentials: str, slug: str | None,
                project: Path) -> None:
    """Write content/partners/<slug>.yaml for NAME with every field, commented; never overwrites."""
    from kitgen.content.model import SLUG
    from kitgen.content.partnerfile import new_partner as make
    from kitgen.content.text import slugify
    from kitgen.problems import ContentError

    for option, value in (("--specialty", specialty), ("--slug", slug)):
        if value is not None and not SLUG.match(value):
            raise click.BadParameter(f"{value!r} is not a slug: use lowercase letters, digits and hyphens, e.g. "
                                     f"{slugify(value)}", param_hint=option)
    try:
        path = make(project, name, specialty, practice, credentials, slug)
    except ContentError as exc:
        _fail(exc.problems)
    rel = path.relative_to(project).as_posix()
    click.echo(f"kitgen: wrote {rel}" + ("" if practice else "; fill in practice: (it says TODO)"))


@main.command("list")
@project_option
@click.option("--out", type=click.Path(path_type=Path), help="Output folder  [default: PROJECT/output]")
def list_(project: Path, out: Path | None) -> None:
    """Partners, their talk, page address and when their kit was last built."""
    from kitgen.commands.listing import plain, rich_table, rows
    from kitgen.problems import ContentError

    try:
        table, warnings = rows(project, out)
    except ContentError as exc:
        _fail(exc.problems)
    _report(warnings)
    if sys.stdout.isatty():
        from rich.console import Console
        Console().print(rich_table(table))
    else:
        click.echo(plain(table), nl=False)


@main.command()
@project_option
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Report as of this date  [default: today]")
def followups(project: Path, today: datetime | None) -> None:
    """Who is due for a follow-up (three months after the last contact): overdue, due within 30 days, never
    contacted."""
    from kitgen.content.load import load_kit
    from kitgen.documents.followups import report
    from kitgen.problems import ContentError
    from kitgen.project import today as today_by_default

    try:
        kit, warnings = load_kit(project)
    except ContentError as exc:
        _fail(exc.problems)
    _report(warnings)
    for line in report(kit, today.date() if today else today_by_default()):  # $KITGEN_TODAY, as lint reads it
        click.echo(line)


@main.command("report")
@click.argument("csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@click.option("--out", type=click.Path(path_type=Path), help="Output folder; the report goes in its desk/  "
              "[default: PROJECT/output]")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Report as of this date  [default: today]")
def report_command(csv_file: Path, project: Path, out: Path | None, today: datetime | None) -> None:
    """Referrals received (a CSV exported from your EHR or a spreadsheet) against your contacts with each
    physician: desk/report.html, report.pdf and report.csv. See docs/report.md."""
    from kitgen.problems import ContentError
    from kitgen.report.command import run

    try:
        made = run(csv_file, project, out, today.date() if today else None)
    except ContentError as exc:
        _fail(exc.problems)
    except Exception as exc:  # a crash while rendering: say so in one line; nothing was written
        click.echo(f"kitgen: report failed ({type(exc).__name__}: {exc}); nothing was written", err=True)
        sys.exit(1)
    _report(made.warnings)
    where = ", ".join(str(p) for p in made.written)
    click.echo(f"kitgen: {made.rows} referrals, {made.from_partners} from partners, {made.others} other sources; "
               f"wrote {where}")


from kitgen.commands.prospect import prospect as _prospect  # noqa: E402  its own module (docs/prospects.md)
from kitgen.commands.week import log_command, plan_command  # noqa: E402  the week's commands (README, first hour)

main.add_command(_prospect)
main.add_command(log_command)
main.add_command(plan_command)

if __name__ == "__main__":  # pragma: no cover
    main()
