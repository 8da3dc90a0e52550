"""Which saves call for a rebuild: the project's kitgen.yaml, content/ and themes/, watched with watchfiles."""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

import watchfiles

from kitgen.pipeline.inputs import READ as WATCHED  # what a build reads: kitgen.yaml first, then the two folders


class Watcher:
    """Collects changed project paths (relative, sorted) from two threads; `next_batch` hands them out per save.

    The project folder is watched without recursion (kitgen.yaml, and content/ or themes/ appearing), and
    content/ and themes/ recursively: watching the whole project would also watch output/ and any .venv.
    """

    def __init__(self, project: Path):
        self.project = project
        self.changes: queue.Queue[list[str]] = queue.Queue()
        self.stopping = threading.Event()
        self.rescan = threading.Event()

    def start(self) -> None:
        for target in (self._top, self._trees):
            threading.Thread(target=target, daemon=True, name=f"kitgen-{target.__name__}").start()

    def stop(self) -> None:
        self.stopping.set()

    def pending(self) -> bool:
        """Whether a save arrived that no batch has handed out yet (a running build is then out of date)."""
        return not self.changes.empty()

    def next_batch(self, wait: float = 0.5) -> list[str]:
        """The paths of the next save, or [] after `wait` quiet seconds. An editor's save is often several
        events; those that follow within 50 ms join the batch, so one save is one build."""
        try:
            batch = set(self.changes.get(timeout=wait))
        except queue.Empty:
            return []
        while True:
            try:
                batch.update(self.changes.get(timeout=0.05))
            except queue.Empty:
                return sorted(batch)

    def _put(self, batch: set[tuple[Any, str]]) -> None:
        rels = sorted({relative(Path(p), self.project) for change, p in batch if not _scratch(p)
                       and not (change == watchfiles.Change.added and not Path(p).exists())})  # an editor's temp
        if rels:
            self.changes.put(rels)

    def _top(self) -> None:
        def wanted(change: Any, path: str) -> bool:
            return Path(path).name in WATCHED

        while not self.stopping.is_set():
            try:
                for batch in watchfiles.watch(self.project, watch_filter=wanted, recursive=False,
                                              stop_event=self.stopping, step=30, raise_interrupt=False):
                    if any(Path(p).name != "kitgen.yaml" for _, p in batch):
                        self.rescan.set()  # content/ or themes/ appeared or went: watch the new set
                    self._put(batch)
            except (OSError, RuntimeError):
                self.stopping.wait(0.5)

    def _trees(self) -> None:
        stop = _Either(self.stopping, self.rescan)
        while not self.stopping.is_set():
            self.rescan.clear()
            roots = [self.project / name for name in WATCHED[1:] if (self.project / name).is_dir()]
            if not roots:
                self.rescan.wait(0.5)
                continue
            try:
                for batch in watchfiles.watch(*roots, stop_event=stop, step=30, raise_interrupt=False):
                    self._put(batch)
            except (OSError, RuntimeError):
                self.stopping.wait(0.5)


def _scratch(path: str) -> bool:
    """An editor's hidden or backup file (.x.swp, x~), never content."""
    name = Path(path).name
    return name.startswith(".") or name.endswith("~")


class _Either:
    """An event that is set when either of two events is (what watchfiles' stop_event needs: is_set())."""

    def __init__(self, a: threading.Event, b: threading.Event):
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()


def relative(path: Path, project: Path) -> str:
    """`path` as the user sees it in the terminal: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
