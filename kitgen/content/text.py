"""The one rule for text in a kit: no control characters, and line breaks only where a field may span lines.

Every generated format (a vCard, a calendar, an e-mail header, a YAML file kitgen writes) breaks differently on a
stray CR, LF or other control character, and none of them is visible in an editor. Refusing them where the text
is read, with its place, is simpler and safer than hoping each writer copes: the schema applies this rule to
every text field (model fields declared with `schema.lines()` may hold line breaks), and `kitgen new partner`
applies it to its arguments.
"""

from __future__ import annotations

import re
import unicodedata

PLACEHOLDER = "TODO"  # how `kitgen new partner` and `kitgen init` mark a value they could not know
_PLACEHOLDER = re.compile(rf"^{PLACEHOLDER}\b")

_NAMES = {"\t": "a tab", "\x85": "a line break (U+0085)", "\u2028": "a line break (U+2028)",
          "\u2029": "a paragraph break (U+2029)"}


def problem(value: str, *, lines: bool = False) -> str | None:
    """Why `value` cannot be used as a text field (None when it can). With `lines`, "\\n" is allowed."""
    for index, char in enumerate(value):
        if char == "\n" and lines:
            continue
        if unicodedata.category(char) in ("Cc", "Cs") or char in _NAMES:
            where = f" at character {index + 1}" if len(value) > 1 else ""
            if char in "\r\n" and not lines:
                return f"contains a line break{where} (this field is one line); use a space"
            if char == "\r":
                return f"contains a carriage return{where}; use a plain line break"
            what = _NAMES.get(char) or f"an invisible control character (U+{ord(char):04X})"
            fix = "use a space" if char in _NAMES else "delete it"
            return f"contains {what}{where}; {fix}"
    return None


def placeholder_problem(value: str) -> str | None:
    """A value still reading "TODO …" (left by `kitgen new partner` or `kitgen init`) is refused wherever it
    is: printed and published, it would read "TODO" to a physician's staff."""
    if _PLACEHOLDER.match(value.strip()):
        return "is still a placeholder (TODO); fill it in: it would be printed and published as is"
    return None


def slugify(name: str) -> str:
    """A file name's slug from a name: 'Dr. María López' -> 'dr-maria-lopez'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "partner"
