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

import json
import os
import re
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
_RETIRED_MARK = ".kitgen-retired"  # in a retired folder inside a mounted output: its entries are the old output's
_MOVED_MARK = ".kitgen-moved-out"  # ...all of them: the swap goes forward from there, never back
_INSIDE = (".kitgen-new-", ".kitgen-old-", ".kitgen-trash-")  # kitgen's folders inside a mounted output
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
    (pipeline/lock.py): it clears what an interrupted build left beside it."""

    def __init__(self, root: Path):
        self.shown = Path(root)
        self.root = Path(root).resolve()  # a link to a web root is built into the web root
        self.root.parent.mkdir(parents=True, exist_ok=True)
        recover(self.root)
        self.mounted = self.root.is_dir() and _mount_point(self.root)  # cannot be renamed: swap its contents

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
        self.dir = root / f"{_INSIDE[0]}{self.token}" if output.mounted else \
            root.with_name(f".{root.name}.kitgen-new-{self.token}")
        self.dir.mkdir()  # unique per build, with the user's umask (mkdtemp would make it private)
        (self.dir / _STAGING_MARK).touch()
        self._modes: list[tuple[Path, int]] = []
        self.touched: set[str] = set()  # what this build wrote or removed; everything else is the user's
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
        self.touched.add(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        kept = _same_bytes(target, data)
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
        kitgens = _with_parents(self.touched)
        if root.is_dir():  # what the user put in the output while this build ran
            _carry_over(root, self.dir, kitgens, prune=True)
        for folder, mode in reversed(self._modes):  # the user's read-only folders stay read-only
            if folder.is_dir():
                os.chmod(folder, mode)
        if self.output.mounted:
            _swap_contents(root, self.dir, self.token)
            return
        retired = root.with_name(f".{root.name}.kitgen-old-{self.token}")
        if os.path.lexists(root):
            os.replace(root, retired)
        os.replace(self.dir, root)
        (root / _STAGING_MARK).unlink(missing_ok=True)
        if retired.is_dir() and not retired.is_symlink():  # a file copied into the old folder at the last moment
            _carry_over(retired, root, kitgens, prune=False)
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
        if rel == Path():
            dirs[:] = [name for name in dirs if not name.startswith(_INSIDE)]  # a mounted output's staging
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


def recover(out: Path) -> None:
    """Undo what a build killed mid-swap left behind (kill -9 or a power cut), before anything reads the output
    (its state file above all): the old output back in place, or a swap that had moved the old output out
    finished. Call it holding the output's lock (pipeline/lock.py); nothing to do where no output can be."""
    root = Path(out).resolve()
    if not root.parent.is_dir():
        return

    def siblings(kind: str) -> list[Path]:
        prefix = f".{root.name}.kitgen-{kind}"
        return sorted(p for p in root.parent.iterdir() if p.name == prefix or p.name.startswith(prefix + "-"))

    retired = [p for p in siblings("old") if not p.is_symlink() and p.is_dir()]
    if retired and not os.path.lexists(root):
        newest = max(retired, key=lambda p: p.stat().st_mtime_ns)
        os.replace(newest, root)
        retired.remove(newest)
    for folder in retired:
        remove_tree(folder)
    for folder in siblings("new"):
        if not folder.is_symlink() and (folder / _STAGING_MARK).exists():
            remove_tree(folder)
    if root.is_dir() and not root.is_symlink():
        _recover_inside(root)
    (root / _STAGING_MARK).unlink(missing_ok=True)  # killed right after a swap


def _recover_inside(root: Path) -> None:
    """The same for a mounted output, whose contents were being swapped (`_swap_contents`)."""
    inside = sorted(p for p in root.iterdir() if p.name.startswith(_INSIDE) and p.is_dir() and not p.is_symlink())
    for old in (p for p in inside if p.name.startswith(_INSIDE[1]) and (p / _RETIRED_MARK).exists()):
        new = root / (_INSIDE[0] + old.name.removeprefix(_INSIDE[1]))
        forward = (old / _MOVED_MARK).exists() and (new / _STAGING_MARK).exists()
        source = new if forward else old  # forward: the rest of the new output in; back: the old output back
        for entry in sorted(source.iterdir()):
            if entry.name not in (_STAGING_MARK, _RETIRED_MARK, _MOVED_MARK) and not os.path.lexists(root / entry.name):
                os.rename(entry, root / entry.name)
        _trash(old, root)
    for folder in sorted(root.iterdir()):
        staging = folder.name.startswith(_INSIDE[0]) and (folder / _STAGING_MARK).exists()
        if (staging or folder.name.startswith(_INSIDE[2])) and folder.is_dir() and not folder.is_symlink():
            remove_tree(folder)


def _swap_contents(root: Path, staged: Path, token: str) -> None:
    """Swap a mounted output's contents for the staged ones: each top-level entry is one rename (site/ whole),
    so the site is never half old, half new; a crash in between is finished or undone by `recover`."""
    retired = root / f"{_INSIDE[1]}{token}"
    retired.mkdir()
    (retired / _RETIRED_MARK).touch()
    for entry in sorted(root.iterdir()):
        if not entry.name.startswith(_INSIDE):
            os.rename(entry, retired / entry.name)
    (retired / _MOVED_MARK).touch()
    for entry in sorted(staged.iterdir()):
        if entry.name != _STAGING_MARK:
            os.rename(entry, root / entry.name)
    _trash(retired, root)
    remove_tree(staged)


def _trash(folder: Path, root: Path) -> None:
    """Remove a retired folder inside a mounted output, renamed first: a half-removed one is never taken for a
    swap to finish or undo."""
    trash = root / f"{_INSIDE[2]}{folder.name.split('-', 2)[-1]}-{secrets.token_hex(2)}"
    os.rename(folder, trash)
    remove_tree(trash)


def _mount_point(folder: Path) -> bool:
    """Whether `folder` is a mount point, a bind mount of a folder of the same file system included (which
    os.path.ismount cannot see: Linux lists it in /proc/self/mountinfo)."""
    if os.path.ismount(folder):
        return True
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    octal = re.compile(r"\\([0-7]{3})")  # a space in a mount point is written \040
    return any(len(fields) > 4 and octal.sub(lambda m: chr(int(m[1], 8)), fields[4]) == str(folder)
               for fields in (line.split() for line in lines))


def _same_bytes(target: Path, data: bytes) -> tuple[int, int] | None:
    """(size, mtime) of `target` when it is a regular file holding exactly `data`, else None."""
    try:
        st = target.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data) or target.read_bytes() != data:
            return None
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _with_parents(rels: set[str]) -> set[str]:
    """The paths and every folder above them."""
    found = set(rels)
    for rel in rels:
        found.update(p.as_posix() for p in PurePosixPath(rel).parents if p != PurePosixPath("."))
    return found


_DIR, _LINK, _FILE = "dir", "link", "file"


def _tree(top: Path) -> dict[str, tuple[str, int]]:
    """Every entry under `top` (links not followed, kitgen's own folders and marks left out), by relative path:
    its kind and inode, both from the folder listing (no stat per file: an output holds tens of thousands)."""
    found: dict[str, tuple[str, int]] = {}
    pending = [("", str(top))]
    while pending:
        rel, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not rel and (entry.name.startswith(_INSIDE) or entry.name == _STAGING_MARK):
                continue
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                kind = _LINK if entry.is_symlink() else _DIR if entry.is_dir(follow_symlinks=False) else _FILE
                found[path] = (kind, entry.inode())
            except OSError:
                continue
            if kind == _DIR:
                pending.append((path, entry.path))
    return found


def _carry_over(live: Path, staged: Path, kitgens: set[str], *, prune: bool) -> None:
    """Make `staged` hold what `live` holds wherever this build wrote and removed nothing (`kitgens`): a file the
    user added (or replaced) while it ran is linked in, and with `prune` one the user deleted is left out. Best
    effort per entry: an entry that cannot be carried stays as the build found it."""
    have, want = _tree(staged), _tree(live)
    made: list[tuple[Path, Path]] = []
    for rel, (kind, inode) in sorted(want.items()):
        if rel in kitgens or rel == STATE:
            continue
        there, source, target = have.get(rel), live / rel, staged / rel
        try:
            if kind == _DIR:
                if there is None:
                    target.mkdir(parents=True)
                    made.append((source, target))
                continue
            if there is not None and (there[0] == _DIR or _same_entry(kind, inode, there, source, target)):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if there is not None:
                target.unlink()
            if kind == _LINK:
                os.symlink(os.readlink(source), target)
            else:
                try:
                    os.link(source, target, follow_symlinks=False)
                except OSError:
                    shutil.copy2(source, target, follow_symlinks=False)
        except OSError:
            continue
    for source, target in reversed(made):  # a read-only folder's mode once its files are in
        try:
            shutil.copystat(source, target, follow_symlinks=False)
        except OSError:
            pass
    if not prune:
        return
    for rel in sorted(have, reverse=True):  # files before the folders holding them
        if rel in kitgens or rel == STATE or rel in want:
            continue
        try:
            (staged / rel).rmdir() if have[rel][0] == _DIR else (staged / rel).unlink()
        except OSError:
            continue


def _same_entry(kind: str, inode: int, there: tuple[str, int], path: Path, path_there: Path) -> bool:
    """Whether the staged entry is still the live one: the same file (hard-linked into the staging folder), a
    copy of it (where the file system cannot link: same size, mtime and mode), or a link to the same place."""
    if kind != there[0]:
        return False
    if kind == _LINK:
        return os.readlink(path) == os.readlink(path_there)
    if inode == there[1]:
        return True
    a, b = path.lstat(), path_there.lstat()
    return (a.st_size, a.st_mtime_ns, a.st_mode) == (b.st_size, b.st_mtime_ns, b.st_mode)
