"""One rebuild after a save: pages first, then PDFs, each outcome turned into Status and a terminal line."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from kitgen.pipeline.pipeline import Options, Result, run
from kitgen.problems import ContentError
from kitgen.project import Project

from .status import Status, build_id
from .watch import relative


class Timed(NamedTuple):
    result: Result
    elapsed: float


class Superseded(Exception):
    """A newer save arrived while PDFs were rendering: drop them (the output stays as it was) and start over."""


class Builder:
    """Runs the build (kitgen/pipeline/pipeline.py) in two steps so the open tab reloads at once.

    Web pages first (HTML and the small code-made files, a fraction of a second); then the PDFs, which a newer
    save interrupts rather than waits for. A failed step leaves the output untouched: the last good build stays.
    """

    def __init__(self, where: Project, status: Status, echo: Callable[..., None], pending: Callable[[], bool]):
        self.where, self.status, self.echo, self.pending = where, status, echo, pending

    def run(self, changed: list[str]) -> None:
        cause = f" after {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}" if changed else ""
        recovered = "fixed; " if self.status.errors else ""
        pages = self._step(cause, Options(formats=frozenset({"html", "code"})))
        if pages is None:
            return
        for warning in pages.result.warnings:
            self.echo(str(warning), err=True)
        what = "rebuilt" if pages.result.written or pages.result.removed else "pages current"
        self.echo(f"kitgen: {recovered}{what}{cause}: {len(pages.result.written)} written, {pages.result.skipped} "
                  f"current in {pages.elapsed:.2f} s; PDFs next")
        if self.pending():
            return
        pdfs = self._step(cause, Options(progress=self._interrupt_if_pending))
        if pdfs is not None:
            done = pdfs.result
            self.echo(f"kitgen: PDFs{cause}: {len(done.written)} written, {done.skipped} current, "
                      f"{len(done.removed)} removed in {pdfs.elapsed:.2f} s")

    def _interrupt_if_pending(self, done: int, total: int) -> None:
        if self.pending():
            raise Superseded

    def _step(self, cause: str, options: Options) -> Timed | None:
        """One build and how long it took, or None when it failed (reported) or was superseded."""
        start = time.perf_counter()
        try:
            result = run(self.where, options)
        except Superseded:
            return None
        except ContentError as exc:
            problems = [str(p) for p in exc.problems]
        except Exception as exc:  # a theme edit can break a template: report it like a content problem
            problems = [describe_crash(exc, self.where.root)]
        else:
            self.status.update(errors=[], build_id=build_id(self.where.out), built_at=time.time())
            return Timed(result, time.perf_counter() - start)
        for line in problems:
            self.echo(line, err=True)
        n = len(problems)
        self.echo(f"kitgen: {n} error{'s' if n != 1 else ''}{cause}; still serving the last good build "
                  "(fix and save to recover)", err=True)
        self.status.update(errors=problems)
        return None


def describe_crash(exc: Exception, project: Path) -> str:
    """`path:line: template: message` for a broken template (the deepest template frame), else the bare error."""
    where, line = "build", 0
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
    filename, lineno = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename and lineno:  # jinja2.TemplateSyntaxError
        frames.append((filename, lineno))
    for filename, lineno in frames:
        if filename and Path(filename).suffix in (".html", ".css") and "templates" in Path(filename).parts:
            where, line = relative(Path(filename), project), lineno or 0
    message = getattr(exc, "message", None) or str(exc)
    prefix = f"{where}:{line}" if line else where
    return f"{prefix}: template: {type(exc).__name__}: {message}"
