"""The preview server over real sockets: every malformed request gets an HTTP status, a Host it does not serve is
refused (DNS rebinding), and it binds IPv6 when asked."""

from __future__ import annotations

import http.client
import socket
import threading

import pytest

from kitgen.pipeline.pipeline import build
from kitgen.serve.handler import make_server
from kitgen.serve.status import Status


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import PARTNER, make_project
    project = make_project(tmp_path_factory.mktemp("requests") / "kit")
    project.write("content/partners/jane-smith.yaml", PARTNER + "email: dana@lakeside.example\n")
    build(project.root, formats={"html", "code"})
    return project


def serving(project, host: str):
    server = make_server(host, 0, project.out, Status())
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server(built):
    server = serving(built, "127.0.0.1")
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str, host: str | None = "localhost", address: str = "127.0.0.1") -> tuple[int, bytes]:
    """A raw GET (the path sent exactly as given), answered with a status, never a dropped connection."""
    port = server.server_address[1]
    with socket.create_connection((address, port), timeout=10) as conn:
        lines = [f"GET {path} HTTP/1.1"] + ([f"Host: {host}:{port}"] if host is not None else []) + \
            ["Connection: close", "", ""]
        conn.sendall("\r\n".join(lines).encode("latin-1"))
        response = http.client.HTTPResponse(conn)
        response.begin()
        return response.status, response.read()


def test_a_good_request_is_answered(server):
    status, body = get(server, "/jane-smith/")
    assert status == 200 and b"Jane Smith" in body


@pytest.mark.parametrize("path, code", [
    ("/%00", 400), ("/jane-smith/%00index.html", 400), ("/__kitgen/desk/%00", 400), ("/%0a", 400),
    ("/" + "a" * 256, 404), ("/jane-smith/" + "b" * 300 + "/index.html", 404), ("/__kitgen/desk/" + "c" * 400, 404),
])
def test_a_malformed_path_gets_a_status_not_a_dropped_connection(server, path, code):
    """Defect 10: %00 in a path or a 256+ character segment printed a traceback and dropped the connection."""
    assert get(server, path)[0] == code
    assert get(server, "/jane-smith/")[0] == 200, "and the server carries on"


@pytest.mark.parametrize("host", ["attacker.example", "refer.example.org", "localhost.attacker.example"])
def test_a_host_the_preview_does_not_serve_is_refused(server, host):
    """Defect 10: any Host was answered, so a DNS rebinding page could read the drafts under /__kitgen/desk/."""
    for path in ("/__kitgen/desk/jane-smith/intro-email.eml", "/jane-smith/", "/__kitgen/status.json"):
        status, body = get(server, path, host=host)
        assert status == 421 and b"dana@lakeside.example" not in body


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "LOCALHOST", "[::1]", socket.gethostname()])
def test_the_names_of_this_machine_are_served(server, host):
    status, body = get(server, "/__kitgen/desk/jane-smith/intro-email.eml", host=host)
    assert status == 200 and b"dana@lakeside.example" in body


def test_ipv6_any_address_is_bound_when_asked(built):
    """Defect 10: `kitgen serve --host ::` failed (the server was IPv4 only)."""
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:  # pragma: no cover - a machine without IPv6
        pytest.skip(f"no IPv6 here: {exc}")
    server = serving(built, "::")
    try:
        assert server.socket.family == socket.AF_INET6
        assert get(server, "/jane-smith/", host="[::1]", address="::1")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_burst_of_connections_is_queued_not_stalled(built):
    """socketserver's listen backlog of 5 left a burst (a page, its fonts, images and PDFs, several tabs) waiting
    for SYN retries, up to 27 s; 500 are queued while the server is busy."""
    server = make_server("127.0.0.1", 0, built.out, Status())  # not serving yet: every connection waits in the queue
    conns = []
    try:
        for _ in range(300):
            conns.append(socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=2))
    finally:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        for conn in conns:
            conn.close()
    try:
        assert get(server, "/jane-smith/")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_bound_beyond_this_machine_the_preview_serves_the_site_but_not_the_desk(built):
    """`kitgen serve --host 0.0.0.0` served /__kitgen/desk/ (intro letters with the physician's e-mail, the
    referrals report) to anyone on the network; now only the site, and the index links no desk file."""
    server = serving(built, "0.0.0.0")  # requests still go to 127.0.0.1 only
    try:
        status, body = get(server, "/__kitgen/desk/jane-smith/intro-email.eml")
        assert status == 403 and b"dana@lakeside.example" not in body
        assert b"shown only on this machine" in body
        assert get(server, "/jane-smith/")[0] == 200
        status, body = get(server, "/")
        assert status == 200 and b"/__kitgen/desk/" not in body and b"shown only on this machine" in body
    finally:
        server.shutdown()
        server.server_close()
    status, body = get(server := serving(built, "127.0.0.1"), "/")
    try:
        assert b"/__kitgen/desk/jane-smith/" in body, "on this machine the index links the desk as before"
    finally:
        server.shutdown()
        server.server_close()
