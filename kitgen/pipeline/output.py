"""The output folder: refuse dangerous places, remember what kitgen wrote, and replace it all or nothing.

A build assembles its result in a sibling folder that starts as a clone of the current output (hard links, so
unchanged files, and the user's own files, cost nothing and keep their mtimes; the user's symbolic links stay
links and their folders keep their permissions), writes only what changed, and swaps the two folders when
everything succeeded. A failed or interrupted build leaves the old output as it was.

Confinement is one rule, applied before any I/O: every path kitgen writes or deletes is a plain relative path
(`safe_rel`) that reaches its file through real folders inside the output, never through a symbolic link
(`Staging.target`). Paths recorded in the state file are untrusted input and pass the same rule before use.
An output folder that is itself a symbolic link is built into the folder it points to.

Whatever kitgen did not write or remove is the user's: a file copied into the output while a build runs (a CNAME)
is carried over at the swap, never deleted with the retired folder. An output folder that is a mount point cannot
be renamed (EBUSY): kitgen then stages inside it and swaps its contents, entry by entry, instead of the folder.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from kitgen import stopping

# state.py's and swap.py's names stay importable from here, where other modules have imported them from
from kitgen.pipeline.state import DEFAULT as DEFAULT
from kitgen.pipeline.state import STATE as STATE
from kitgen.pipeline.state import Entry as Entry
from kitgen.pipeline.state import OutsideOutput as OutsideOutput
from kitgen.pipeline.state import guard as guard
from kitgen.pipeline.state import read_state as read_state
from kitgen.pipeline.state import safe_rel as safe_rel
from kitgen.pipeline.swap import (
    INSIDE,
    STAGING_MARK,
    carry_over,
    link_tree,
    mount_point,
    same_bytes,
    swap_contents,
    with_parents,
)
from kitgen.pipeline.swap import recover as recover
from kitgen.pipeline.swap import remove_tree as remove_tree
from kitgen.problems import ContentError, Problem


class Output:
    """An output folder and the record of the files kitgen wrote in it. Open it only while holding its lock
    (pipeline/lock.py): it clears what an interrupted build left beside it."""

    def __init__(self, root: Path):
        self.shown = Path(root)
        self.root = Path(root).resolve()  # a link to a web root is built into the web root
        self.root.parent.mkdir(parents=True, exist_ok=True)
        recover(self.root)
        self.mounted = self.root.is_dir() and mount_point(self.root)  # cannot be renamed: swap its contents

    def keep_state(self, data: bytes) -> None:
        """Replace the state file alone, atomically, where it is: a build that wrote nothing else (only its record
        of what it read changed) swaps no folder. Best effort: that record only saves the next build time."""
        target = self.root / STATE
        temp = self.root / f"{STATE}.tmp"
        try:
            temp.write_bytes(data)
            os.replace(temp, target)
        except OSError:
            temp.unlink(missing_ok=True)

    def read(self, rel: str) -> bytes | None:
        if safe_rel(rel) is None or (self.root / rel).is_symlink():
            return None
        try:
            return (self.root / rel).read_bytes()
        except OSError:
            return None

    def obstacles(self, writes: Iterable[str], removes: Iterable[str] = ()) -> list[Problem]:
        """Why some of these writes or removals cannot happen inside the output as it is (a user's symbolic link
        or file where kitgen needs a folder, a read-only folder), each located; [] when all can."""
        found: dict[str, Problem] = {}
        if not self.root.is_dir():  # a first build: nothing of the user's to run into
            return []

        def problem(at: Path, message: str) -> None:
            shown = (self.shown / at.relative_to(self.root)).as_posix()
            found.setdefault(shown, Problem(shown, 0, "output", message))

        for rel, removing in [(r, False) for r in writes] + [(r, True) for r in removes]:
            parts = safe_rel(rel)
            if parts is None:
                raise OutsideOutput(f"{rel!r} is not a path inside the output folder")
            here = self.root
            for i, part in enumerate(parts.parts):
                last = i == len(parts.parts) - 1
                parent, here = here, here / part
                try:
                    mode = here.lstat().st_mode
                except FileNotFoundError:
                    if not removing and not os.access(parent, os.W_OK | os.X_OK):
                        problem(parent, f"is read-only; kitgen needs to write {rel} in it: make it writable "
                                "(chmod u+w) or remove it")
                    break
                if stat.S_ISLNK(mode):
                    if not removing:  # a removal through or of a link is skipped: left alone, never followed
                        problem(here, f"is a symbolic link; kitgen does not write through links inside its output "
                                f"folder ({rel}): remove the link, or link the whole output folder instead")
                    break
                if last:
                    if stat.S_ISDIR(mode):
                        if not removing:
                            problem(here, f"is a folder where kitgen writes the file {rel}; move it away")
                    elif not os.access(parent, os.W_OK | os.X_OK):
                        problem(parent, f"is read-only; kitgen needs to {'remove' if removing else 'replace'} "
                                f"{rel} in it: make it writable (chmod u+w)")
                elif not stat.S_ISDIR(mode):
                    if not removing:
                        problem(here, f"is a file where kitgen needs a folder for {rel}; move it away")
                    break
        return list(found.values())

    def begin(self, writes: Iterable[str] = (), removes: Iterable[str] = ()) -> Staging:
        """A staging folder for the next output; ContentError, before anything is written, when any of these
        writes or removals is blocked (see `obstacles`)."""
        blocked = self.obstacles(writes, removes)
        if blocked:
            raise ContentError(blocked)
        return Staging(self)


class Staging:
    """The next output, assembled aside. Use as a context manager: commit on success, vanish on any failure."""

    def __init__(self, output: Output):
        self.output = output
        root = output.root
        self.token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.dir = root / f"{INSIDE[0]}{self.token}" if output.mounted else \
            root.with_name(f".{root.name}.kitgen-new-{self.token}")
        self.dir.mkdir()  # unique per build, with the user's umask (mkdtemp would make it private)
        (self.dir / STAGING_MARK).touch()
        self._modes: list[tuple[Path, int]] = []
        self.touched: set[str] = set()  # what this build wrote or removed; everything else is the user's
        if root.is_dir():
            try:
                self._modes = link_tree(root, self.dir)
            except BaseException:
                remove_tree(self.dir)
                raise

    def target(self, rel: str) -> Path:
        """The staged file for `rel`, after checking that it lies inside the staging folder and is reached
        through real folders only (no symbolic link, so no way out); raises OutsideOutput otherwise."""
        parts = safe_rel(rel)
        if parts is None or rel == STAGING_MARK:
            raise OutsideOutput(f"{rel!r} is not a path inside the output folder")
        here = self.dir
        for part in parts.parts[:-1]:
            here = here / part
            if here.is_symlink() or (here.exists() and not here.is_dir()):
                raise OutsideOutput(f"{rel!r}: {here.relative_to(self.dir)} is not a folder of the output")
        target = here / parts.name
        if not target.parent.resolve().is_relative_to(self.dir.resolve()):
            raise OutsideOutput(f"{rel!r} resolves outside the output folder")
        return target

    def path(self, rel: str) -> Path:
        return self.target(rel)

    def write(self, rel: str, data: bytes) -> tuple[int, int]:
        """Write one file (replacing, never modifying, a linked one); returns its size and mtime."""
        target = self.target(rel)
        if target.is_symlink() or target.is_dir():
            raise OutsideOutput(f"{rel!r} is a link or folder that is not kitgen's")
        self.touched.add(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        kept = same_bytes(target, data)
        if kept is not None:  # identical bytes: the file and its mtime stay (deploy tools upload by mtime)
            return kept
        temp = target.with_name(f".{target.name}.tmp")
        temp.write_bytes(data)
        os.replace(temp, target)
        st = target.stat()
        return st.st_size, st.st_mtime_ns

    def remove(self, rel: str) -> None:
        """Remove a file kitgen wrote, and the folders it leaves empty; anything else there (a link, a folder,
        a path that is not inside the output) is left alone."""
        try:
            target = self.target(rel)
        except OutsideOutput:
            return
        if target.is_symlink() or not target.is_file():
            return
        target.unlink()
        self.touched.add(rel)
        parent = target.parent
        while parent != self.dir and not parent.is_symlink() and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            self.touched.add(parent.relative_to(self.dir).as_posix())
            parent = parent.parent

    def commit(self) -> None:
        root = self.output.root
        kitgens = with_parents(self.touched)
        if root.is_dir():  # what the user put in the output while this build ran
            carry_over(root, self.dir, kitgens, prune=True)
        for folder, mode in reversed(self._modes):  # the user's read-only folders stay read-only
            if folder.is_dir():
                os.chmod(folder, mode)
        if self.output.mounted:
            swap_contents(root, self.dir, self.token)
            return
        retired = root.with_name(f".{root.name}.kitgen-old-{self.token}")
        if os.path.lexists(root):
            os.replace(root, retired)
        os.replace(self.dir, root)
        (root / STAGING_MARK).unlink(missing_ok=True)
        if retired.is_dir() and not retired.is_symlink():  # a file copied into the old folder at the last moment
            carry_over(retired, root, kitgens, prune=False)
        remove_tree(retired)

    def abort(self) -> None:
        remove_tree(self.dir)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            try:
                stopping.honour()  # a Ctrl-C that Python lost on the way (kitgen/stopping.py) still stops the swap
            except KeyboardInterrupt:
                self.abort()
                raise
            self.commit()
        else:
            self.abort()
