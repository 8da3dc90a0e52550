"""The preview's own pages: the index of every partner's documents, and the current errors. Served, never built,
so nothing here can reach a deployed site (the index reads the private manifest)."""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Any

from kitgen.kinds import KINDS

from .overlay import PREFIX

ON_THIS_MACHINE = "shown only on this machine (kitgen serve without --host)"
DESK_URL = PREFIX + "desk/"  # the therapist's own documents (output/desk/), shown in the preview, never deployed


def index_page(out: Path, state: dict[str, Any], desk: bool = True) -> bytes:
    """Every partner's page and documents, from the manifest of the last good build in `out`; without `desk`
    (served beyond this machine) the desk files are named as kept on this machine, not linked."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {"partners": []}

    labels = {k.name: k.label for k in KINDS if k.label}  # kinds without a label (the page itself) are not listed
    esc = html.escape
    site = manifest.get("site_dir", "site") + "/"
    rows = []
    for p in manifest.get("partners", []):
        files = p.get("files", {})
        links: dict[bool, list[str]] = {True: [], False: []}  # on the site, or on the desk
        for tag, them in [("", files), *sorted(files.get("languages", {}).items())]:
            for k, label in labels.items():
                for variant, rel in _variants(them.get(k)):
                    named = " ".join(v for v in (variant, tag) if v)
                    links[rel.startswith(site)].append(
                        f'<a href="{esc(_href(rel, site))}">{esc(label)}{esc(f" ({named})" if named else "")}</a>')
        rows.append(f'<tr><td><a href="/{esc(p["path"])}">{esc(p["name"])}</a></td><td>{esc(p["specialty"])}</td>'
                    f'<td>{" · ".join(links[True])}</td>'
                    f'<td>{" · ".join(links[False]) if desk else ON_THIS_MACHINE}</td>'
                    f'<td>{esc(p["page_url"])}</td></tr>')
    practice = [f'<a href="{esc(_href(rel, site))}">{esc(label)}{esc(f" ({variant})" if variant else "")}</a>'
                for k, label in labels.items() for variant, rel in _variants(manifest.get("files", {}).get(k))
                if desk or rel.startswith(site)]
    built = time.strftime("%H:%M:%S", time.localtime(state["built_at"])) if state["built_at"] else "not yet"
    body = [f"<h1>kitgen preview</h1><p class=\"meta\">{len(rows)} partners · last good build {built} · "
            "this page exists only in the preview; deploy output/site/</p>", _problems_html(state["errors"])]
    if practice:
        body.append(f"<p>Practice: {' · '.join(practice)}</p>")
    body.append("<table><thead><tr><th>partner</th><th>specialty</th><th>on the site</th>"
                "<th>yours (desk/, never deployed)</th><th>public address</th>"
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table>" if rows else
                "<p>Nothing built yet.</p>")
    return _document("kitgen preview", "".join(body))


def _variants(entry: str | dict[str, str] | None) -> list[tuple[str, str]]:
    """A manifest entry as (variant, path) pairs: one file, or one per variant for kinds that fan out."""
    if entry is None:
        return []
    return [("", entry)] if isinstance(entry, str) else sorted(entry.items())


def errors_page(state: dict[str, Any]) -> bytes:
    """The current problems as a page of their own (the banner shows the same over any page)."""
    body = _problems_html(state["errors"]) or "<p>No errors: the preview shows the current content.</p>"
    return _document("kitgen preview: errors", f"<h1>kitgen preview</h1>{body}")


def _href(rel: str, site: str) -> str:
    """Where the preview serves an output file: site files at their public path, desk files under DESK_URL."""
    return "/" + rel.removeprefix(site) if rel.startswith(site) else DESK_URL + rel.split("/", 1)[-1]


def _problems_html(errors: list[str]) -> str:
    if not errors:
        return ""
    n = len(errors)
    return (f'<div class="problems" role="alert"><p><strong>{n} error{"s" if n != 1 else ""}</strong>: showing the '
            f'last good build until the next good save.</p><pre>{html.escape(chr(10).join(errors), quote=False)}'
            '</pre></div>')


def _document(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>'
            f'{html.escape(title)}</title></head><body><main class="kitgen-index">{body}</main></body></html>'
            ).encode()
