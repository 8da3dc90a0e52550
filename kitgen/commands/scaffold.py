"""`kitgen init`: copy the example project (the repository's own kitgen.yaml and content/) to a new folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from kitgen.project import builtin_dir

ITEMS = ("kitgen.yaml", "content")


def init(target: Path) -> list[Path]:
    """Copy the example kit into `target`, refusing to overwrite anything that is already there."""
    target = Path(target)
    clashes = [target / item for item in ITEMS if (target / item).exists()]
    if clashes:
        raise FileExistsError(f"{clashes[0]} already exists; choose an empty folder")
    target.mkdir(parents=True, exist_ok=True)
    made = []
    for item in ITEMS:
        src = builtin_dir(item)
        if src.is_dir():
            shutil.copytree(src, target / item)
            made += [p for p in (target / item).rglob("*") if p.is_file()]
        else:
            shutil.copy2(src, target / item)
            made.append(target / item)
    ignore = target / ".gitignore"
    if not ignore.exists():
        ignore.write_text("/output/\n", encoding="utf-8")
    return made
