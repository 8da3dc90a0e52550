"""The preview's HTTP server: output/site/ as a host would serve it, plus the preview's own /__kitgen/ URLs.

Every HTML page gets the reload script on the way out (the files on disk stay as `kitgen build` wrote them);
/__kitgen/events is a Server-Sent Events stream of the Status, so an open tab learns of a new build at once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import socket
import sys
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .index import errors_page, index_page
from .overlay import PREFIX, inject, own_file
from .requests import request_problem, served_names
from .status import Status

HTML = "text/html; charset=utf-8"


class Handler(SimpleHTTPRequestHandler):
    """Files of output/site/, HTML with the reload script added, and the preview's own endpoints."""

    status: Status
    out: Path
    allowed_hosts: frozenset[str]
    desk: bool = True  # output/desk/ under /__kitgen/desk/: only to this machine, never with --host beyond it

    def log_message(self, format: str, *args: Any) -> None:  # the terminal reports builds, not requests
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload always fetches the new build
        super().end_headers()

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        """Every request gets a status: a Host this server does not serve is refused (a DNS rebinding page would
        read the drafts under /__kitgen/desk/), a malformed path is a 400 or 404, never a dropped connection."""
        problem = request_problem(self.path, self.headers.get("Host"), self.allowed_hosts)
        if problem:
            return self.send_error(*problem)
        try:
            self._route(head)
        except (OSError, ValueError) as exc:
            if isinstance(exc, ConnectionError):
                raise
            self.send_error(HTTPStatus.NOT_FOUND if isinstance(exc, OSError) else HTTPStatus.BAD_REQUEST)

    def _route(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        state = self.status.snapshot()
        if path == "/":
            page = index_page(self.out, state, desk=self.desk)
            return self._send(inject(page, state["build"], state["errors"]), HTML, head)
        if path.startswith(PREFIX):
            return self._own(path.removeprefix(PREFIX), state, head)
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html":
            data = _read(file)
            if data is not None:
                return self._send(inject(data, state["build"]), HTML, head)
        return super().do_HEAD() if head else super().do_GET()

    def _own(self, name: str, state: dict[str, Any], head: bool) -> None:
        if name == "events":
            return self._events()
        if name.startswith("desk/"):
            if not self.desk:  # letters with the physician's address, the referrals report: not for the network
                return self.send_error(HTTPStatus.FORBIDDEN, "desk/ is shown only on this machine (kitgen serve "
                                       "without --host)")
            return self._desk(name.removeprefix("desk/"), head)
        if name == "status.json":
            return self._send(json.dumps(state).encode(), "application/json", head)
        if name == "errors":
            return self._send(inject(errors_page(state), state["build"], state["errors"]), HTML, head)
        found = own_file(name)
        if found is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        self._send(*found, head)

    def _desk(self, rel: str, head: bool) -> None:
        """A file of output/desk/ (intro letters, thank-you cards), so the preview shows the whole kit."""
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
    """One thread per request (an events stream holds its thread); a tab closed mid-response is not news."""

    daemon_threads = True
    request_queue_size = 500  # the listen backlog: a burst of page, fonts and PDFs (socketserver's 5 stalled it)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Server6(Server):
    """The same server on IPv6 (`--host ::` or `--host ::1`); `::` takes IPv4 connections too where it can."""

    address_family = socket.AF_INET6

    def server_bind(self) -> None:
        with contextlib.suppress(AttributeError, OSError):
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def loopback(host: str) -> bool:
    """Whether only this machine can reach `host`: localhost or a 127.x / ::1 address (not 0.0.0.0, ::, a name)."""
    try:
        return host.lower() == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(host: str, port: int, out: Path, status: Status) -> Server:
    """A server for `out`/site/ bound to host:port (OSError when the port is taken)."""
    cls = Server6 if ":" in host else Server
    handler = type("BoundHandler", (Handler,), {"status": status, "out": out, "allowed_hosts": served_names(host),
                                                "desk": loopback(host)})

    def bound(*args: Any, **kwargs: Any) -> Handler:
        made: Handler = handler(*args, directory=str(out / "site"), **kwargs)
        return made

    return cls((host.strip("[]"), port), bound)
