"""manifest.json: the private record of what was built (beside site/, never inside it, so never deployed)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kitgen import __version__
from kitgen.content.model import Kit
from kitgen.kinds import SITE, split
from kitgen.pipeline.plan import Job


def manifest(kit: Kit, jobs: Iterable[Job], files: set[str]) -> bytes:
    """Every partner's files and codes, and the practice's, for the documents in `jobs` that are on disk
    (`files`). A kind that fans out lists its files by variant (its default variant, "", is one plain path).
    The plain keys are the kit's `language`; with `patient_languages`, each other language's patient pieces
    (cards, leaflet) are under `languages.<tag>`, in the same shape, so a reader of the plain keys never sees
    a change."""
    mine: dict[str | None, dict[str, Any]] = {}
    for job in jobs:
        if job.kind is None or job.rel not in files:
            continue
        files_of = mine.setdefault(job.partner.slug if job.partner else None, {})
        variant, tag = split(job.variant) if job.kind.patient else (job.variant, None)
        if tag:
            files_of = files_of.setdefault("languages", {}).setdefault(tag, {})
        if job.kind.fan_out and variant:
            files_of.setdefault(job.kind.name, {})[variant] = job.rel
        else:
            files_of[job.kind.name] = job.rel
    entries = [{"slug": p.slug, "name": p.display_name, "specialty": p.specialty, "path": kit.page_path(p),
                "page_url": kit.page_url(p), "referral_url": kit.referral_url(p),
                "referral_code": kit.referral_code(p), "qr_url": kit.qr_url(p),
                **({"patient_qr_url": kit.patient_qr_url(p)} if kit.patient_url(p) else {}), "files": mine[p.slug]}
               for p in kit.partners if p.slug in mine]
    data = {"generator": f"kitgen {__version__}", "base_url": kit.config.site_root, "paper": kit.config.paper,
            "card_stock": kit.config.card_stock, "site_dir": SITE, "files": mine.get(None, {}), "partners": entries}
    if kit.config.patient_languages is not None:
        data["language"] = kit.config.language  # what the plain keys are in; the others are under `languages`
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
