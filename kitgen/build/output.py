"""The output folder: refuse dangerous places, remember what kitgen wrote, and replace it all or nothing.

A build assembles its result in a sibling folder that starts as a clone of the current output (hard links, so
unchanged files, and the user's own files, cost nothing and keep their mtimes; the user's symbolic links stay
links and their folders keep their permissions), writes only what changed, and swaps the two folders when
everything succeeded. A failed or interrupted build leaves the old output as it was.

Confinement is one rule, applied before any I/O: every path kitgen writes or deletes is a plain relative path
(`safe_rel`) that reaches its file through real folders inside the output, never through a symbolic link
(`Staging.target`). Paths recorded in the state file are untrusted input and pass the same rule before use.
An output folder that is itself a symbolic link is built into the folder it points to.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, TypeGuard

from kitgen import stopping
from kitgen.problems import ContentError, Problem

STATE = ".kitgen-state.json"  # what kitgen wrote, with fingerprints; never deployed (outside site/)
_STAGING_MARK = ".kitgen-staging"
DEFAULT = "output"  # the project's own output folder; --out may not point inside it


class OutsideOutput(ValueError):
    """A path kitgen was about to write or delete does not lie inside the output folder (a bug, never content)."""


def safe_rel(rel: object) -> PurePosixPath | None:
    """`rel` as a plain relative path inside the output folder ("site/a/index.html"), or None when it is not
    one (see `plain`)."""
    return PurePosixPath(rel) if plain(rel) else None


def plain(rel: object) -> TypeGuard[str]:
    """Whether `rel` is a plain relative path inside the output folder, not absolute, empty, with "." or ".."
    segments, doubled or trailing slashes, backslashes or NULs (string tests only: a no-op build asks it for
    every file)."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        return False
    return not any(part in ("", ".", "..") for part in rel.split("/"))


def guard(out: Path, project: Path) -> None:
    """Refuse output folders whose clean-up could touch the project or the user's files, or whose content would
    be deployed with kitgen's private files (manifest.json, desk/)."""
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
    default = (project / DEFAULT).resolve()
    if out != default and out.is_relative_to(default):
        reason = reason or (f"it is inside {DEFAULT}/, which holds kitgen's private files (manifest.json, desk/) "
                            f"beside the deployable {DEFAULT}/site/; build into {DEFAULT}/ and deploy its site/")
    owner = next((parent for parent in out.parents if (parent / STATE).is_file()), None)
    if owner is not None:
        reason = reason or (f"it is inside {owner}, another kitgen output folder; build into that folder and "
                            "deploy its site/")
    if out.is_file():
        reason = reason or "it is a file"
    if reason:
        raise ContentError([Problem(str(out), 0, "--out", f"refusing to build here: {reason}")])


def read_state(out: Path) -> dict[str, Any]:
    """kitgen's record of what it wrote in `out` ({} when none), validated: the state file is input anyone can
    edit, so its "files" keep only entries whose key is a plain relative path inside the output (`safe_rel`)
    and whose record is a list or a mapping (extra fields are kept for the caller). Read-only: safe for
    `kitgen list` or the preview while a build is running."""
    try:
        data = json.loads((Path(out) / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    files = data.get("files")
    data["files"] = {rel: entry for rel, entry in files.items()
                     if plain(rel) and rel != STATE and isinstance(entry, (list, dict))} \
        if isinstance(files, dict) else {}
    return data


def stat_of(root: Path, rel: str) -> tuple[int, int] | None:
    """(size, mtime in ns) of the regular file `rel` under `root`, or None (missing, a link, a folder, unsafe)."""
    if not plain(rel):
        return None
    try:
        st = os.lstat(os.path.join(root, rel))
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if stat.S_ISREG(st.st_mode) else None


@dataclass
class Entry:
    """kitgen's record of one file it wrote: the fingerprint it was made at, its size and mtime (to notice a file
    changed by hand), and the keys of what it was made from."""

    fingerprint: str
    size: int
    mtime: int
    made_from: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, raw: Any) -> Entry | None:
        """An entry from the state file; None for anything malformed or from an older kitgen (rebuilt once)."""
        if not isinstance(raw, dict):
            return None
        fingerprint, size, mtime, made_from = (raw.get(k) for k in ("fingerprint", "size", "mtime", "made_from"))
        if not (isinstance(fingerprint, str) and isinstance(size, int) and isinstance(mtime, int)
                and isinstance(made_from, list) and all(isinstance(k, str) for k in made_from)):
            return None
        return cls(fingerprint, size, mtime, made_from)

    def left_as_is(self, root: Path, rel: str) -> bool:
        """Whether the file is still as kitgen left it (same size and mtime), not changed by hand."""
        return stat_of(root, rel) == (self.size, self.mtime)

    def dump(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "size": self.size, "mtime": self.mtime, "made_from": self.made_from}


class Output:
    """An output folder and the record of the files kitgen wrote in it. Open it only while holding its lock
    (build/lock.py): it clears what an interrupted build left beside it."""

    def __init__(self, root: Path):
        self.shown = Path(root)
        self.root = Path(root).resolve()  # a link to a web root is built into the web root
        self.root.parent.mkdir(parents=True, exist_ok=True)
        self._recover()

    def _siblings(self, kind: str) -> list[Path]:
        """Folders kitgen made beside the output: "new" (staging) or "old" (the output being retired)."""
        prefix = f".{self.root.name}.kitgen-{kind}"
        return sorted(p for p in self.root.parent.iterdir()
                      if p.name == prefix or p.name.startswith(prefix + "-"))

    def _recover(self) -> None:
        """Undo what a build killed mid-swap left behind (kill -9 or a power cut)."""
        retired = [p for p in self._siblings("old") if not p.is_symlink() and p.is_dir()]
        if retired and not os.path.lexists(self.root):
            newest = max(retired, key=lambda p: p.stat().st_mtime_ns)
            os.replace(newest, self.root)
            retired.remove(newest)
        for folder in retired:
            remove_tree(folder)
        for folder in self._siblings("new"):
            if not folder.is_symlink() and (folder / _STAGING_MARK).exists():
                remove_tree(folder)
        (self.root / _STAGING_MARK).unlink(missing_ok=True)  # killed right after a swap

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
        self.dir = root.with_name(f".{root.name}.kitgen-new-{os.getpid()}-{secrets.token_hex(4)}")
        self.dir.mkdir()  # unique per build, with the user's umask (mkdtemp would make it private)
        (self.dir / _STAGING_MARK).touch()
        self._modes: list[tuple[Path, int]] = []
        if root.is_dir():
            try:
                self._modes = _link_tree(root, self.dir)
            except BaseException:
                remove_tree(self.dir)
                raise

    def target(self, rel: str) -> Path:
        """The staged file for `rel`, after checking that it lies inside the staging folder and is reached
        through real folders only (no symbolic link, so no way out); raises OutsideOutput otherwise."""
        parts = safe_rel(rel)
        if parts is None or rel == _STAGING_MARK:
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
        target.parent.mkdir(parents=True, exist_ok=True)
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
        parent = target.parent
        while parent != self.dir and not parent.is_symlink() and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def commit(self) -> None:
        root = self.output.root
        for folder, mode in reversed(self._modes):  # the user's read-only folders stay read-only
            if folder.is_dir():
                os.chmod(folder, mode)
        retired = root.with_name(f".{root.name}.kitgen-old-{os.getpid()}-{secrets.token_hex(4)}")
        if os.path.lexists(root):
            os.replace(root, retired)
        os.replace(self.dir, root)
        (root / _STAGING_MARK).unlink(missing_ok=True)
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


def remove_tree(folder: Path) -> None:
    """Delete a folder kitgen made (staging, or a retired output), read-only folders in it included; never
    follows a symbolic link, and gives up quietly on what it cannot remove (the next build tries again)."""
    if folder.is_symlink():
        folder.unlink()
        return
    if not folder.is_dir():
        return
    _writable(folder)
    for path, dirs, _files in os.walk(folder):  # top-down: each folder is made writable before it is entered
        for name in dirs:
            full = Path(path) / name
            if not full.is_symlink():
                _writable(full)
    shutil.rmtree(folder, ignore_errors=True)


def _writable(folder: Path) -> None:
    try:
        os.chmod(folder, stat.S_IMODE(folder.lstat().st_mode) | stat.S_IRWXU)
    except OSError:
        pass


def _link_tree(src: Path, dst: Path) -> list[tuple[Path, int]]:
    """Recreate `src` under `dst`: files as hard links (copies where the filesystem cannot link), symbolic links
    as the same links (never followed), folders as new folders. Returns each folder's mode, to apply once the
    build has written into them."""
    modes = [(dst, stat.S_IMODE(src.stat().st_mode))]

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or src)
        raise ContentError([Problem(str(where), 0, "output", f"cannot be read ({error.strerror}); kitgen carries "
                                    "your own files in its output folder over to each build: make it readable "
                                    "(chmod u+rx) or move it out")])

    for folder, dirs, files in os.walk(src, onerror=unreadable):
        rel = Path(folder).relative_to(src)
        for name in list(dirs):
            source = Path(folder) / name
            if source.is_symlink():  # os.walk lists links to folders here, and does not descend into them
                dirs.remove(name)
                os.symlink(os.readlink(source), dst / rel / name)
                continue
            (dst / rel / name).mkdir()
            modes.append((dst / rel / name, stat.S_IMODE(source.lstat().st_mode)))
        for name in files:
            source, target = Path(folder) / name, dst / rel / name
            if rel == Path() and name == _STAGING_MARK:
                continue
            if source.is_symlink():
                os.symlink(os.readlink(source), target)
                continue
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                if source.is_file():
                    shutil.copy2(source, target, follow_symlinks=False)
    return modes
