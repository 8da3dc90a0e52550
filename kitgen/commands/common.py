"""What every `kitgen` command shares: the --project option, and how problems are printed (every one, located,
then a count; nothing half-written)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from kitgen.problems import Problem

project_option = click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                              show_default="current folder", help="The kit project (the folder with kitgen.yaml).")


def report(warnings: Iterable[Problem]) -> None:
    for w in warnings:
        click.echo(str(w), err=True)


def fail(problems: Sequence[Problem]) -> NoReturn:
    for p in problems:
        click.echo(str(p), err=True)
    errors = sum(p.level == "error" for p in problems)
    click.echo(f"kitgen: {errors} error{'s' if errors != 1 else ''}; nothing was written", err=True)
    sys.exit(1)
