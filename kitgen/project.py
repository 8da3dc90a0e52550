"""A kit project on disk: where its files are, where its output goes, and the two moments a build needs.

One object instead of `project / "output"` in every command, so the output folder, the "not a kit project" message
and "today" mean the same thing to build, check, list, serve and followups.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from kitgen.problems import ContentError, Problem

CONFIG = "kitgen.yaml"
CONTENT = "content"
PRACTICE = "content/practice.yaml"
PARTNERS = "content/partners"
TALKS = "content/talks"
THEMES = "themes"
OUTPUT = "output"
BUILTIN_THEME = "default"  # the theme every other one falls back to, for templates and catalogs
RESERVED_SLUGS = {"assets", "media", "r", "p"}  # site folders that are not partners: no partner file may take their
# name (r/, p/: the addresses QR codes hold, documents/redirects.py)


@dataclass(frozen=True)
class Project:
    """A kit project folder and the output folder a build writes (default: <root>/output)."""

    root: Path
    out: Path

    @classmethod
    def at(cls, root: Path | str, out: Path | str | None = None) -> Project:
        root = Path(root)
        return cls(root, Path(out) if out else root / OUTPUT)

    def require(self) -> None:
        """Raise one located line when `root` is not a kit project, rather than one per missing file."""
        if (self.root / CONFIG).is_file():
            return
        where = "no such folder" if not self.root.is_dir() else f"no {CONFIG} here"
        raise ContentError([not_a_project(self.root, where)])

    @property
    def manifest(self) -> Path:
        return self.out / "manifest.json"


def not_a_project(root: Path, where: str) -> Problem:
    """The one wording of "this folder is not a kit project", wherever it is noticed."""
    return Problem(str(Path(root).resolve()), 0, "--project",
                   f"not a kit project ({where}); `kitgen init DIR` makes one")


def today(given: datetime.date | None = None) -> datetime.date:
    """The date staleness and follow-ups are measured against: `given`, else $KITGEN_TODAY (tests, CI), else the
    clock. A malformed $KITGEN_TODAY raises ValueError (lint reports it, located)."""
    if given:
        return given
    pinned = os.environ.get("KITGEN_TODAY", "").strip()
    return datetime.date.fromisoformat(pinned) if pinned else datetime.date.today()


def build_moment(as_of: datetime.date) -> datetime.datetime:
    """The moment stamped into documents (UTC): SOURCE_DATE_EPOCH when set, else the content's own as-of date,
    never the clock, so two builds of the same input are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.combine(as_of, datetime.time(), datetime.UTC)


def build_day() -> datetime.date:
    """The day letters and e-mails are dated: SOURCE_DATE_EPOCH's (UTC) when set, so a reproducible build stays
    byte-identical, else the day they are built (`today()`: $KITGEN_TODAY, else the clock)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
    return today()


def builtin_dir(*parts: str) -> Path:
    """Where the built-in theme and the scaffold live: inside the wheel, or at the top of a source checkout."""
    package = Path(__file__).parent
    packaged = package / "_data"
    base = packaged if packaged.is_dir() else package.parent
    return base.joinpath(*parts)
