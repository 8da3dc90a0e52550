"""Content lines as vCard (RFC 6350) and iCalendar (RFC 5545) share them: escaped text, CRLF, folded at 75 octets.

Both RFCs fold the same way: a line longer than 75 octets continues on the next line after one space, and a fold
never splits a UTF-8 character (an "é" is two octets that must stay together).
"""

from __future__ import annotations

LIMIT = 75  # octets per physical line, the CRLF aside


def escape(value: str) -> str:
    """A TEXT value: backslash, comma, semicolon and newline escaped (both RFCs require all four)."""
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\n").replace("\n", "\\n"))


def fold(line: str) -> bytes:
    """One logical line as folded physical lines, each at most 75 octets, ending in CRLF."""
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
