"""The build pipeline: load -> validate -> plan -> render what changed -> swap the output in one step.

Load and validate is validate.py, the step `kitgen check` runs too: both refuse and warn about the same content.

Every file kitgen writes is a Job with a fingerprint of everything it is made from (content files, the
templates it uses, the config, kitgen's version). A job whose fingerprint and file are unchanged is skipped,
so a rebuild does only the work an edit calls for, and a no-op build never imports WeasyPrint.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kitgen import __version__
from kitgen.build.output import STATE, Output, guard
from kitgen.content.load import CONFIG, PRACTICE
from kitgen.content.model import Kit, Partner
from kitgen.content.validate import validate
from kitgen.documents.kinds import BY_NAME, KINDS, SITE, make
from kitgen.problems import ContentError, Problem
from kitgen.render import html, i18n
from kitgen.render.themes import Theme


@dataclass
class Job:
    rel: str                    # path under the output folder
    kind: str                   # landing, qr, one_pager, cards, handout, asset, media, manifest
    fingerprint: str
    partner: str | None = None  # slug
    source: Path | None = None  # for copies


@dataclass
class Result:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: int = 0
    warnings: list[Problem] = field(default_factory=list)


class Fingerprints:
    """Content hashes of files and texts, each computed once per build."""

    def __init__(self):
        self._files: dict[Path, str] = {}

    def file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        return self._files[path]

    @staticmethod
    def of(*parts: str) -> str:
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def plan(kit: Kit, theme: Theme, selected: list[Partner]) -> list[Job]:
    """Every file the build produces for `selected` partners and the site, with fingerprints."""
    fp = Fingerprints()
    root = kit.root
    media = {m: root / "content" / m for m in media_files(kit)}
    static = theme.static_files()

    @functools.cache
    def templates(name: str) -> tuple[str, ...]:
        return tuple(f"{n}={fp.of(s)}" for n, s in sorted(theme.template_sources(name).items()))

    shared = {
        "base": [__version__, fp.file(root / CONFIG),  # with the catalogs of kitgen's wording (render/i18n.py)
                 *(f"{name}={fp.file(path)}" for name, path in i18n.catalog_files(theme.dirs).items())],
        "practice": [fp.file(root / PRACTICE)],
        "media": [f"{m}={fp.file(src)}" for m, src in media.items()],
        "print": [*templates(html.PRINT_CSS), *(f"{rel}={fp.file(src)}" for rel, src in static.items()
                                                  if rel.startswith("fonts/"))],
    }
    jobs = [Job(f"{SITE}/assets/{rel}", "asset", fp.file(src), source=src) for rel, src in static.items()]
    jobs += [Job(f"{SITE}/media/{m}", "media", fp.file(src), source=src) for m, src in media.items()]
    all_partners = [f"{p.slug}={fp.file(root / p.source)}" for p in kit.partners]
    for partner in [None, *selected]:
        talk = kit.talk_for(partner) if partner else None
        inputs = dict(shared, partners=all_partners, partner=[fp.file(root / partner.source)] if partner else [],
                      talk=[fp.file(root / talk.source)] if talk else [],
                      url=[kit.referral_url(partner)] if partner else [],
                      code=[kit.referral_code(partner)] if partner else [])
        for kind in KINDS:
            if kind.per_partner != (partner is not None):
                continue
            if "talk" in kind.inputs and talk is None and kind.format == "pdf":
                continue  # no talks in the project: no handout
            parts = [kind.name, *(templates(kind.template) if kind.template else [])]
            parts += [f"{use}:{value}" for use in kind.inputs for value in inputs[use]]
            if kind.inputs not in (("url",), ()):  # a QR code depends on its URL alone; _headers on nothing
                parts += shared["base"]
            fingerprint = fp.of(__version__, *parts)
            jobs.append(Job(path_of(kit, kind, partner), kind.name, fingerprint, partner.slug if partner else None))
    return jobs


def path_of(kit: Kit, kind, partner: Partner | None) -> str:
    """A partner's document: public ones in the partner's page folder, the therapist's own under the slug."""
    if partner is None:
        return kind.path()
    return kind.path(kit.page_path(partner).rstrip("/") if kind.area == SITE else partner.slug)


def media_files(kit: Kit) -> list[str]:
    """Content images the pages use (paths relative to content/)."""
    found = [kit.practice.logo] + [c.photo for c in kit.practice.clinicians]
    return sorted({m for m in found if m})


def manifest(kit: Kit, files: set[str]) -> bytes:
    """The private record of what was built (never inside site/, so never deployed), from the files on disk."""
    entries = []
    for p in kit.partners:
        mine = {k.name: path_of(kit, k, p) for k in KINDS if k.per_partner and path_of(kit, k, p) in files}
        if mine:
            entries.append({"slug": p.slug, "name": p.display_name, "specialty": p.specialty,
                            "path": kit.page_path(p), "page_url": kit.page_url(p),
                            "referral_url": kit.referral_url(p), "referral_code": kit.referral_code(p),
                            "files": mine})
    practice_files = {k.name: k.path() for k in KINDS if not k.per_partner and k.path() in files}
    data = {"generator": f"kitgen {__version__}", "base_url": kit.config.site_root, "paper": kit.config.paper,
            "card_stock": kit.config.card_stock, "site_dir": SITE, "files": practice_files, "partners": entries}
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build(project: Path, out: Path | None = None, *, partners: list[str] | None = None,
          shard: tuple[int, int] | None = None, strict: bool = False, force: bool = False, jobs: int | None = None,
          progress: Callable[[int, int], None] | None = None, formats: set[str] | None = None) -> Result:
    """Build the kit of `project` into `out` (default project/output). Raises ContentError on any problem.

    `partners` (slugs) or `shard` (k, n) build part of the kit; a partial build prunes nothing. Shards are
    chosen by a hash of the slug, so adding a partner never moves the others to another shard. `formats`
    ({"html", "code"}) builds only documents of those formats, also as a partial build: `kitgen serve` shows an
    edited page before the PDFs are rendered.
    """
    project = Path(project)
    out = Path(out) if out else project / "output"

    def wanted(p: Partner) -> bool:
        return (not partners or p.slug in partners) and in_shard(p.slug, shard)

    checked = validate(project, out, selected=wanted, strict=strict)
    _check_partner_options(checked.kit, partners)
    if checked.kit.config.private_urls and any(not p.url_token for p in checked.kit.partners):
        from kitgen.documents.privacy import ensure_tokens
        ensure_tokens(project, checked.kit.partners)  # only once the kit passed: a refused build writes nothing
        checked = validate(project, out, selected=wanted, strict=strict)
    kit, theme, warnings = checked.kit, checked.theme, checked.warnings
    selected = [p for p in kit.partners if wanted(p)]
    guard(out, project)
    todo = plan(kit, theme, selected)
    if formats:
        todo = [j for j in todo if j.kind not in BY_NAME or BY_NAME[j.kind].format in formats]
    output = Output(out)
    previous = output.state().get("files", {})
    changed = todo if force else [j for j in todo if not _current(j, previous.get(j.rel), output)]
    wanted = {j.rel for j in todo}
    partial = bool(partners or shard or formats)
    stale = [] if partial else sorted(rel for rel in previous if rel not in wanted)
    listed = {j.rel for j in plan(kit, theme, kit.partners)} if shard else \
        {rel for rel in previous if rel not in stale} | wanted
    manifest_bytes = manifest(kit, listed)
    result = Result(warnings=list(warnings), skipped=len(todo) - len(changed))
    if not changed and not stale and output.read("manifest.json") == manifest_bytes:
        return result
    files = {rel: previous[rel] for rel in previous if rel not in stale}
    with output.begin() as staging:
        for rel in stale:
            staging.remove(rel)
            result.removed.append(rel)
        for job, data in _render(kit, theme, changed, staging, jobs, progress):
            size, mtime = staging.write(job.rel, data)
            files[job.rel] = [job.fingerprint, size, mtime]
            result.written.append(job.rel)
        if output.read("manifest.json") != manifest_bytes:
            staging.write("manifest.json", manifest_bytes)
            result.written.append("manifest.json")
        staging.write(STATE, (json.dumps({"generator": f"kitgen {__version__}", "files": files}, indent=0,
                                         sort_keys=True) + "\n").encode())
    return result


def in_shard(slug: str, shard: tuple[int, int] | None) -> bool:
    """Whether `slug` belongs to shard k of n (1-based); every slug belongs to exactly one shard."""
    if not shard:
        return True
    k, n = shard
    return zlib.crc32(slug.encode()) % n == k - 1


def _check_partner_options(kit: Kit, wanted: list[str] | None) -> None:
    """Every `--partner` slug names a partner file (reserved slugs are refused when the kit loads)."""
    known = {p.slug for p in kit.partners}
    problems = [Problem("--partner", 0, slug, f"no partner file content/partners/{slug}.yaml")
                for slug in wanted or [] if slug not in known]
    if problems:
        raise ContentError(problems)


def _current(job: Job, recorded: list | None, output: Output) -> bool:
    """Unchanged fingerprint, and the file still as kitgen left it (same size and mtime)."""
    if not recorded or recorded[0] != job.fingerprint:
        return False
    return output.stat(job.rel) == (recorded[1], recorded[2])


def _render(kit: Kit, theme: Theme, jobs: list[Job], staging, workers: int | None, progress):
    """Yield (job, bytes) for every job: cheap ones here, PDFs last (they read the QR and assets just written)."""
    pdfs = [j for j in jobs if j.kind in BY_NAME and BY_NAME[j.kind].format == "pdf"]
    cheap = [j for j in jobs if not (j.kind in BY_NAME and BY_NAME[j.kind].format == "pdf")]
    by_slug = {p.slug: p for p in kit.partners}
    total, done = len(jobs), 0
    for job in cheap:
        if job.kind in ("asset", "media"):
            data = job.source.read_bytes()
        elif BY_NAME[job.kind].maker:
            data = make(BY_NAME[job.kind], kit, by_slug.get(job.partner), theme)
        else:
            data = html.render_partner(kit, theme, job.kind, by_slug[job.partner]).encode()
        done += 1
        if progress:
            progress(done, total)
        yield job, data
    if not pdfs:
        return
    # assets must be in place before PDFs are rendered: staged writes happen as we yield, so they are.
    from kitgen.render import pool
    for job, data in pool.render_pdfs(kit, pdfs, staging.dir, html.render_print_css(kit, theme),
                                      workers or os.cpu_count() or 1):
        done += 1
        if progress:
            progress(done, total)
        yield job, data
