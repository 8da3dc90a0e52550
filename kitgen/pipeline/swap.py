"""The output folder's swap: a staged folder cloned from the live one with hard links, swapped in whole (or entry by
entry inside a mount point), the user's own files carried over, and recovery after an interrupted swap."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
from pathlib import Path, PurePosixPath

from kitgen.pipeline.state import STATE
from kitgen.problems import ContentError, Problem

STAGING_MARK = ".kitgen-staging"
_RETIRED_MARK = ".kitgen-retired"  # in a retired folder inside a mounted output: its entries are the old output's
_MOVED_MARK = ".kitgen-moved-out"  # ...all of them: the swap goes forward from there, never back
INSIDE = (".kitgen-new-", ".kitgen-old-", ".kitgen-trash-")  # kitgen's folders inside a mounted output


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


def link_tree(src: Path, dst: Path) -> list[tuple[Path, int]]:
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
            dirs[:] = [name for name in dirs if not name.startswith(INSIDE)]  # a mounted output's staging
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
            if rel == Path() and name == STAGING_MARK:
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
        if not folder.is_symlink() and (folder / STAGING_MARK).exists():
            remove_tree(folder)
    if root.is_dir() and not root.is_symlink():
        _recover_inside(root)
    (root / STAGING_MARK).unlink(missing_ok=True)  # killed right after a swap


def _recover_inside(root: Path) -> None:
    """The same for a mounted output, whose contents were being swapped (`swap_contents`)."""
    inside = sorted(p for p in root.iterdir() if p.name.startswith(INSIDE) and p.is_dir() and not p.is_symlink())
    for old in (p for p in inside if p.name.startswith(INSIDE[1]) and (p / _RETIRED_MARK).exists()):
        new = root / (INSIDE[0] + old.name.removeprefix(INSIDE[1]))
        forward = (old / _MOVED_MARK).exists() and (new / STAGING_MARK).exists()
        source = new if forward else old  # forward: the rest of the new output in; back: the old output back
        for entry in sorted(source.iterdir()):
            if entry.name not in (STAGING_MARK, _RETIRED_MARK, _MOVED_MARK) and not os.path.lexists(root / entry.name):
                os.rename(entry, root / entry.name)
        _trash(old, root)
    for folder in sorted(root.iterdir()):
        staging = folder.name.startswith(INSIDE[0]) and (folder / STAGING_MARK).exists()
        if (staging or folder.name.startswith(INSIDE[2])) and folder.is_dir() and not folder.is_symlink():
            remove_tree(folder)


def swap_contents(root: Path, staged: Path, token: str) -> None:
    """Swap a mounted output's contents for the staged ones: each top-level entry is one rename (site/ whole),
    so the site is never half old, half new; a crash in between is finished or undone by `recover`."""
    retired = root / f"{INSIDE[1]}{token}"
    retired.mkdir()
    (retired / _RETIRED_MARK).touch()
    for entry in sorted(root.iterdir()):
        if not entry.name.startswith(INSIDE):
            os.rename(entry, retired / entry.name)
    (retired / _MOVED_MARK).touch()
    for entry in sorted(staged.iterdir()):
        if entry.name != STAGING_MARK:
            os.rename(entry, root / entry.name)
    _trash(retired, root)
    remove_tree(staged)


def _trash(folder: Path, root: Path) -> None:
    """Remove a retired folder inside a mounted output, renamed first: a half-removed one is never taken for a
    swap to finish or undo."""
    trash = root / f"{INSIDE[2]}{folder.name.split('-', 2)[-1]}-{secrets.token_hex(2)}"
    os.rename(folder, trash)
    remove_tree(trash)


def mount_point(folder: Path) -> bool:
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


def same_bytes(target: Path, data: bytes) -> tuple[int, int] | None:
    """(size, mtime) of `target` when it is a regular file holding exactly `data`, else None."""
    try:
        st = target.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data) or target.read_bytes() != data:
            return None
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def with_parents(rels: set[str]) -> set[str]:
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
            if not rel and (entry.name.startswith(INSIDE) or entry.name == STAGING_MARK):
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


def carry_over(live: Path, staged: Path, kitgens: set[str], *, prune: bool) -> None:
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
