"""`kitgen serve`: build, serve output/site/ on this machine, rebuild on every save, reload the open tab.

The preview never changes what `kitgen build` writes: the reload script, the error banner and the index page
exist only in HTTP responses. A save that breaks the content keeps the last good build on screen (a failed build
leaves the output untouched) and shows the located problems over it; the next good save clears them.
"""

from __future__ import annotations

import hashlib
import html
import json
import queue
import re
import threading
import time
import traceback
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

PREFIX = "/__kitgen/"  # never a partner slug: slugs cannot start with "_"


class ServeError(Exception):
    """A reason the preview cannot start (the port is taken), said in one line."""


# --- shared state --------------------------------------------------------------------------------------------------

class Status:
    """The last good build and the current problems, shared by the builder and every open tab."""

    def __init__(self):
        self._changed = threading.Condition()
        self.version = 0           # bumped on every change, so a waiting tab knows it has news
        self.build_id = ""         # changes when the output changes (a hash of kitgen's record of it)
        self.errors: list[str] = []
        self.built_at: float | None = None
        self.closing = False

    def snapshot(self) -> dict:
        with self._changed:
            return {"build": self.build_id, "errors": list(self.errors), "built_at": self.built_at}

    def update(self, **values) -> None:
        with self._changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.version += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the version differs from `seen` (or `timeout` passes); the version now."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closing, timeout)
            return self.version


def build_id(out: Path) -> str:
    """An id for what a browser tab shows: kitgen's record (fingerprints) of every file it wrote, PDFs aside.

    A tab showing a PDF runs no script, so new PDFs need no reload; leaving them out spares every open page a
    second reload when the PDFs catch up with an edit.
    """
    try:
        files = json.loads((out / ".kitgen-state.json").read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError):
        return ""
    shown = sorted((rel, entry[0]) for rel, entry in files.items() if not rel.endswith(".pdf"))
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:16]


# --- building ------------------------------------------------------------------------------------------------------

class Superseded(Exception):
    """A newer save arrived while PDFs were rendering: drop them (the output stays as it was) and start over."""


class Builder:
    """Runs `kitgen.build.build` in two steps and turns each outcome into Status and a terminal line.

    Web pages first (HTML and the small code-made files, a fraction of a second), so the open tab reloads at
    once; then the PDFs, which a newer save interrupts rather than waits for.
    """

    def __init__(self, project: Path, status: Status, echo: Callable[..., None],
                 pending: Callable[[], bool] = lambda: False):
        self.project, self.out, self.status, self.echo, self.pending = (project, project / "output", status, echo,
                                                                         pending)

    def run(self, changed: list[str]) -> None:
        cause = f" after {', '.join(changed[:3])}{' …' if len(changed) > 3 else ''}" if changed else ""
        recovered = "fixed; " if self.status.errors else ""
        pages = self._step(cause, formats={"html", "code"})
        if pages is None:
            return
        for warning in pages.warnings:
            self.echo(str(warning), err=True)
        what = "rebuilt" if pages.written or pages.removed else "pages current"
        self.echo(f"kitgen: {recovered}{what}{cause}: {len(pages.written)} written, {pages.skipped} current in "
                  f"{pages.elapsed:.2f} s; PDFs next")
        if self.pending():
            return
        pdfs = self._step(cause, progress=self._interrupt_if_pending)
        if pdfs is not None:
            self.echo(f"kitgen: PDFs{cause}: {len(pdfs.written)} written, {pdfs.skipped} current, "
                      f"{len(pdfs.removed)} removed in {pdfs.elapsed:.2f} s")

    def _interrupt_if_pending(self, done: int, total: int) -> None:
        if self.pending():
            raise Superseded

    def _step(self, cause: str, **options):
        """One build; its Result (with .elapsed), or None when it failed (reported) or was superseded."""
        from .build import build
        from .problems import ContentError

        start = time.perf_counter()
        try:
            result = build(self.project, self.out, **options)
        except Superseded:
            return None
        except ContentError as exc:
            problems = [str(p) for p in exc.problems]
        except Exception as exc:  # a theme edit can break a template: report it like a content problem
            problems = [describe_crash(exc, self.project)]
        else:
            result.elapsed = time.perf_counter() - start
            self.status.update(errors=[], build_id=build_id(self.out), built_at=time.time())
            return result
        for line in problems:
            self.echo(line, err=True)
        n = len(problems)
        self.echo(f"kitgen: {n} error{'s' if n != 1 else ''}{cause}; still serving the last good build "
                  "(fix and save to recover)", err=True)
        self.status.update(errors=problems)
        return None


def describe_crash(exc: Exception, project: Path) -> str:
    """`path:line: template: message` for a broken template (the deepest template frame), else the bare error."""
    where, line = "build", 0
    frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
    if getattr(exc, "filename", None) and getattr(exc, "lineno", None):  # jinja2.TemplateSyntaxError
        frames.append((exc.filename, exc.lineno))
    for filename, lineno in frames:
        if filename and Path(filename).suffix in (".html", ".css") and "templates" in Path(filename).parts:
            where, line = _relative(Path(filename), project), lineno or 0
    message = getattr(exc, "message", None) or str(exc)
    prefix = f"{where}:{line}" if line else where
    return f"{prefix}: template: {type(exc).__name__}: {message}"


def _relative(path: Path, project: Path) -> str:
    try:
        return path.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- watching ------------------------------------------------------------------------------------------------------

WATCHED = ("kitgen.yaml", "content", "themes")


class Watcher:
    """Puts batches of changed project paths (relative, sorted) on a queue, from two threads.

    The project folder is watched without recursion (kitgen.yaml, and content/ or themes/ appearing), and
    content/ and themes/ recursively: watching the whole project would also watch output/ and any .venv.
    """

    def __init__(self, project: Path, changes: queue.Queue):
        self.project, self.changes = project, changes
        self.stopping = threading.Event()
        self.rescan = threading.Event()

    def start(self) -> None:
        for target in (self._top, self._trees):
            threading.Thread(target=target, daemon=True, name=f"kitgen-{target.__name__}").start()

    def stop(self) -> None:
        self.stopping.set()

    def _relevant(self, change, path: str) -> bool:
        name = Path(path).name
        return not name.startswith(".") and not name.endswith("~")

    def _put(self, batch) -> None:
        import watchfiles
        rels = sorted({_relative(Path(p), self.project) for change, p in batch if self._relevant(change, p)
                       and not (change == watchfiles.Change.added and not Path(p).exists())})  # an editor's temp
        if rels:
            self.changes.put(rels)

    def _top(self) -> None:
        import watchfiles

        def wanted(change, path: str) -> bool:
            return Path(path).name in WATCHED

        while not self.stopping.is_set():
            try:
                for batch in watchfiles.watch(self.project, watch_filter=wanted, recursive=False,
                                              stop_event=self.stopping, step=30, raise_interrupt=False):
                    if any(Path(p).name != "kitgen.yaml" for _, p in batch):
                        self.rescan.set()  # content/ or themes/ appeared or went: watch the new set
                    self._put(batch)
            except (OSError, RuntimeError):
                self.stopping.wait(0.5)

    def _trees(self) -> None:
        import watchfiles

        stop = _Either(self.stopping, self.rescan)
        while not self.stopping.is_set():
            self.rescan.clear()
            roots = [self.project / name for name in WATCHED[1:] if (self.project / name).is_dir()]
            if not roots:
                self.rescan.wait(0.5)
                continue
            try:
                for batch in watchfiles.watch(*roots, stop_event=stop, step=30, raise_interrupt=False):
                    self._put(batch)
            except (OSError, RuntimeError):
                self.stopping.wait(0.5)


class _Either:
    """An event that is set when either of two events is (what watchfiles' stop_event needs: is_set())."""

    def __init__(self, a: threading.Event, b: threading.Event):
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()


# --- serving -------------------------------------------------------------------------------------------------------

RELOAD_JS = """\
// kitgen serve: reload this tab when a new build is ready; show content errors over the last good page.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-build") : "";
  var listed = me ? me.getAttribute("data-errors") : "";
  var own = document.querySelector("main.kitgen-index");  // the preview's own pages list errors themselves
  var source = new EventSource("/__kitgen/events");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (own && state.errors.join("\\n") !== listed) { source.close(); location.reload(); return; }
    if (state.errors.length) { if (!own) { show(state.errors); } return; }
    hide();
    if (state.build && state.build !== shown) { source.close(); location.reload(); }
  };
  function hide() {
    var old = document.getElementById("kitgen-errors");
    if (old) { old.remove(); }
  }
  function show(errors) {
    hide();
    var box = document.createElement("div");
    box.id = "kitgen-errors";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.textContent = "kitgen: the last save has " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      ". This is the last good build; fix and save to update.";
    var list = document.createElement("pre");
    list.textContent = errors.join("\\n");
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }
})();
"""

PREVIEW_CSS = """\
/* kitgen serve only: the error banner and the index page. Never part of a build. */
#kitgen-errors { position: fixed; inset: auto 0 0 0; z-index: 2147483647; max-height: 50vh; overflow: auto;
  margin: 0; padding: 12px 16px; background: #7a1010; color: #fff; font: 14px/1.4 system-ui, sans-serif;
  box-shadow: 0 -4px 16px rgba(0, 0, 0, .3); }
#kitgen-errors p { margin: 0 0 8px; font-weight: 600; }
#kitgen-errors pre, .kitgen-index pre { margin: 0; white-space: pre-wrap; font: 13px/1.4 ui-monospace, monospace; }
.kitgen-index { font: 16px/1.5 system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem;
  color: #1a1a1a; }
.kitgen-index table { border-collapse: collapse; width: 100%; }
.kitgen-index th, .kitgen-index td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #ddd; }
.kitgen-index .problems { background: #fbeaea; border: 2px solid #7a1010; padding: 12px; margin: 1rem 0; }
.kitgen-index .meta { color: #555; }
"""

HIDDEN = {"landing", "qr_print"}  # the page is the name's link; the PNG QR code is the PDFs' copy of qr.svg
FILE_LABELS = {"one_pager": "one-pager", "cards": "cards", "handout": "lunch-and-learn", "fax_form": "fax form",
               "qr": "QR code", "intro_letter": "intro letter", "intro_email": "intro e-mail",
               "thank_you": "thank-you cards"}
DESK_URL = PREFIX + "desk/"  # the therapist's own documents (output/desk/), shown in the preview, never deployed


def _href(rel: str, site: str) -> str:
    """Where the preview serves an output file: site files at their public path, desk files under DESK_URL."""
    return "/" + rel.removeprefix(site) if rel.startswith(site) else DESK_URL + rel.split("/", 1)[-1]


def inject(page: bytes, build: str, errors: list[str] = ()) -> bytes:
    """`page` with the preview's stylesheet and reload script before </head> (same-origin files: the pages'
    Content-Security-Policy allows scripts from 'self' only, never inline ones)."""
    tags = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
            f'<script src="{PREFIX}reload.js" data-build="{html.escape(build)}" '
            f'data-errors="{html.escape(chr(10).join(errors))}" defer></script>').encode()
    match = re.search(rb"</head\s*>", page, re.IGNORECASE)
    at = match.start() if match else len(page)
    return page[:at] + tags + page[at:]


def index_page(out: Path, state: dict) -> bytes:
    """The preview's home: every partner's page and documents, from the private manifest. Served, never built."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {"partners": []}
    esc = html.escape
    site = manifest.get("site_dir", "site") + "/"
    rows = []
    for p in manifest.get("partners", []):
        files = p.get("files", {})
        kinds = [k for k in FILE_LABELS if k in files] + [k for k in files if k not in FILE_LABELS.keys() | HIDDEN]
        links = {True: [], False: []}
        for k in kinds:
            links[files[k].startswith(site)].append(
                f'<a href="{esc(_href(files[k], site))}">{esc(FILE_LABELS.get(k, k))}</a>')
        rows.append(f'<tr><td><a href="/{esc(p["path"])}">{esc(p["name"])}</a></td><td>{esc(p["specialty"])}</td>'
                    f'<td>{" · ".join(links[True])}</td><td>{" · ".join(links[False])}</td>'
                    f'<td>{esc(p["page_url"])}</td></tr>')
    shared = {"vcard": "contact card", "followups": "follow-up calendar"}
    practice = [f'<a href="{esc(_href(rel, site))}">{esc(shared.get(k, k))}</a>'
                for k, rel in manifest.get("files", {}).items() if k != "headers"]
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


def errors_page(state: dict) -> bytes:
    """The current problems as a page of their own (the banner shows the same over any page)."""
    body = _problems_html(state["errors"]) or "<p>No errors: the preview shows the current content.</p>"
    return _document("kitgen preview: errors", f"<h1>kitgen preview</h1>{body}")


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


class Handler(SimpleHTTPRequestHandler):
    """Files of output/site/, HTML with the reload script added, and the preview's own /__kitgen/ endpoints."""

    status: Status
    out: Path

    def log_message(self, format, *args) -> None:  # the terminal reports builds, not requests
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload always fetches the new build
        super().end_headers()

    def do_GET(self) -> None:
        self._route(head=False)

    def do_HEAD(self) -> None:
        self._route(head=True)

    def _route(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        state = self.status.snapshot()
        if path == "/":
            page = inject(index_page(self.out, state), state["build"], state["errors"])
            return self._send(page, "text/html; charset=utf-8", head)
        if path.startswith(PREFIX):
            return self._own(path.removeprefix(PREFIX), state, head)
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html":
            data = _read(file)
            if data is not None:
                return self._send(inject(data, state["build"]), "text/html; charset=utf-8", head)
        return super().do_HEAD() if head else super().do_GET()

    def _own(self, name: str, state: dict, head: bool) -> None:
        if name == "events":
            return self._events()
        if name.startswith("desk/"):
            return self._desk(name.removeprefix("desk/"), head)
        if name == "status.json":
            return self._send(json.dumps(state).encode(), "application/json", head)
        if name == "errors":
            page = inject(errors_page(state), state["build"], state["errors"])
            return self._send(page, "text/html; charset=utf-8", head)
        own = {"reload.js": (RELOAD_JS, "text/javascript; charset=utf-8"),
               "preview.css": (PREVIEW_CSS, "text/css; charset=utf-8")}
        if name in own:
            text, kind = own[name]
            return self._send(text.encode(), kind, head)
        self.send_error(HTTPStatus.NOT_FOUND)

    def _desk(self, rel: str, head: bool) -> None:
        """A file of output/desk/ (intro letters, thank-you cards), so the preview shows the whole kit."""
        import mimetypes
        desk = (self.out / "desk").resolve()
        file = (desk / rel).resolve()
        data = _read(file) if file.is_relative_to(desk) and file.is_file() else None
        if data is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        kind = {".eml": "text/plain; charset=utf-8", ".ics": "text/calendar; charset=utf-8"}.get(
            file.suffix, mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        self._send(data, kind, head)

    def _send(self, data: bytes, kind: str, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: the state now, then again whenever it changes; a comment every 15 s keeps it open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not self.status.closing:
                version = self.status.wait(seen, 15)
                if version != seen:
                    seen = version
                    self.wfile.write(f"data: {json.dumps(self.status.snapshot())}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _read(file: Path) -> bytes | None:
    """The file's bytes; a read that lands in the instant a build swaps output/ in is tried again."""
    for attempt in range(3):
        try:
            return file.read_bytes()
        except FileNotFoundError:
            time.sleep(0.05 * (attempt + 1))
        except OSError:
            return None
    return None


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        import sys
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed tab is not news
            super().handle_error(request, client_address)


def make_server(host: str, port: int, out: Path, status: Status) -> Server:
    handler = type("BoundHandler", (Handler,), {"status": status, "out": out})

    def bound(*args, **kwargs):
        return handler(*args, directory=str(out / "site"), **kwargs)

    try:
        return Server((host, port), bound)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                         f"try another --port") from None


# --- the command ---------------------------------------------------------------------------------------------------

def serve(project: Path, host: str = "127.0.0.1", port: int = 8000, echo: Callable[..., None] = print) -> None:
    """Serve until interrupted (KeyboardInterrupt propagates, after everything is shut down)."""
    project = Path(project)
    if not (project / "kitgen.yaml").is_file():
        raise ServeError(f"no kitgen.yaml in {project.resolve()} (is this a kit project? `kitgen init DIR` makes one, "
                         "or pass --project DIR)")
    status = Status()
    server = make_server(host, port, project / "output", status)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                     name="kitgen-http").start()
    shown_host = f"[{host}]" if ":" in host else host
    echo(f"kitgen: serving {project.resolve()} at http://{shown_host}:{server.server_address[1]}/ (Ctrl-C to stop)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo(f"kitgen: listening on {host}: other machines on your network can open these pages", err=True)
    changes: queue.Queue = queue.Queue()
    watcher = Watcher(project, changes)
    watcher.start()
    builder = Builder(project, status, echo, pending=lambda: not changes.empty())
    try:
        builder.run([])
        while True:
            try:
                batch = set(changes.get(timeout=0.5))
            except queue.Empty:
                continue
            while True:  # an editor's save is often several events; take them all in one build
                try:
                    batch.update(changes.get(timeout=0.05))
                except queue.Empty:
                    break
            builder.run(sorted(batch))
    finally:
        watcher.stop()
        status.update(closing=True)
        server.shutdown()
        server.server_close()
