"""PDF rendering across processes. Each worker keeps one PdfRenderer (fonts, parsed stylesheet, theme) for
all its documents, and is replaced after a while because WeasyPrint's memory grows over many renders.

Each PDF comes back with what it was made from (kitgen/record.py): the templates and content its HTML read,
the files of the output it embedded, and what the worker's stylesheet loaded (its fonts).
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from kitgen import record
from kitgen.content.model import Kit
from kitgen.content.partners import Partner
from kitgen.kinds import KINDS, Kind
from kitgen.problems import ContentError, Problem
from kitgen.render import balance, columns, html
from kitgen.render.themes import Theme

if TYPE_CHECKING:
    import weasyprint

    from kitgen.render.pdf import PdfRenderer


class Job(Protocol):
    """A PDF to render, as the pool reads it: pipeline/plan.py's Job (the pipeline sits above render/)."""

    @property
    def rel(self) -> str: ...
    @property
    def kind(self) -> Kind | None: ...
    @property
    def partner(self) -> Partner | None: ...
    @property
    def variant(self) -> str: ...


J = TypeVar("J", bound=Job)

# Documents per worker process. A worker grows about 0.03 MB per document (124 MB after 180, 136 MB after 540)
# and a fresh one costs about 0.35 s of CPU (its stylesheet, fonts and caches warm again): every 60 documents
# was 30 fresh workers for 1,800 PDFs; every 400 bounds the growth at about 13 MB.
RECYCLE_AFTER = 400
PARTNER_TEXT = 400  # characters of a partner's own text (address, note...) beyond which an overflow is theirs

Task = tuple[int, str, str | None, str, str]  # index, kind, partner slug (None: the practice's), variant, path
Rendered = tuple[int, bytes | Problem, record.Record]
Made = tuple[J, bytes, record.Record]


@dataclass
class _Worker:
    """What a worker process keeps for all its documents."""

    kit: Kit
    theme: Theme
    out: Path
    pdf: PdfRenderer
    loaded: record.Record  # what the renderer's stylesheet loaded (its fonts): part of every record
    partners: dict[str, Partner]


_worker: list[_Worker] = []  # this process's, once _init has run


def _init(kit: Kit, out_dir: Path, print_css: str, in_pool: bool = True, scratch: str | None = None) -> None:
    from kitgen.render.pdf import PdfRenderer  # WeasyPrint: only where a PDF is rendered
    if in_pool:  # the parent owns Ctrl-C and SIGTERM; a worker just stops when the pool ends it
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # blocked while it was forked
        tempfile.tempdir = scratch  # WeasyPrint's font folders (weasyprint-*), removed with the build's scratch
    with record.recording() as loaded:
        renderer = PdfRenderer(out_dir, print_css)
    _worker[:] = [_Worker(kit=kit, theme=Theme(kit.root, kit.config.theme), out=out_dir, pdf=renderer,
                          loaded=loaded, partners={p.slug: p for p in kit.partners})]
    # A layout allocates millions of short-lived objects and few cycles: the collector runs less often, and never
    # walks what is here now (the kit, the fonts), which lives as long as the worker (20 partners, 1 job: 49 s ->
    # 42 s)
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _render(task: Task) -> Rendered:
    """One PDF, in the first of its kind's densities that keeps to its pages (larger type first, condensed last,
    a step between: a page neither spilling over nor left a quarter blank); if none does, its problem is
    returned (not raised: every document is rendered, so all that spill over are reported at once)."""
    index, name, slug, variant, rel = task
    worker = _worker[0]
    kit, partner, kind = worker.kit, worker.partners.get(slug) if slug is not None else None, KINDS[name]
    assert kind.max_pages is not None
    folder, renderer = (worker.out / rel).parent, worker.pdf

    def layout(density: str) -> weasyprint.Document:
        page = html.render_partner(kit, worker.theme, kind, partner, density, variant)
        return renderer.lay_out(page, folder, kind.forms)

    with record.recording(dict(worker.loaded)) as made_from:
        if kind.balanced:
            document = balance.lay_out(layout, kind.max_pages)
            pages = len(document.pages)
            if pages <= kind.max_pages:
                return index, renderer.write(document, kind.forms), made_from
        for density in kind.densities if not kind.balanced else ():  # larger type first, when it fits
            document = layout(density)
            pages = len(document.pages)
            if pages <= kind.max_pages:  # written only once it fits: a layout that spills over is never written
                larger = kind.sparse if density == kind.densities[0] else None  # a short profile: larger type
                document = columns.evened(document, layout, density, larger)
                return index, renderer.write(document, kind.forms), made_from
    return index, too_long(kit, kind, partner, pages), made_from


def too_long(kit: Kit, kind: Kind, partner: Partner | None, pages: int) -> Problem:
    """Where to cut when a document cannot keep to its page limit even condensed."""
    talk = kit.talk_for(partner) if partner else None
    whose = f" for {partner.slug}" if partner else ""
    if kind.needs_talk and talk and partner:
        return Problem(talk.source, talk.body_line, "body", f"the {kind.called}{whose} "
                       f"needs {pages} pages (the limit is {kind.max_pages}); {kind.overflow}")
    if partner:
        own = sum(len(text or "") for text in (partner.address, partner.note, partner.practice, partner.office_contact))
        if own > PARTNER_TEXT or kind.name == "intro_letter":  # the partner's own lines, or the letter's paragraphs
            return Problem(partner.source, 0, kind.called, f"the {kind.called}{whose} needs {pages} pages even "
                           f"condensed (the limit is {kind.max_pages}); shorten this partner's address, note or "
                           "practice name, or the practice's tagline and address")
    return Problem("content/practice.yaml", kit.practice_line("services"), "services",
                   f"the {kind.called}{whose} needs {pages} pages even condensed (the "
                   f"limit is {kind.max_pages}); {kind.overflow}")


def render_pdfs(kit: Kit, jobs: list[J], out_dir: Path, print_css: str, processes: int,
                meanwhile: Iterable[Made[J]] = ()) -> Iterator[Made[J]]:
    """Yield (job, pdf bytes, what it was made from) as they finish, then raise ContentError with every document
    that cannot keep to its page limit, if any. One process renders in place, with no pool to start.

    `meanwhile` is other work (pages, fonts) done in this process once the workers have started: its items are
    yielded first, while the PDFs render on the other cores.

    WeasyPrint copies the fonts of every @font-face into a `weasyprint-*` folder per process, and a pool worker
    never cleans its own up: they go to a scratch folder inside the staging folder instead, removed when the
    PDFs are done (or, after kill -9, with the staging folder by the next build)."""
    scratch = tempfile.mkdtemp(prefix=".kitgen-scratch-", dir=out_dir)
    overflowing = []
    try:
        for job, data, made_from in _render_all(kit, jobs, out_dir, print_css, processes, scratch, meanwhile):
            if isinstance(data, Problem):
                overflowing.append(data)
            else:
                yield job, data, made_from
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if overflowing:
        raise ContentError(overflowing)


def _render_all(kit: Kit, jobs: list[J], out_dir: Path, print_css: str, processes: int, scratch: str,
                meanwhile: Iterable[Made[J]]) -> Iterator[tuple[J, bytes | Problem, record.Record]]:
    tasks: list[Task] = []
    for i, job in enumerate(jobs):
        assert job.kind is not None
        tasks.append((i, job.kind.name, job.partner.slug if job.partner else None, job.variant, job.rel))
    processes = max(1, min(processes, len(tasks)))
    if processes == 1:
        yield from meanwhile
        before, tempfile.tempdir = tempfile.tempdir, scratch
        collector = gc.get_threshold()
        _init(kit, out_dir, print_css, in_pool=False)
        try:
            for task in tasks:
                index, data, made_from = _render(task)
                yield jobs[index], data, made_from
        finally:
            tempfile.tempdir = before
            _worker.clear()  # fonts freed now, not at interpreter exit (where WeasyPrint's __del__ fails)
            gc.unfreeze()  # this process goes on (kitgen serve, tests): the collector as it was
            gc.set_threshold(*collector)
            # The renderer's Pango and Fontconfig objects sit in reference cycles: collected here, while the C
            # libraries are whole, not by the interpreter's last collection (one `build -j 1` in ~500 crashed
            # there with SIGSEGV after reporting its errors)
            gc.collect()
        return
    import weasyprint  # noqa: F401  imported once here, inherited by every forked worker
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    # Ctrl-C reaches the whole process group, workers included. A worker forked with SIGINT live could take it
    # before _init ignores it, die at start-up and leave the pool waiting; one forked with kitgen's SIGTERM
    # handler would raise where it should just end. Both stay blocked while the pool forks (its threads, which
    # fork the replacements of recycled workers, keep them blocked; _init unblocks SIGTERM once it is the
    # default again), and one that came in that moment is delivered to this process only once the pool is in
    # hand to end: a pool left running would outlive kitgen and find its scratch folder gone.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pool = context.Pool(processes, _init, (kit, out_dir, print_css, True, scratch),
                            maxtasksperchild=RECYCLE_AFTER)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        rendered = pool.imap_unordered(_render, tasks, chunksize=1)  # the workers start on them now
        yield from meanwhile
        for index, data, made_from in rendered:
            yield jobs[index], data, made_from
        pool.close()
        pool.join()
    finally:
        pool.terminate()
        pool.join()
