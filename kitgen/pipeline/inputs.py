"""Whether a build has anything to do, decided before the kit is loaded.

A complete build records one digest of everything a build can read: the project's kitgen.yaml, content/ and
themes/ (every file's path, size and mtime), the built-in themes (templates, fonts, catalogs), kitgen's version,
the environment variables documents read, today's date and --strict. When the next build finds the same digest,
every file the last one wrote still as it left it and the same manifest, it has nothing to do and says so
without loading the kit: the warnings it repeats are the ones the last build recorded. Any difference (a comment
added to a partner's file) takes the full path, where each file's own recorded dependencies decide what to
render (pipeline/plan.py); this only skips the work of finding out that nothing changed.

Files are compared by size and mtime, as make and git do, not by content, except those changed within seconds of
the record (git's "racy" files): an edit in the same tick of a coarse file-system clock keeps size and mtime, so
their content is in the digest too.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kitgen import __version__
from kitgen.pipeline.output import Entry
from kitgen.problems import Problem
from kitgen.project import CONFIG, CONTENT, THEMES, builtin_dir

ENVIRONMENT = ("KITGEN_TODAY", "SOURCE_DATE_EPOCH")  # what documents and checks read of the environment
READ = (CONFIG, CONTENT, THEMES)  # the project's files a build reads; the output folder is never among them
RACY_NS = 3_000_000_000  # files changed this close to a record count by content: some clocks tick by 1 or 2 s

File = tuple[str, str, os.stat_result | None]  # its name in the digest, its path, its stat (None: dangling link)


@dataclass(frozen=True)
class Read:
    """What a build of a project reads, as found at `moment`."""

    settings: tuple[str, ...]
    files: tuple[File, ...]
    moment: int  # ns

    @classmethod
    def now(cls, project: Path, strict: bool) -> Read:
        settings = (__version__, f"strict={strict}", f"today={datetime.date.today()}",
                    *(f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT))
        tops = [(name, project / name) for name in READ] + [("built-in themes", builtin_dir(THEMES))]
        return cls(settings, tuple(f for shown, top in tops for f in _files(shown, top)), time.time_ns())

    def digest(self, recorded_at: int) -> str:
        """The digest as of a record made at `recorded_at` (ns): files are named (in the project, so a copied or
        moved project keeps its record) with size and mtime, plus content when changed near that moment."""
        h = hashlib.sha256("\n".join(self.settings).encode())
        for shown, path, st in self.files:
            h.update(f"\n{shown}\0{f'{st.st_size}:{st.st_mtime_ns}' if st else 'dangling'}".encode())
            if st and st.st_mtime_ns >= recorded_at - RACY_NS:
                h.update(_content(path))
        return h.hexdigest()


def _files(shown: str, top: Path) -> Iterator[File]:
    """Every file under `top` (or `top` itself) in a stable order. Links are followed, as the loader follows
    them; a folder reached twice (a link to a parent) is walked once."""
    if not top.is_dir():
        if top.exists():
            yield shown, str(top), top.stat()
        return
    seen: set[str] = set()
    for folder, dirs, names in os.walk(top, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                st: os.stat_result | None = os.stat(path)
            except OSError:
                st = None
            yield f"{shown}/{os.path.relpath(path, top)}", path, st


def _content(path: str) -> bytes:
    try:
        return hashlib.sha256(Path(path).read_bytes()).digest()
    except OSError:
        return b"unreadable"


def record(read: Read, manifest: bytes, warnings: list[Problem]) -> dict[str, Any]:
    """What the state file keeps of a complete build: what it read, its manifest and its warnings."""
    return _record(read.digest(read.moment), read.moment, manifest, warnings)


def holds(recorded: Any, read: Read, manifest: bytes, warnings: list[Problem]) -> bool:
    """Whether a record still says what `record` would say now (then the state file is not rewritten)."""
    if not isinstance(recorded, dict) or not isinstance(recorded.get("at"), int):
        return False
    return recorded == _record(read.digest(recorded["at"]), recorded["at"], manifest, warnings)


def _record(digest: str, at: int, manifest: bytes, warnings: list[Problem]) -> dict[str, Any]:
    return {"digest": digest, "at": at, "manifest": hashlib.sha256(manifest).hexdigest(),
            "warnings": [[w.path, w.line, w.field, w.message] for w in warnings]}


def unchanged(state: dict[str, Any], read: Read, out: Path) -> tuple[int, list[Problem]] | None:
    """(how many files are current, the warnings to repeat) when the last complete build read what `read` found
    and its output is as it left it; None when a full build must decide."""
    recorded = state.get("inputs")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("at"), int) or \
            recorded.get("digest") != read.digest(recorded["at"]):
        return None
    files = state.get("files", {})
    for rel, raw in files.items():
        entry = Entry.parse(raw)
        if entry is None or not entry.left_as_is(out, rel):
            return None
    try:
        manifest = (out / "manifest.json").read_bytes()
        warnings = [Problem(str(p), int(n), str(f), str(m), "warning") for p, n, f, m in recorded["warnings"]]
    except (OSError, KeyError, TypeError, ValueError):
        return None
    if hashlib.sha256(manifest).hexdigest() != recorded.get("manifest"):
        return None
    return len(files), warnings
