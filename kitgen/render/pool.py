"""PDF rendering across processes. Each worker keeps one PdfRenderer (fonts, parsed stylesheet, theme) for
all its documents, and is replaced after a while because WeasyPrint's memory grows over many renders."""

from __future__ import annotations

import multiprocessing
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kitgen.content.model import Kit
from kitgen.documents.kinds import BY_NAME
from kitgen.problems import ContentError, Problem
from kitgen.render import html
from kitgen.render.themes import Theme

RECYCLE_AFTER = 60  # documents per worker process
PARTNER_TEXT = 400  # characters of a partner's own text (address, note...) beyond which an overflow is theirs

_worker: dict = {}


def _init(kit: Kit, out_dir: Path, print_css: str, in_pool: bool = True, scratch: str | None = None) -> None:
    from kitgen.render.pdf import PdfRenderer
    if in_pool:  # the parent owns Ctrl-C and SIGTERM; a worker just stops when the pool ends it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        tempfile.tempdir = scratch  # WeasyPrint's font folders (weasyprint-*), removed with the build's scratch
    _worker.update(kit=kit, theme=Theme(kit.root, kit.config.theme), out=out_dir,
                   pdf=PdfRenderer(out_dir, print_css), partners={p.slug: p for p in kit.partners})


def _render(task: tuple[int, str, str, str]) -> tuple[int, bytes | Problem]:
    """One PDF. A document that spills over is rendered again condensed; if it still spills, its problem is
    returned (not raised: every document is rendered, so all that spill over are reported at once)."""
    index, kind, slug, rel = task
    kit, partner = _worker["kit"], _worker["partners"][slug]
    for density in ("normal", "compact"):
        page = html.render_partner(kit, _worker["theme"], kind, partner, density)
        data, pages = _worker["pdf"].render(page, (_worker["out"] / rel).parent, BY_NAME[kind].forms)
        if pages <= BY_NAME[kind].max_pages:
            return index, data
    return index, _too_long(kit, kind, partner, pages)


def _too_long(kit, kind: str, partner, pages: int) -> Problem:
    """Where to cut when a document cannot keep to its page limit even condensed."""
    limit = BY_NAME[kind].max_pages
    if kind == "handout":
        talk = kit.talk_for(partner)
        return Problem(talk.source, talk.body_line, "body", f"the lunch-and-learn handout for {partner.slug} needs "
                       f"{pages} pages (the limit is {limit}); shorten the talk")
    own = sum(len(text or "") for text in (partner.address, partner.note, partner.practice, partner.office_contact))
    if own > PARTNER_TEXT or kind == "intro_letter":  # the partner's own lines, or the letter's few paragraphs
        return Problem(partner.source, 0, kind.replace("_", "-"), f"the {kind.replace('_', '-')} for {partner.slug} "
                       f"needs {pages} pages even condensed (the limit is {limit}); shorten this partner's address, "
                       "note or practice name, or the practice's tagline and address")
    return Problem("content/practice.yaml", kit.practice_line("services"), "services",
                   f"the {kind.replace('_', '-')} for {partner.slug} needs {pages} pages even condensed (the limit "
                   f"is {limit}); shorten the service summaries, not_a_fit, clinicians or the referral steps")


def render_pdfs(kit: Kit, jobs: list, out_dir: Path, print_css: str, processes: int) -> Iterator[tuple[Any, bytes]]:
    """Yield (job, pdf bytes) as they finish, then raise ContentError with every document that cannot keep to
    its page limit, if any. One process renders in place, with no pool to start.

    WeasyPrint copies the fonts of every @font-face into a `weasyprint-*` folder per process, and a pool worker
    never cleans its own up: they go to a scratch folder inside the staging folder instead, removed when the
    PDFs are done (or, after kill -9, with the staging folder by the next build)."""
    scratch = tempfile.mkdtemp(prefix=".kitgen-scratch-", dir=out_dir)
    too_long = []
    try:
        for job, data in _render_all(kit, jobs, out_dir, print_css, processes, scratch):
            if isinstance(data, Problem):
                too_long.append(data)
            else:
                yield job, data
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if too_long:
        raise ContentError(too_long)


def _render_all(kit: Kit, jobs: list, out_dir: Path, print_css: str, processes: int,
                scratch: str) -> Iterator[tuple[Any, bytes | Problem]]:
    tasks = [(i, job.kind, job.partner, job.rel) for i, job in enumerate(jobs)]
    processes = max(1, min(processes, len(tasks)))
    if processes == 1:
        before, tempfile.tempdir = tempfile.tempdir, scratch
        _init(kit, out_dir, print_css, in_pool=False)
        try:
            for task in tasks:
                index, data = _render(task)
                yield jobs[index], data
        finally:
            tempfile.tempdir = before
            _worker.clear()  # fonts freed now, not at interpreter exit (where WeasyPrint's __del__ fails)
        return
    import weasyprint  # noqa: F401  imported once here, inherited by every forked worker
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    pool = context.Pool(processes, _init, (kit, out_dir, print_css, True, scratch), maxtasksperchild=RECYCLE_AFTER)
    try:
        for index, data in pool.imap_unordered(_render, tasks, chunksize=1):
            yield jobs[index], data
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        pool.join()
