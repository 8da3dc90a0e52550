"""What kitgen wrote in an output folder (the state file, an Entry per file) and the one confinement rule every
path it writes or deletes passes (`safe_rel`), with the places an output folder may not be (`guard`)."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeGuard

from kitgen.problems import ContentError, Problem

STATE = ".kitgen-state.json"  # what kitgen wrote, with fingerprints; never deployed (outside site/)
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
