"""Images the kit publishes (the logo, clinicians' photos): where they are, and the path they are published under.

A path in practice.yaml is resolved (symbolic links and ".." followed) and must land inside content/; the site
then publishes it under media/<its path relative to content/>, derived from the resolved file, never from the
text as written: "images/../images/logo.svg", "/home/me/kit/content/images/logo.svg" and a link to it are all
"images/logo.svg", so no spelling can reach outside site/media/ or publish a local folder's name.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kitgen.content.model import Practice


def content_path(content_dir: Path, value: str) -> str | None:
    """`value` (relative to content/, or absolute) as the resolved file's path relative to content/, or None when
    it resolves outside content/."""
    root = Path(content_dir).resolve()
    target = (root / value).resolve()
    if target == root or not target.is_relative_to(root):
        return None
    return target.relative_to(root).as_posix()


def published(practice: Practice, content_dir: Path) -> Practice:
    """The practice with its logo and clinicians' photos rewritten to their content-relative paths (the rules in
    model.py have already refused paths outside content/)."""
    def fixed(value: str | None) -> str | None:
        return (content_path(content_dir, value) or value) if value else value

    clinicians = [replace(c, photo=fixed(c.photo)) for c in practice.clinicians]
    return replace(practice, logo=fixed(practice.logo), clinicians=clinicians)
