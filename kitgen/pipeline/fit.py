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

from kitgen.content.model import Kit
from kitgen.pipeline.output import Entry, read_state
from kitgen.pipeline.plan import Job, Plan
from kitgen.problems import ContentError, Problem
from kitgen.render.themes import Theme


def unbuilt_pdfs(plan: Plan, entries: dict[str, Entry]) -> list[Job]:
    """The PDF jobs the last build did not make from what they would be made from now (all of them, unbuilt)."""
    return [job for job in plan.jobs if job.kind and job.kind.format == "pdf"
            and (job.rel not in entries or plan.fingerprint(job) != entries[job.rel].fingerprint)]


def overflows(kit: Kit, theme: Theme, out: Path, *, jobs: int | None = None,
              progress: Callable[[int, int], None] | None = None) -> tuple[list[Problem], int]:
    """Every changed PDF that cannot keep to its page limit even condensed, located as the build reports it,
    and how many PDFs were laid out."""
    from kitgen.render import html, pool

    entries = {rel: e for rel, raw in read_state(out).get("files", {}).items() if (e := Entry.parse(raw))}
    plan = Plan(kit, theme, kit.partners, entries)
    pending = unbuilt_pdfs(plan, entries)
    if not pending:
        return [], 0
    partners = {job.partner.slug for job in pending if job.partner}
    with tempfile.TemporaryDirectory(prefix="kitgen-check-") as scratch:
        root = Path(scratch)
        for job in plan.jobs:
            if not job.embedded or (job.partner and job.partner.slug not in partners):
                continue
            if job.source:
                data = job.published()
            else:
                assert job.kind and job.kind.make
                data = job.kind.make(kit, job.partner, theme, job.variant)
            target = root / job.rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        done = 0
        try:
            for _job, _data, _made_from in pool.render_pdfs(kit, pending, root, html.render_print_css(kit, theme),
                                                            jobs or os.cpu_count() or 1):
                done += 1
                if progress:
                    progress(done, len(pending))
        except ContentError as exc:
            return list(exc.problems), len(pending)
    return [], len(pending)
