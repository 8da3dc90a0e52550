"""The build pipeline: load -> validate -> plan -> render what changed -> swap the output in one step.

Load and validate is check/validate.py, the step `kitgen check` runs too: both refuse and warn about the same
content. Planning is pipeline/plan.py: every file kitgen writes is a Job, current when what its last render
recorded it was made from is unchanged, so a rebuild does only the work an edit calls for, and a no-op build
never imports WeasyPrint. Before all that, pipeline/inputs.py notices a build with nothing to do (the same inputs as
the last complete build, its output untouched) without loading the kit: this module imports the rest only then.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kitgen import __version__, record
from kitgen.pipeline import inputs
from kitgen.pipeline.lock import exclusive
from kitgen.pipeline.output import STATE, Entry, Output, Staging, guard, read_state, recover
from kitgen.problems import ContentError, Problem
from kitgen.project import Project

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner
    from kitgen.kinds import Kind
    from kitgen.pipeline.plan import Job, Plan
    from kitgen.render.themes import Theme

Progress = Callable[[int, int], None]


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: int = 0
    warnings: list[Problem] = field(default_factory=list)


@exclusive  # one build at a time per output folder (pipeline/lock.py)
def build(project: Path, out: Path | None = None, *, partners: list[str] | None = None,
          shard: tuple[int, int] | None = None, strict: bool = False, force: bool = False, jobs: int | None = None,
          progress: Callable[[int, int], None] | None = None, formats: set[str] | None = None) -> Result:
    """Build the kit of `project` into `out` (default project/output). Raises ContentError on any problem.

    `partners` (slugs) or `shard` (k, n) build part of the kit; a partial build prunes nothing. Shards are
    chosen by a hash of the slug, so adding a partner never moves the others to another shard. `formats`
    ({"html", "code"}) builds only documents of those formats, also as a partial build: `kitgen serve` shows an
    edited page before the PDFs are rendered.
    """
    where = Project.at(project, out)
    project, out = where.root, where.out
    complete = not (partners or shard or formats)
    recover(out)  # a build killed mid-swap: the old output back first, or its state file is not read
    state = read_state(out.resolve())  # read only: the output is opened once the kit passed
    # what a complete build reads, taken before the kit is read: an edit while it is read is a change next time
    read = inputs.Read.now(project, strict) if complete else None
    if read and not force and (nothing := inputs.unchanged(state, read, out.resolve())):
        return Result(skipped=nothing[0], warnings=nothing[1])

    from kitgen.check.validate import validate
    from kitgen.pipeline.manifest import manifest
    from kitgen.pipeline.plan import Plan, in_shard, path_of
    from kitgen.pipeline.plan import jobs as all_jobs

    def wanted(p: Partner) -> bool:
        return (not partners or p.slug in partners) and in_shard(p.slug, shard)

    previous = state.get("files", {})
    entries = {rel: e for rel, raw in previous.items() if (e := Entry.parse(raw))}
    plans: list[Plan] = []

    def current(kit: Kit, theme: Theme) -> Callable[[Kind, Partner | None, str], bool]:
        """Which documents this build will not render: validation skips the checks that render those."""
        plans.append(plan := Plan(kit, theme, [p for p in kit.partners if wanted(p)], entries))

        def unchanged(kind: Kind, partner: Partner | None, variant: str) -> bool:
            rel = path_of(kit, kind, partner, variant)
            job = plan.job(rel)
            return not force and job is not None and _current(plan, job, entries.get(rel), out.resolve())
        return unchanged

    checked = validate(project, out, selected=wanted, strict=strict, current=current)
    _check_partner_options(checked.kit, partners)
    if checked.kit.config.private_urls and any(not p.url_token for p in checked.kit.partners):
        from kitgen.documents.privacy import ensure_tokens
        ensure_tokens(project, checked.kit.partners)  # only once the kit passed: a refused build writes nothing
        checked = validate(project, out, selected=wanted, strict=strict, current=current)
    kit, theme, warnings = checked.kit, checked.theme, checked.warnings
    guard(out, project)
    output = Output(out)
    plan = plans[-1]
    todo = [j for j in plan.jobs if not formats or j.kind is None or j.kind.format in formats]
    changed = todo if force else [j for j in todo if not _current(plan, j, entries.get(j.rel), output.root)]
    planned = {j.rel for j in todo}
    stale = sorted(rel for rel in previous if rel not in planned) if complete else []
    everything = all_jobs(kit, theme, kit.partners) if shard else plan.jobs
    listed = {j.rel for j in everything} if shard else {rel for rel in previous if rel not in stale} | planned
    manifest_bytes = manifest(kit, everything, listed)
    result = Result(warnings=list(warnings), skipped=len(todo) - len(changed))
    lasting = [w for w in warnings if w not in checked.moved]  # a code moved now has not moved next time
    if not changed and not stale and output.read("manifest.json") == manifest_bytes:
        if read and not inputs.holds(state.get("inputs"), read, manifest_bytes, lasting):
            output.keep_state(_state(previous, inputs.record(read, manifest_bytes, lasting)))  # no folder swapped
        return result
    files = {rel: previous[rel] for rel in previous if rel not in stale}
    with output.begin([j.rel for j in changed] + ["manifest.json", STATE], stale) as staging:
        for rel in stale:
            staging.remove(rel)
            result.removed.append(rel)
        for job, data, made_from in _render(kit, theme, changed, staging, jobs, progress):
            size, mtime = staging.write(job.rel, data)
            fingerprint, keys = plan.settle(job, made_from) if job.recorded else (plan.settle_copy(job, data), [])
            files[job.rel] = Entry(fingerprint, size, mtime, keys).dump()
            result.written.append(job.rel)
        if output.read("manifest.json") != manifest_bytes:
            staging.write("manifest.json", manifest_bytes)
            result.written.append("manifest.json")
        staging.write(STATE, _state(files, inputs.record(read, manifest_bytes, lasting) if read else None))
    return result


def _state(files: dict[str, Any], inputs: dict[str, Any] | None) -> bytes:
    """The state file: what each file was made from, and what a complete build read (pipeline/inputs.py)."""
    kept = {"generator": f"kitgen {__version__}", "files": files, **({"inputs": inputs} if inputs else {})}
    return (json.dumps(kept, indent=0, sort_keys=True) + "\n").encode()


def _check_partner_options(kit: Kit, wanted: list[str] | None) -> None:
    """Every `--partner` slug names a partner file (reserved slugs are refused when the kit loads)."""
    known = {p.slug for p in kit.partners}
    problems = [Problem("--partner", 0, slug, f"no partner file content/partners/{slug}.yaml")
                for slug in wanted or [] if slug not in known]
    if problems:
        raise ContentError(problems)


def _current(plan: Plan, job: Job, recorded: Entry | None, root: Path) -> bool:
    """What it was made from unchanged, and the file still as kitgen left it (same size and mtime)."""
    if recorded is None or plan.fingerprint(job) != recorded.fingerprint:
        return False
    return recorded.left_as_is(root, job.rel)


def _render(kit: Kit, theme: Theme, jobs: list[Job], staging: Staging, workers: int | None,
            progress: Progress | None) -> Iterator[tuple[Job, bytes, record.Record]]:
    """Yield (job, bytes, what it was made from) for every job: first the files PDFs embed (QR codes, assets,
    images), then the PDFs, the other files (pages, fonts, e-mails) being made here while the workers lay out."""
    pdfs = [j for j in jobs if _is_pdf(j)]
    first = _make(kit, theme, [j for j in jobs if not _is_pdf(j) and j.embedded])
    rest = _make(kit, theme, [j for j in jobs if not _is_pdf(j) and not j.embedded])
    made = chain(first, _pdfs(kit, theme, pdfs, staging.dir, workers, meanwhile=rest) if pdfs else rest)
    for done, item in enumerate(made, 1):
        if progress:
            progress(done, len(jobs))
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
