"""Web addresses and host names as kitgen accepts them: strict, because each one is printed in a QR code, written
into a vCard and an e-mail draft, and linked from every page.

A URL may not contain whitespace or control characters (a CR/LF would add a line to the vCard or the e-mail),
a user name or password (they would be printed on paper), an invalid port, or a malformed host name.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
import urllib.parse

_UNSAFE = set(' <>"{}|\\^`')
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def host_problem(host: str) -> str | None:
    """Why `host` is not a usable host name (None when it is): dot-separated labels of letters, digits and
    hyphens (an international name is checked in its IDNA form), or an IP address."""
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return f"the host {host} is not an IPv6 address"
        return None
    try:
        ipaddress.IPv4Address(host)
        return None
    except ValueError:
        pass
    labels = host.split(".")
    if "" in labels:
        return f"the host name {host!r} has an empty part (two dots in a row, or a dot at an end)"
    for label in labels:
        try:
            ascii_label = label.encode("idna").decode("ascii") if not label.isascii() else label.lower()
        except UnicodeError:
            return f"the host name {host!r} has an unusable part {label!r}"
        if not _LABEL.match(ascii_label):
            return (f"the host name {host!r} has an unusable part {label!r} (letters, digits and hyphens, "
                    "not starting or ending with a hyphen)")
    return None


def problem(value: str, *, https: bool = False) -> str | None:
    """Why `value` is not a web address kitgen can print and link (None when it is); `https` requires https://."""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:  # an unclosed "[" of an IPv6 address
        return f"{value!r} is not a web address"
    if https and parts.scheme.lower() != "https":
        return f"{value!r} must be an https:// address (patients' details go through it)"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{value!r} must be a full web address starting with https://"
    if any(c.isspace() or not c.isprintable() for c in value):
        return f"{value!r} contains a space, a line break or an invisible character; remove it"
    if _UNSAFE & set(value):
        bad = "".join(sorted(_UNSAFE & set(value)))
        return f"{value!r} contains characters a web address cannot hold ({bad}); percent-encode them or remove them"
    if _PERCENT.search(value):
        return f"{value!r} has a '%' that is not followed by two hex digits"
    if not parts.netloc:
        return f"{value!r} has no host name"
    if "@" in parts.netloc:
        return f"{value!r} contains a user name or password before '@'; leave them out (the address is printed)"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or (parts.netloc.rsplit("]", 1)[-1].endswith(":")):
        return f"{value!r} has an invalid port; a port is a number from 1 to 65535, or leave it out"
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") and ":" in parts.netloc else parts.netloc
    if not host:
        return f"{value!r} has no host name"
    found = host_problem(host)
    return f"{value!r}: {found}" if found else None


_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"}  # written together in Japanese and Korean names: one script
_LOOKALIKE = {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"}  # have letters drawn like Latin ones


def _scripts(label: str) -> set[str]:
    found = set()
    for char in label:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            found.add("CJK" if script in _ASIAN else "LATIN" if script == "FULLWIDTH" else script)
    return found


def lookalike_host(url: str) -> str | None:
    """How the host of `url` mixes writing systems (a homograph: Cyrillic 'а' in 'pаypal.com' looks Latin), or
    None. Labels written as xn--… are read as the letters they stand for. Latin beside Chinese, Japanese or Korean
    is ordinary and passes; Cyrillic, Greek and the like beside Latin, in one label or across labels, do not."""
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return None
    labels = []
    for label in host.split("."):
        try:
            labels.append(label.encode("ascii").decode("idna") if label.startswith("xn--") else label)
        except UnicodeError:
            labels.append(label)
    shown = ".".join(labels)
    for label in labels:
        scripts = _scripts(label)
        if len(scripts - {"LATIN"} if "CJK" in scripts else scripts) > 1:
            return f"the host {shown!r} mixes {' and '.join(sorted(s.title() for s in scripts))} letters in one part"
    everywhere = set().union(*(_scripts(label) for label in labels)) if labels else set()
    if "LATIN" in everywhere and everywhere & _LOOKALIKE:
        others = " and ".join(sorted(s.title() for s in everywhere & _LOOKALIKE))
        return f"the host {shown!r} mixes Latin and {others} letters"
    return None
