"""The one encoder for content lines, as vCard (RFC 6350) and iCalendar (RFC 5545) share them: escaped text,
quoted parameters (RFC 6868), CRLF, folded at 75 octets.

Every value goes through `text`, `param` or `uri` on its way into a line, and `line` refuses a result that could
start another line, so no field, however it is written, can add a property. Content is validated when it is
loaded (no control characters, strict URLs), so a refusal here is a bug, never a broken file.

Both RFCs fold the same way: a line longer than 75 octets continues on the next line after one space, and a fold
never splits a UTF-8 character (an "é" is two octets that must stay together).
"""

from __future__ import annotations

import re

LIMIT = 75  # octets per physical line, the CRLF aside
_BREAKS = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # CTLs; HTAB is allowed in values by both RFCs


def _refuse_controls(value: str, what: str) -> None:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"{what} {value!r} holds the control character U+{ord(found.group()):04X}")


def text(value: str) -> str:
    """A TEXT value: backslash, comma, semicolon and line breaks (CRLF, CR or LF) escaped, as both RFCs require."""
    escaped = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    escaped = _BREAKS.sub(r"\\n", escaped)
    _refuse_controls(escaped, "text")
    return escaped


def param(value: str) -> str:
    """A parameter value, always quoted: RFC 6868 writes a caret as ^^, a line break as ^n, a double quote as ^'."""
    encoded = _BREAKS.sub("^n", value.replace("^", "^^")).replace('"', "^'")
    _refuse_controls(encoded, "parameter")
    return f'"{encoded}"'


def uri(value: str) -> str:
    """A URI value (tel:, https:, mailto:), which neither RFC escapes: it may hold no whitespace at all."""
    if any(c.isspace() for c in value):
        raise ValueError(f"URI {value!r} holds whitespace")
    _refuse_controls(value, "URI")
    return value


def line(name: str, value: str, params: list[tuple[str, str]] | None = None) -> str:
    """One logical content line `NAME;PARAM=value:value` from an already encoded value and parameter values."""
    head = name + "".join(f";{key}={val}" for key, val in params or [])
    logical = f"{head}:{value}"
    if "\r" in logical or "\n" in logical:
        raise ValueError(f"content line {logical!r} would break into two")
    return logical


def fold(line: str) -> bytes:
    """One logical line as folded physical lines, each at most 75 octets, ending in CRLF."""
    if "\r" in line or "\n" in line:
        raise ValueError(f"content line {line!r} would break into two")
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > LIMIT:
            out.append(current)
            current = b" "
        current += encoded
    out.append(current)
    return b"".join(part + b"\r\n" for part in out)


def document(lines: list[str]) -> bytes:
    return b"".join(fold(line) for line in lines)

