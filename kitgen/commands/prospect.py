"""`kitgen prospect FILE --specialty … --near ZIP|postcode`: physicians to approach, from a public register, as
partner files (kitgen/prospect/). A module of its own, hooked into cli.py with one line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from kitgen.commands.common import project_option

if TYPE_CHECKING:
    from kitgen.problems import Problem


@click.command("prospect")
@click.argument("register", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--specialty", "wanted", multiple=True, required=True, metavar="NAME",
              help="family medicine, internal medicine, pediatrics, ob-gyn (obstetrics), psychiatry, general "
                   "practice; repeat it or separate with commas.")
@click.option("--near", required=True, metavar="ZIP|POSTCODE",
              help="A US ZIP code or its first digits (97401, 974), or a UK postcode, district or area (LS1 4AP, "
                   "LS1, LS).")
@click.option("--within", metavar="MILES|km", help="Distance from the --near ZIP code: 10 (miles), 10mi or 15km "
              "(US only).")
@click.option("--limit", type=click.IntRange(min=1), help="Write at most N partner files (the first in the file).")
@click.option("--also", "also", multiple=True, metavar="np,pa,midwife",
              help="Keep nurse practitioners, physician assistants or midwives of the specialty too.")
@project_option
def prospect(register: Path, wanted: tuple[str, ...], near: str, within: str | None, limit: int | None,
             also: tuple[str, ...], project: Path) -> None:
    """Physicians to approach, from a public register (NPPES, CMS's Doctors and Clinicians file, epraccur.csv):
    a partner file for each practising one of the specialties near you not yet in the kit (never overwrites).
    See docs/prospects.md."""
    import yaml  # lazy: cli.py imports this module for `kitgen --help`

    from kitgen.content import regions
    from kitgen.content.text import PLACEHOLDER
    from kitgen.problems import ContentError, Problem
    from kitgen.project import CONFIG, not_a_project, today
    from kitgen.prospect import registers, specialties
    from kitgen.prospect.near import parse
    from kitgen.prospect.write import prospects, write

    chosen = []
    for text in (t.strip() for w in wanted for t in w.split(",")):
        named = specialties.named(text) if text else None
        if named is None:
            raise click.BadParameter(f"{text!r} is not a specialty kitgen knows; choose from: "
                                     f"{', '.join(specialties.SPECIALTIES)}", param_hint="--specialty")
        chosen.append(named)
    roles = {r.strip().lower() for a in also for r in a.split(",") if r.strip()}
    if roles - set(specialties.ROLES):
        raise click.BadParameter(f"{', '.join(sorted(roles - set(specialties.ROLES)))}: choose from np, pa, midwife",
                                 param_hint="--also")
    area, option, message = parse(near, within)
    if area is None:
        raise click.BadParameter(message or "", param_hint=option)
    if not (project / CONFIG).is_file():
        _stop([not_a_project(project, "no such folder" if not project.is_dir() else f"no {CONFIG} here")])
    try:
        kind, header = registers.kind_of(register)
    except registers.RegisterError as exc:
        _stop([Problem(str(register), 1, "header", str(exc))])
    except OSError as exc:
        _stop([Problem(str(register), 0, "FILE", f"cannot be read ({exc.strerror})")])
    if (kind == "epraccur") == area.us:
        where = "a UK postcode, district or area (LS1 4AP, LS1, LS)" if kind == "epraccur" else "a US ZIP code"
        raise click.BadParameter(f"{near!r}: {register.name} is {'epraccur' if kind == 'epraccur' else 'a US register'}"
                                 f"; give {where}", param_hint="--near")
    if kind == "epraccur":
        chosen = [specialties.SPECIALTIES["general-practice"]]  # practices, whatever was asked: said below
    try:
        config = yaml.safe_load((project / CONFIG).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        config = {}
    region = str(config.get("region") or regions.DEFAULT) if isinstance(config, dict) else regions.DEFAULT
    if regions.problem(region):
        region = regions.DEFAULT
    skipped: dict[str, int] = {}
    found = registers.scan(register, kind, header, area, chosen, roles, skipped)
    notes: list[str] = []
    picked = prospects(project, found, region, limit, notes)
    try:
        written = write(project, picked, register, today(), region)
    except ContentError as exc:
        _stop(exc.problems)
    except OSError as exc:
        _stop([Problem(str(project / "content/partners"), 0, "file", f"cannot be written ({exc.strerror}); none "
                       "of this run's files were kept")])
    for note in notes:
        click.echo(f"{register}:{note}", err=True)
    for why, count in skipped.items():
        click.echo(f"kitgen: skipped {count} row{'s' if count != 1 else ''}: {why}", err=True)
    for path in written:
        click.echo(f"wrote   {path.relative_to(project).as_posix()}")
    known = len(found) - len(picked) if limit is None else None
    extra = f", {known} already in the kit" if known else ""
    todo = sum(any(v.startswith(PLACEHOLDER) for v in (p.name, p.credentials, p.practice or PLACEHOLDER))
               for p in picked)
    click.echo(f"kitgen: {len(found)} found near {near} in {register.name} ({kind}){extra}; wrote {len(written)} "
               "prospect partner file" + ("s" if len(written) != 1 else "")
               + (f"; {todo} need a TODO filled in (`kitgen check` lists them)" if todo else ""))


def _stop(problems: list[Problem]) -> NoReturn:
    for p in problems:
        click.echo(str(p), err=True)
    click.echo("kitgen: nothing was written", err=True)
    sys.exit(1)
