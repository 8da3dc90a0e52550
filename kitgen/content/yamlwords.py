"""YAML syntax errors in plain words, with the fix: what a therapist editing a file can act on.

PyYAML says "mapping values are not allowed in this context" or "did not find expected key"; what happened is
nearly always one of a few everyday slips (a colon inside a text, a line indented differently from its
neighbours, a list or quote left open, a tab). Each is recognised from PyYAML's own problem and context and from
the line itself; anything else keeps PyYAML's words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_KEY_LINE = re.compile(r"^(\s*)(- )?([^\s:#][^:#]*?):\s+(.*?)\s*$")


@dataclass(frozen=True)
class Explained:
    line: int        # the line to point at (sometimes the one before PyYAML's)
    message: str


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _quoted(value: str) -> str:
    """`value` in double quotes, as YAML reads it back (JSON strings are YAML strings)."""
    return json.dumps(value, ensure_ascii=False)


def explain(problem: str, context: str | None, lines: list[str], line: int, column: int,
            context_line: int | None) -> Explained | None:
    """Plain words for PyYAML's `problem` at `line`/`column` (1-based, in `lines`), or None to keep its own."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    above = next((lines[i] for i in range(line - 2, -1, -1) if lines[i].strip() and
                  not lines[i].lstrip().startswith("#")), "")
    if problem == "mapping values are not allowed in this context":
        if above and _indent(text) > _indent(above) and _KEY_LINE.match(above):
            return Explained(line, "this line is indented more than the one above, so it reads as more of that "
                                   "line's text; line it up with the line above")
        found = _KEY_LINE.match(text)
        if found:
            indent, dash, key, value = found.groups()
            fixed = f"{indent}{dash or ''}{key}: {_quoted(value)}"
            return Explained(line, f"the text after '{key}:' contains ': ' (a colon and a space); put the text in "
                                   f"quotes: {fixed.strip()}")
        return Explained(line, "a ': ' (a colon and a space) inside a text; put the text in quotes")
    if problem == "did not find expected key":
        if text.lstrip().startswith("- "):
            return Explained(line, "this list item is indented differently from the items above it; line up its "
                                   "'-' with theirs")
        if re.match(r"""^\s*[^:#]+:\s*(['"]).*?\1\s*\S""", text):
            return Explained(line, "the text goes on after its closing quote; put all of it inside the quotes")
        return Explained(line, "this line is indented differently from the one above; line it up with the other "
                               "keys of its block")
    if problem == "could not find expected ':'" and context_line:
        culprit = lines[context_line - 1].strip() if context_line <= len(lines) else ""
        return Explained(context_line, f"'{culprit}' has no ': ' after its key; write it as key: value (a colon "
                                       "and a space), or continue the text of the line above in quotes")
    if problem in ("did not find expected ',' or ']'", "did not find expected ',' or '}'") or (
            problem == "did not find expected node content" and context == "while parsing a flow node"):
        start = context_line or line
        opening = lines[start - 1] if 0 < start <= len(lines) else ""
        bracket = "]" if "']'" in problem or ("'}'" not in problem and opening.rfind("[") > opening.rfind("{")) \
            else "}"
        what = "a list opened with '['" if bracket == "]" else "a set of fields opened with '{'"
        return Explained(start, f"{what} is never closed; add '{bracket}' at its end (and put any text with a comma "
                                "or a bracket in quotes)")
    if "tab character" in problem or (problem == "found character that cannot start any token"
                                      and text[column - 1:column] == "\t"):
        return Explained(line, "a tab character; YAML indents with spaces only: replace the tab with spaces")
    if problem == "found unexpected end of stream" and context == "while scanning a quoted scalar":
        return Explained(context_line or line, "a quote opened here is never closed; add the closing quote at the "
                                               "end of the text")
    if problem == "found character that cannot start any token":
        char = text[column - 1:column] or "?"
        found = _KEY_LINE.match(text)
        fix = f": {found.group(3)}: {_quoted(found.group(4))}" if found else ""
        return Explained(line, f"a text cannot start with '{char}' in YAML; put the text in quotes{fix}")
    if problem == "found undefined alias":
        return Explained(line, "a text starting with '*' reads as a YAML alias; put the text in quotes")
    if problem == "found unknown escape character":
        return Explained(line, "a backslash inside double quotes starts an escape (\\n, \\t); use single quotes, "
                               "or write \\\\ for a backslash")
    if problem == "did not find expected comment or line break" and context == "while scanning a block scalar":
        return Explained(line, "text after '|' or '>' on the same line; start the text on the next line, indented, "
                               "or put it in quotes")
    if problem == "but found another document":
        return Explained(line, "a second '---' line starts another document; remove it (a file holds one)")
    return None
