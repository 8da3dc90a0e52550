"""The output folder: refuse dangerous places, remember what kitgen wrote, and replace it all or nothing.

A build assembles its result in a sibling folder that starts as a hard-linked clone of the current output
(so unchanged files, and the user's own files, cost nothing and keep their mtimes), writes only what changed,
and swaps the two folders when everything succeeded. A failed or interrupted build leaves the old output as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from kitgen.problems import ContentError, Problem

STATE = ".kitgen-state.json"  # what kitgen wrote, with fingerprints; never deployed (outside site/)
_STAGING_MARK = ".kitgen-staging"


def guard(out: Path, project: Path) -> None:
    """Refuse output folders whose clean-up could touch the project or the user's files."""
    out, project = out.resolve(), project.resolve()
    forbidden = {Path(out.anchor): "the filesystem root", Path.home().resolve(): "your home folder",
                 project: "the project folder itself"}
    reason = forbidden.get(out)
    for name in ("content", "themes"):
        src = project / name
        if out == src:
            reason = reason or f"it is {name}/"
        elif out.is_relative_to(src):
            reason = reason or f"it is inside {name}/"
        elif src.is_relative_to(out):
            reason = reason or f"it holds {name}/"
    if out.is_file():
        reason = reason or "it is a file"
    if reason:
        raise ContentError([Problem(str(out), 0, "--out", f"refusing to build here: {reason}")])


def read_state(out: Path) -> dict:
    """kitgen's record of what it wrote in `out` ({} when none). Read-only, unlike Output(), which first recovers
    from an interrupted swap: safe for `kitgen list` or the preview while a build is running."""
    try:
        return json.loads((Path(out) / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class Output:
    """An output folder and the record of the files kitgen wrote in it."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.staging = self.root.with_name(f".{self.root.name}.kitgen-new")
        self.retired = self.root.with_name(f".{self.root.name}.kitgen-old")
        self._recover()

    def _recover(self) -> None:
        """Undo what a build killed mid-swap left behind (kill -9 or a power cut)."""
        if self.retired.is_dir():
            if self.root.exists():
                shutil.rmtree(self.retired, ignore_errors=True)
            else:
                os.replace(self.retired, self.root)
        if (self.staging / _STAGING_MARK).exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def state(self) -> dict:
        return read_state(self.root)

    def stat(self, rel: str) -> tuple[int, int] | None:
        try:
            st = (self.root / rel).stat()
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def read(self, rel: str) -> bytes | None:
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            return None

    def begin(self) -> Staging:
        return Staging(self)


class Staging:
    """The next output, assembled aside. Use as a context manager: commit on success, vanish on any failure."""

    def __init__(self, output: Output):
        self.output = output
        self.dir = output.staging
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        (self.dir / _STAGING_MARK).touch()
        if output.root.is_dir():
            _link_tree(output.root, self.dir)

    def path(self, rel: str) -> Path:
        return self.dir / rel

    def write(self, rel: str, data: bytes) -> tuple[int, int]:
        """Write one file (replacing, never modifying, a linked one); returns its size and mtime."""
        target = self.dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
        st = target.stat()
        return st.st_size, st.st_mtime_ns

    def remove(self, rel: str) -> None:
        target = self.dir / rel
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != self.dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def commit(self) -> None:
        (self.dir / _STAGING_MARK).unlink()
        root, retired = self.output.root, self.output.retired
        if root.exists():
            os.replace(root, retired)
        os.replace(self.dir, root)
        shutil.rmtree(retired, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


def _link_tree(src: Path, dst: Path) -> None:
    """Recreate `src` under `dst` with hard links (copies where the filesystem cannot link)."""
    for folder, _dirs, files in os.walk(src):
        rel = Path(folder).relative_to(src)
        (dst / rel).mkdir(exist_ok=True)
        for name in files:
            try:
                os.link(Path(folder) / name, dst / rel / name)
            except OSError:
                shutil.copy2(Path(folder) / name, dst / rel / name)
