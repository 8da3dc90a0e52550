"""Every run, in order: load -> plan -> check -> render -> swap. `kitgen build` runs them all; `kitgen check` is
a dry run of the same stages, rendering what a build would into a scratch folder and swapping nothing.

Load and check are check/validate.py. Planning is pipeline/plan.py: every file kitgen writes is a Job, current
when what its last render recorded it was made from is unchanged, so a rebuild does only the work an edit calls
for, and the checks that render skip the documents the plan found current. Before all that, pipeline/inputs.py
notices a build with nothing to do (the same inputs as the last complete build, its output untouched) without
loading the kit: this module imports the stages only then, so a no-op build never imports WeasyPrint.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitgen import __version__, record
from kitgen.pipeline import inputs
from kitgen.pipeline.lock import hold
from kitgen.pipeline.output import STATE, Entry, Output, guard, read_state, recover
from kitgen.problems import ContentError, Problem
from kitgen.project import Project

if TYPE_CHECKING:
    from kitgen.check.validate import Checked
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner
    from kitgen.kinds import Kind
    from kitgen.pipeline.plan import Job, Plan
    from kitgen.render.themes import Theme

Progress = Callable[[int, int], None]


@dataclass(frozen=True, kw_only=True)
class Options:
    """What a run does, one value handed down the stages.

    `partners` (slugs) or `shard` (k, n) build part of the kit; a partial build prunes nothing. Shards are chosen
    by a hash of the slug, so adding a partner never moves the others to another shard. `formats` ({"html",
    "code"}) renders only documents of those formats, also a partial build: `kitgen serve` shows an edited page
    before the PDFs are rendered. `dry_run` is `kitgen check`: every check on every document, then the files a
    build would write rendered into a scratch folder (`layout=False` stops before that), nothing written.
    """

    partners: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None
    formats: frozenset[str] = frozenset()
    strict: bool = False
    force: bool = False
    jobs: int | None = None
    progress: Progress | None = None
    dry_run: bool = False
    layout: bool = True

    @property
    def complete(self) -> bool:
        return not (self.partners or self.shard or self.formats)


@dataclass
class Result:
    written: list[str] = field(default_factory=list)  # a dry run: what a build would write, rendered aside
    removed: list[str] = field(default_factory=list)
    skipped: int = 0
    warnings: list[Problem] = field(default_factory=list)
    partners: int = 0  # the kit's size, once it was loaded (a no-op build does not load it)
    talks: int = 0


def build(project: Path | str, out: Path | str | None = None, **options: Any) -> Result:
    """`run` for a project folder, the options as keywords (`partners` and `formats` as any collection)."""
    for name, kind in (("partners", tuple), ("formats", frozenset)):
        if name in options:
            options[name] = kind(options[name] or ())
    return run(Project.at(project, out), Options(**options))


def run(where: Project, options: Options) -> Result:
    """Run the stages for the kit at `where`; ContentError with every problem, the output then untouched."""
    if options.dry_run:
        guard(where.out, where.root)  # what check accepts, build does: a dangerous --out too
        return _run(where, options)
    with hold(where):  # one build at a time per output folder (pipeline/lock.py)
        return _run(where, options)


def _run(where: Project, options: Options) -> Result:
    out, root = where.out, where.out.resolve()
    if not options.dry_run:
        recover(out)  # a build killed mid-swap: the old output back first, or its state file is not read
    state = read_state(root)  # read only: the output is opened once the kit passed
    # what a complete build reads, taken before the kit is read: an edit while it is read is a change next time
    read = inputs.Read.now(where.root, options.strict) if options.complete and not options.dry_run else None
    if read and not options.force and (nothing := inputs.unchanged(state, read, root)):
        return Result(skipped=nothing[0], warnings=nothing[1])

    from kitgen.check.validate import check, load, never  # the stages: only once there is work to do
    from kitgen.pipeline.plan import Plan, in_shard, path_of

    loaded = load(where)
    kit, theme = loaded.kit, loaded.theme
    selected = [p for p in kit.partners
                if (not options.partners or p.slug in options.partners) and in_shard(p.slug, options.shard)]
    previous = state.get("files", {})
    entries = {rel: e for rel, raw in previous.items() if (e := Entry.parse(raw))}
    plan = Plan(kit, theme, selected, entries)

    def current(kind: Kind, partner: Partner | None, variant: str) -> bool:
        job = plan.job(path_of(kit, kind, partner, variant))
        return job is not None and plan.current(job, root)

    thorough = options.dry_run or options.force  # check reports every document's warnings
    checked = check(where, loaded, chosen=selected, current=never if thorough else current, strict=options.strict)
    _check_partner_options(kit, options.partners)
    if not options.dry_run and kit.config.private_urls and any(not p.url_token for p in kit.partners):
        from kitgen.documents.privacy import ensure_tokens
        ensure_tokens(where.root, kit.partners)  # only once the kit passed: a refused build writes nothing
        return _run(where, options)  # loaded again, with the tokens written

    todo = [j for j in plan.jobs if _wanted(j, options)]
    changed = todo if options.force else [j for j in todo if not plan.current(j, root)]
    planned = {j.rel for j in todo}
    stale = sorted(rel for rel in previous if rel not in planned) if options.complete else []
    result = Result(warnings=list(checked.warnings), skipped=len(todo) - len(changed),
                    partners=len(kit.partners), talks=len(kit.talks))
    if options.dry_run:
        result.removed = stale
        if options.layout:
            result.written = _rehearse(plan, changed, options, checked)
        return result
    _swap(where, plan, state, planned, changed, stale, read, options, checked, result)
    return result


def _rehearse(plan: Plan, changed: list[Job], options: Options, checked: Checked) -> list[str]:
    """Render what a build would into a scratch folder (with the unchanged files its PDFs embed), keep nothing."""
    kit, theme = plan.kit, plan.theme
    touched, rendered = {j.partner.slug for j in changed if j.partner}, {j.rel for j in changed}
    embedded = [j for j in plan.jobs if j.embedded and not _is_pdf(j) and j.rel not in rendered
                and (j.partner is None or j.partner.slug in touched)]
    with tempfile.TemporaryDirectory(prefix="kitgen-check-") as scratch:
        folder = Path(scratch)
        try:
            for job, data, _made_from in _render(kit, theme, embedded + changed, folder, options):
                target = folder / job.rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        except ContentError as exc:
            raise ContentError([*checked.warnings, *exc.problems]) from None
    return [j.rel for j in changed]


def _swap(where: Project, plan: Plan, state: dict[str, Any], planned: set[str], changed: list[Job],
          stale: list[str], read: inputs.Read | None, options: Options, checked: Checked, result: Result) -> None:
    """Render the changed files into a staging clone of the output and swap it in whole (pipeline/output.py)."""
    from kitgen.pipeline.manifest import manifest
    from kitgen.pipeline.plan import jobs as all_jobs

    kit, theme, out = plan.kit, plan.theme, where.out
    previous: dict[str, Any] = state.get("files", {})
    output = Output(out)  # refused dangerous folders already: run() holds its lock
    everything = all_jobs(kit, theme, kit.partners) if options.shard else plan.jobs
    listed = {j.rel for j in everything} if options.shard else {rel for rel in previous if rel not in stale} | planned
    manifest_bytes = manifest(kit, everything, listed)
    lasting = [w for w in checked.warnings if w not in checked.moved]  # a code moved now has not moved next time
    if not changed and not stale and output.read("manifest.json") == manifest_bytes:
        if read and not inputs.holds(state.get("inputs"), read, manifest_bytes, lasting):
            output.keep_state(_state(previous, inputs.record(read, manifest_bytes, lasting)))  # no folder swapped
        return
    files = {rel: previous[rel] for rel in previous if rel not in stale}
    with output.begin([j.rel for j in changed] + ["manifest.json", STATE], stale) as staging:
        for rel in stale:
            staging.remove(rel)
            result.removed.append(rel)
        for job, data, made_from in _render(kit, theme, changed, staging.dir, options):
            size, mtime = staging.write(job.rel, data)
            fingerprint, keys = plan.settle(job, made_from) if job.recorded else (plan.settle_copy(job, data), [])
            files[job.rel] = Entry(fingerprint, size, mtime, keys).dump()
            result.written.append(job.rel)
        if output.read("manifest.json") != manifest_bytes:
            staging.write("manifest.json", manifest_bytes)
            result.written.append("manifest.json")
        staging.write(STATE, _state(files, inputs.record(read, manifest_bytes, lasting) if read else None))


def _wanted(job: Job, options: Options) -> bool:
    """Whether a run renders files of this job's format (`formats`; copies always)."""
    return not options.formats or job.kind is None or job.kind.format in options.formats


def _state(files: dict[str, Any], inputs: dict[str, Any] | None) -> bytes:
    """The state file: what each file was made from, and what a complete build read (pipeline/inputs.py)."""
    kept = {"generator": f"kitgen {__version__}", "files": files, **({"inputs": inputs} if inputs else {})}
    return (json.dumps(kept, indent=0, sort_keys=True) + "\n").encode()


def _check_partner_options(kit: Kit, wanted: tuple[str, ...]) -> None:
    """Every `--partner` slug names a partner file (reserved slugs are refused when the kit loads)."""
    known = {p.slug for p in kit.partners}
    problems = [Problem("--partner", 0, slug, f"no partner file content/partners/{slug}.yaml")
                for slug in wanted if slug not in known]
    if problems:
        raise ContentError(problems)


def _render(kit: Kit, theme: Theme, jobs: list[Job], folder: Path,
            options: Options) -> Iterator[tuple[Job, bytes, record.Record]]:
    """Yield (job, bytes, what it was made from) for every job: first the files PDFs embed (QR codes, assets,
    images), then the PDFs, the other files (pages, fonts, e-mails) being made here while the workers lay out."""
    pdfs = [j for j in jobs if _is_pdf(j)]
    first = _make(kit, theme, [j for j in jobs if not _is_pdf(j) and j.embedded])
    rest = _make(kit, theme, [j for j in jobs if not _is_pdf(j) and not j.embedded])
    made = chain(first, _pdfs(kit, theme, pdfs, folder, options.jobs, meanwhile=rest) if pdfs else rest)
    for done, item in enumerate(made, 1):
        if options.progress:
            options.progress(done, len(jobs))
        yield item


def _is_pdf(job: Job) -> bool:
    return job.kind is not None and job.kind.format == "pdf"


def _make(kit: Kit, theme: Theme, jobs: list[Job]) -> Iterator[tuple[Job, bytes, record.Record]]:
    """Copies and the documents made in this process (pages, QR codes, fonts, e-mails), one at a time."""
    from kitgen.render import html
    for job in jobs:
        with record.recording() as made_from:
            if job.kind is None:
                data = job.published()
            elif job.kind.make:
                data = job.kind.make(record.kit(kit), record.partner(job.partner), theme, job.variant)
            else:
                data = html.render_partner(kit, theme, job.kind, job.partner, variant=job.variant).encode()
        yield job, data, made_from


def _pdfs(kit: Kit, theme: Theme, jobs: list[Job], folder: Path, workers: int | None,
          meanwhile: Iterator[tuple[Job, bytes, record.Record]]) -> Iterator[tuple[Job, bytes, record.Record]]:
    """The PDFs, and `meanwhile`'s files, made in this process once the PDF workers have started on theirs."""
    from kitgen.render import html, pool
    with record.recording() as stylesheet:  # the print stylesheet is part of every PDF
        css = html.render_print_css(kit, theme)
    for job, data, made_from in pool.render_pdfs(kit, jobs, folder, css, workers or os.cpu_count() or 1, meanwhile):
        yield job, data, {**stylesheet, **made_from} if _is_pdf(job) else made_from
