"""Which requests the preview answers at all: the Host it was asked for, and a path it can look up.

A page on any web site can make a browser send requests to 127.0.0.1 under its own domain name (DNS
rebinding: the name first resolves to the attacker, then to 127.0.0.1), and read the answers, drafts under
/__kitgen/desk/ included, unless the server checks the Host header. Only names that mean this machine are
answered: localhost, IP addresses (a rebinding page cannot use one: its own origin is a name), the address the
server was bound to, and this machine's own host name.
"""

from __future__ import annotations

import ipaddress
import socket
from http import HTTPStatus
from urllib.parse import unquote, urlsplit

MAX_SEGMENT = 255  # bytes in one file name on every common file system


def served_names(host: str) -> frozenset[str]:
    """The Host names (lowercase, without port) the preview bound to `host` answers to, IP addresses aside."""
    names = {"localhost", host.strip("[]").lower()}
    try:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    except OSError:
        pass
    names |= {f"{name}.local" for name in list(names) if name and "." not in name}  # mDNS: mymac.local
    return frozenset(n for n in names if n)


def host_name(header: str) -> str:
    """The name in a Host header, without its port: 'Example.org:8000' -> 'example.org', '[::1]:80' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def request_problem(target: str, host: str | None, allowed: frozenset[str]) -> tuple[HTTPStatus, str] | None:
    """Why a request for `target` with this Host header gets no file (status and reason), or None."""
    if host is not None:
        name = host_name(host).rstrip(".")
        if not (name in allowed or _is_address(name)):
            return HTTPStatus.MISDIRECTED_REQUEST, f"this preview does not serve {name or 'an empty host'}"
    path = unquote(urlsplit(target).path)
    if "\0" in path or any(ord(c) < 32 for c in path):
        return HTTPStatus.BAD_REQUEST, "control characters in the path"
    if any(len(part.encode("utf-8", "surrogateescape")) > MAX_SEGMENT for part in path.split("/")):
        return HTTPStatus.NOT_FOUND, "no file has a name that long"
    return None
