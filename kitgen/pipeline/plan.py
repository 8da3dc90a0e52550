"""Every file a build produces, and whether each is current: its fingerprint is the content, today, of everything
its last render recorded it was made from (see kitgen/record.py). A file never made, or made by an older
kitgen, has no record and is rendered; a no-op build hashes the recorded inputs and renders nothing.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kitgen import __version__, record
from kitgen.content.model import Kit
from kitgen.content.partners import Partner
from kitgen.kinds import DESK, KINDS, SITE, Kind
from kitgen.pipeline.output import Entry
from kitgen.project import CONFIG, PARTNERS, PRACTICE, TALKS
from kitgen.record import Record
from kitgen.render.themes import Theme


@dataclass
class Job:
    """One file to produce: a copy of `source`, or a document of `kind` (for `partner`, in `variant`)."""

    rel: str                        # path under the output folder
    kind: Kind | None = None        # None for copies (theme assets, content images)
    partner: Partner | None = None
    variant: str = ""
    source: Path | None = None      # what a copy copies

    @property
    def name(self) -> str:
        """The kind's name, or "asset"/"media" for copies."""
        if self.kind:
            return self.kind.name
        return "asset" if self.rel.startswith(f"{SITE}/assets/") else "media"

    @property
    def embedded(self) -> bool:
        """Whether a PDF may load the file (theme assets, content images, the QR codes printed): made first."""
        return self.kind.embedded if self.kind else True

    @property
    def recorded(self) -> bool:
        """Whether what the file was made from is recorded: documents, and content images (published scaled
        down, so their bytes are not the source's); a theme asset is a plain copy, its fingerprint its bytes."""
        return self.kind is not None or self.name == "media"

    def published(self) -> bytes:
        """A copy's bytes as published: a theme asset as it is, a content image as images.publishable makes it,
        made from the source file as read (recorded: a content image is a project file)."""
        assert self.source is not None
        data = self.source.read_bytes()
        if self.name == "asset":
            return data
        from kitgen.content import images
        record.note(record.file(f"content/{self.rel.partition('/media/')[2]}"), sha(data))
        return images.publishable(data, self.source.name)


def sha(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


class Plan:
    """The jobs of one build and the fingerprints that decide which of them to render."""

    def __init__(self, kit: Kit, theme: Theme, selected: Iterable[Partner], previous: dict[str, Entry]):
        self.kit, self.theme, self.previous = kit, theme, previous
        self.jobs = jobs(kit, theme, selected)
        self._by_rel = {j.rel: j for j in self.jobs}
        self._files: dict[Path, str] = {}
        self._keys: dict[str, str] = {}
        self._fingerprints: dict[str, str | None] = {}
        self._partners = {p.slug: p for p in kit.partners}
        for path in content_files(kit):  # as loaded, near enough: an edit during the build is a change next time
            self.digest(record.file(path))

    def job(self, rel: str) -> Job | None:
        """The job that makes `rel`, if this build makes it."""
        return self._by_rel.get(rel)

    def fingerprint(self, job: Job) -> str | None:
        """The fingerprint `job`'s file would have if it were made now; None when that cannot be known before
        rendering (never made, or no record)."""
        if job.rel not in self._fingerprints:
            if not job.recorded:
                assert job.source is not None
                self._fingerprints[job.rel] = self._file(job.source)
            else:
                entry = self.previous.get(job.rel)
                self._fingerprints[job.rel] = self.of(entry.made_from) if entry else None
        return self._fingerprints[job.rel]

    def current(self, job: Job, root: Path) -> bool:
        """Whether `job`'s file in the output folder `root` is current: made from what it would be made from now,
        and still as kitgen left it (same size and mtime)."""
        entry = self.previous.get(job.rel)
        return entry is not None and self.fingerprint(job) == entry.fingerprint and entry.left_as_is(root, job.rel)

    def settle(self, job: Job, made_from: Record) -> tuple[str, list[str]]:
        """The fingerprint of a file just made from `made_from` (key -> digest as read, or None for the plan's);
        later documents that embed it see this one."""
        keys = sorted(made_from)
        fingerprint = self.of(keys, made_from)
        self._fingerprints[job.rel] = fingerprint
        return fingerprint, keys

    def settle_copy(self, job: Job, data: bytes) -> str:
        """A copied file's fingerprint is the digest of the bytes copied, not of the file as it is by now."""
        fingerprint = self._fingerprints[job.rel] = sha(data)
        return fingerprint

    def of(self, keys: Iterable[str], read: Record | None = None) -> str:
        digests = [f"{k}={(read or {}).get(k) or self.digest(k)}" for k in sorted(keys)]
        return sha("\n".join([__version__, *digests]))

    def digest(self, key: str) -> str:
        """What `key` (see kitgen/record.py) holds now."""
        if key not in self._keys:
            self._keys[key] = self._digest(key)
        return self._keys[key]

    def _digest(self, key: str) -> str:
        what, name = parsed = record.parse(key)
        if what == "template":
            source = self.theme.source(name)
            return "missing" if source is None else sha(source)
        if what == "file":
            path = self.kit.root / name
            if not path.resolve().is_relative_to(self.kit.root.resolve()):
                return "outside"  # a record names only project files; a tampered state file is read no further
            if name.endswith("/"):
                return sha("\n".join(sorted(f.name for f in path.iterdir()))) if path.is_dir() else "missing"
            return self._file(path) if path.is_file() else "missing"
        if what == "value":
            partner = self._partners.get(parsed.slug)
            return "missing" if partner is None else sha(repr(getattr(self.kit, parsed.method)(partner)))
        if what == "output":
            job = self._by_rel.get(name)
            return (self.fingerprint(job) or "unknown") if job else "missing"
        if what == "catalogs":  # kitgen's wording (render/i18n.py), the project theme's catalogs included
            from kitgen.render import i18n
            files = i18n.catalog_files(self.theme.dirs)  # named by precedence, which a new theme folder shifts:
            return sha("\n".join(f"{name.partition('/')[2]}={self._file(path)}"  # the order itself is what counts
                                 for name, path in sorted(files.items(), key=lambda item: int(item[0].split("/")[0]))))
        if what == "table":  # the table of kinds: what a landing page offers
            return sha(repr([(k.name, k.filename, k.link, k.mime, k.needs_talk) for k in KINDS.downloads]))
        if what == "env":
            return sha(os.environ.get(name, ""))
        if what == "today":  # the day letters are dated (record.build_day)
            from kitgen.project import today
            try:
                return sha(today().isoformat())
            except ValueError:
                return "unreadable"
        return "unknown"  # a key this kitgen does not know: never equal to a recorded digest by chance

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = sha(path.read_bytes())
        return self._files[path]


def jobs(kit: Kit, theme: Theme, selected: Iterable[Partner]) -> list[Job]:
    """Every file the build produces for `selected` partners and the site, in the order they render."""
    root = kit.root
    found = [Job(f"{SITE}/assets/{rel}", source=src) for rel, src in theme.static_files().items()]
    found += [Job(f"{SITE}/media/{m}", source=root / "content" / m) for m in media_files(kit)]
    found += [Job(f"{DESK}/media/{m}", source=root / "content" / m) for m in desk_media(kit)]
    for partner in [None, *selected]:
        talk = kit.talk_for(partner) if partner else None
        for kind in KINDS:
            if kind.per_partner != (partner is not None) or (kind.needs_talk and talk is None):
                continue
            for variant in kind.variants(kit, partner):
                found.append(Job(path_of(kit, kind, partner, variant), kind, partner, variant))
    return found


def content_files(kit: Kit) -> list[str]:
    """The project files a kit was loaded from (and the folders whose listing chose them)."""
    return [CONFIG, PRACTICE, f"{PARTNERS}/", f"{TALKS}/", *(p.source for p in kit.partners),
            *(t.source for t in kit.talks)]


def path_of(kit: Kit, kind: Kind, partner: Partner | None, variant: str = "") -> str:
    """A partner's document: public ones in the partner's page folder, the therapist's own under the slug."""
    if partner is None:
        return kind.path(variant=variant)
    folder = kit.page_path(partner).rstrip("/") if kind.area == SITE else partner.slug
    return kind.path(folder, variant)


def desk_media(kit: Kit) -> list[str]:
    """Content images only the therapist's own documents use: the signature, never deployed."""
    signer = kit.practice.signed_by
    return [signer.signature] if signer and signer.signature else []


def media_files(kit: Kit) -> list[str]:
    """Content images the pages use (paths relative to content/)."""
    found = [kit.practice.logo] + [c.photo for c in kit.practice.clinicians]
    return sorted({m for m in found if m})


def in_shard(slug: str, shard: tuple[int, int] | None) -> bool:
    """Whether `slug` belongs to shard k of n (1-based); every slug belongs to exactly one shard."""
    if not shard:
        return True
    k, n = shard
    return zlib.crc32(slug.encode()) % n == k - 1
