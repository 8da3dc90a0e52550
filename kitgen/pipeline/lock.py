"""One build at a time per output folder: `kitgen build`, `kitgen serve`'s rebuilds, CI and every other command that
writes into the output folder (`kitgen report`) share this lock: a file written beside a build is not lost at its
swap.

The lock is an advisory `flock` on `.<output>.kitgen-lock` beside the output folder (beside, not inside: the
output folder itself is swapped at the end of every build). The holder writes its pid and command into the file
so a second build can say who it waits for. The kernel drops a lock when its holder dies, so a lock left by a
build killed with -9 is stale and simply taken over; the file is removed on release, and a build that locked a
file someone removed meanwhile tries again on the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from kitgen.pipeline.state import guard
from kitgen.problems import ContentError, Problem
from kitgen.project import Project

WAIT_SECONDS = 600.0  # a second build waits this long for the first (a 2,000-partner build takes minutes)
POLL_SECONDS = 0.1


def lock_path(out: Path) -> Path:
    """The lock file for an output folder; a link to the folder shares the folder's own lock."""
    real = Path(out).resolve()
    return real.with_name(f".{real.name}.kitgen-lock")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class OutputLock:
    """Hold the output folder's lock (a context manager). Waits up to `wait` seconds, telling `notify` once who
    holds it; then ContentError naming the holder."""

    def __init__(self, out: Path, *, wait: float | None = None, notify: Callable[[str], None] = _say):
        self.out, self.path, self.notify = Path(out), lock_path(out), notify
        self.wait = float(os.environ.get("KITGEN_LOCK_WAIT", WAIT_SECONDS)) if wait is None else wait
        self.fd: int | None = None

    def acquire(self) -> None:
        deadline, told = time.monotonic() + self.wait, False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _holder(fd)
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise ContentError([Problem(str(self.out), 0, "output", f"is being built by {holder}; wait "
                                                "for it to finish (or stop it) and build again")]) from None
                if not told:
                    self.notify(f"kitgen: waiting for {holder} to finish with {self.out}")
                    told = True
                time.sleep(POLL_SECONDS)
                continue
            if _same_file(fd, self.path):
                break
            os.close(fd)  # the holder removed the file as we opened it: lock the new one
        os.ftruncate(fd, 0)
        command = sys.argv[1] if sys.argv[1:2] in (["build"], ["serve"], ["report"]) else ""
        os.write(fd, f"{os.getpid()} kitgen {command}".strip().encode() + b"\n")
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            if _same_file(self.fd, self.path):
                self.path.unlink()
        finally:
            os.close(self.fd)  # closing drops the flock
            self.fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), path.stat())
    except FileNotFoundError:
        return False


def _holder(fd: int) -> str:
    """'process 1234 (kitgen build)' from the lock file, as far as it says."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        text = []
    if not text or not text[0].isdigit():
        return "another kitgen process"
    return f"process {text[0]} ({' '.join(text[1:3]) or 'kitgen'})"


@contextlib.contextmanager
def hold(where: Project) -> Iterator[None]:
    """Hold the lock of `where`'s output folder, after refusing dangerous output folders, so no lock file is
    ever made beside one."""
    guard(where.out, where.root)
    if not lock_path(where.out).parent.is_dir():  # no project, or a first build into a new folder: nothing to
        yield                                    # lock yet, and no folder made before the content is checked
        return
    with OutputLock(where.out):
        yield
