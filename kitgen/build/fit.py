"""Whether every printed document keeps to its page limit, for `kitgen check`: the one refusal that needs a layout.

A document's page count is known only once WeasyPrint has laid it out, so check lays out the PDFs, but only
those whose content changed since the last build: a PDF whose fingerprint matches kitgen's record was built,
hence fits. The layout runs exactly as the build's (same pool, same condensed retry, same messages), in a
scratch folder holding the files the PDFs load (assets, media, QR codes); nothing is written to the output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kitgen.build.output import read_state
from kitgen.content.model import Kit
from kitgen.documents.kinds import BY_NAME, make
from kitgen.problems import ContentError, Problem
from kitgen.render.themes import Theme

LOADED_BY_PDFS = ("asset", "media", "qr_print")  # what a PDF fetches from the folder it is rendered in


def _is_pdf(kind: str) -> bool:
    return kind in BY_NAME and BY_NAME[kind].format == "pdf"


def _recorded_fingerprint(entry: Any) -> str | None:
    """The fingerprint in a state entry: [fingerprint, size, mtime], or a mapping with a "fingerprint"."""
    if isinstance(entry, list) and entry:
        return entry[0] if isinstance(entry[0], str) else None
    if isinstance(entry, dict):
        value = entry.get("fingerprint")
        return value if isinstance(value, str) else None
    return None


def unbuilt_pdfs(kit: Kit, theme: Theme, out: Path) -> list:
    """The PDF jobs whose current fingerprint the last build in `out` did not record (all of them, unbuilt)."""
    from kitgen.build.pipeline import plan

    recorded = read_state(out).get("files", {})
    return [job for job in plan(kit, theme, kit.partners)
            if _is_pdf(job.kind) and _recorded_fingerprint(recorded.get(job.rel)) != job.fingerprint]


def overflows(kit: Kit, theme: Theme, out: Path, *, jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> tuple[list[Problem], int]:
    """Every changed PDF that cannot keep to its page limit even condensed, located as the build reports it,
    and how many PDFs were laid out."""
    from kitgen.build.pipeline import plan
    from kitgen.render import html, pool

    pending = unbuilt_pdfs(kit, theme, out)
    if not pending:
        return [], 0
    partners = {job.partner for job in pending}
    by_slug = {p.slug: p for p in kit.partners}
    with tempfile.TemporaryDirectory(prefix="kitgen-check-") as scratch:
        root = Path(scratch)
        for job in plan(kit, theme, kit.partners):
            if job.kind not in LOADED_BY_PDFS or (job.partner and job.partner not in partners):
                continue
            owner = by_slug.get(job.partner or "")
            data = job.source.read_bytes() if job.source else make(BY_NAME[job.kind], kit, owner, theme)
            target = root / job.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        done = 0
        try:
            for _job, _data in pool.render_pdfs(kit, pending, root, html.render_print_css(kit, theme),
                                                jobs or os.cpu_count() or 1):
                done += 1
                if progress:
                    progress(done, len(pending))
        except ContentError as exc:
            return list(exc.problems), len(pending)
    return [], len(pending)
