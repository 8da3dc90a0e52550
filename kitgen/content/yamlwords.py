"""YAML syntax errors in plain words, with the fix: what a therapist editing a file can act on.

PyYAML says "mapping values are not allowed in this context" or "did not find expected key"; what happened is
nearly always one of a few everyday slips (a colon or a comma inside a text, a line indented differently from
its neighbours, a list or quote left open, a tab). Each is recognised from PyYAML's own problem and context and
from the line itself, and located where the fix goes (an unclosed quote where it opens, not lines later where the
parser stumbles); anything else keeps PyYAML's words. The slips YAML accepts silently (a comma that splits a
text between { }, a '#' that cuts a text short) are caught while the values are built (yamlload), with the same
words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

_KEY_LINE = re.compile(r"^(\s*)(- )?([^\s:#][^:#]*?):\s+(.*?)\s*$")
_ITEM_LINE = re.compile(r"^\s*-(\s|$)")
_FIELD_LINE = re.compile(r"^\s*(- +)?[A-Za-z_][\w-]*:(\s|$)")  # a line a key starts
_APOSTROPHE = re.compile(r"^(\s*(?:- )?[^\s:#'\"][^:#'\"]*:\s+)'(.*?\w)'(\w.*?)\s*$")  # key: 'Children's group'


@dataclass(frozen=True)
class Explained:
    line: int        # the line to point at (sometimes the one before PyYAML's)
    message: str


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _quoted(value: str) -> str:
    """`value` in double quotes, as YAML reads it back (JSON strings are YAML strings)."""
    return json.dumps(value, ensure_ascii=False)


quoted = _quoted


def _key_column(text: str) -> int:
    """Where the keys of the block a line belongs to start: the keys of "  - name: A" are at column 4, not 2."""
    return len(re.match(r"^ *(?:- +)*", text).group())  # type: ignore[union-attr]  # matches every string


def runaway(lines: list[str], start: int, end: int, quote: str, items: bool = True) -> Explained | None:
    """A quoted text from line `start` to `end` (1-based, in `lines`) that swallowed the next key (or list item,
    with `items`): its quote was never closed, and the parser stumbles only later, where another quote happens to
    close it. Without `items` for a file that loaded: a quoted text may hold lines that start with '- '."""
    column = _key_column(lines[start - 1]) if 0 < start <= len(lines) else 0
    for number in range(start + 1, min(end, len(lines)) + 1):
        text = lines[number - 1]
        if text.strip() and _indent(text) <= column and (_FIELD_LINE.match(text) or
                                                         (items and _ITEM_LINE.match(text))):
            return Explained(start, f"the quote ({quote}) opened on this line is never closed, so the text runs on "
                                    f"into line {number}; add the closing {quote} where the text ends")
    return None


def runaway_quote(text: str, first_line: int, lines: list[str], until: int, loader: type) -> Explained | None:
    """The first quoted text up to line `until` that runs on into a key or a list item (`runaway`), found in
    PyYAML's tokens. Called only for a file that failed to load, so a good file is never read twice."""
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.line + first_line > until:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"') \
                    and token.end_mark.line > token.start_mark.line:
                found = runaway(lines, token.start_mark.line + first_line, token.end_mark.line + first_line,
                                token.style)
                if found:
                    return found
    except yaml.YAMLError:  # the scanner stops where the file stops making sense; what came before is enough
        pass
    return None


def comment_inside(line: str, opening: int) -> int | None:
    """The column (0-based) of a ' #' after `opening` in `line` that is not inside quotes: YAML's comment start."""
    quote = None
    for i in range(opening, len(line)):
        char = line[i]
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"" and (i == 0 or line[i - 1] in " [{,:"):
            quote = char
        elif char == "#" and i > 0 and line[i - 1] in " \t":
            return i
    return None


def explain(problem: str, context: str | None, lines: list[str], line: int, column: int,
            context_line: int | None) -> Explained | None:
    """Plain words for PyYAML's `problem` at `line`/`column` (1-based, in `lines`), or None to keep its own."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    char = text[column - 1:column]
    above = next((lines[i] for i in range(line - 2, -1, -1) if lines[i].strip() and
                  not lines[i].lstrip().startswith("#")), "")
    if problem == "mapping values are not allowed in this context":
        found = _KEY_LINE.match(text)
        own_colon = found is not None and column - 1 == len(found.group(1) + (found.group(2) or "") + found.group(3))
        if above and (own_colon or not found) and _indent(text) > _key_column(above) and _KEY_LINE.match(above):
            prose = found is not None and " " in found.group(3)  # "  of teens: weekly groups" goes on a text
            return Explained(line, "this line is indented more than the one above, so it reads as more of that "
                                   "line's text; " + ("if it is, put the whole text in quotes; if not, " if prose
                                                      else "") + "line it up with the line above")
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
        apostrophe = _APOSTROPHE.match(text)
        if apostrophe:
            start, inside, rest = apostrophe.groups()
            value = f"{inside}'{rest.removesuffix(chr(39))}"
            return Explained(line, "an apostrophe inside single quotes ends the text; put the text in double "
                                   f"quotes instead: {start.strip()} {_quoted(value)}")
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
        pair = "[ ]" if bracket == "]" else "{ }"
        comment = comment_inside(opening, max(opening.find("["), opening.find("{"), 0))
        if comment is not None and bracket in opening[comment:]:
            return Explained(start, f"' #' starts a comment in YAML, which hides the rest of this line and its "
                                    f"'{bracket}'; put the text with the '#' in quotes")
        if line == start and char == ":":
            return Explained(line, f"a ': ' (a colon and a space) inside text between {pair}; put the text in "
                                   "quotes")
        if line == start and re.search(r"""['"]\s+$""", text[:column - 1]):
            return Explained(line, "the text goes on after its closing quote; put all of it inside the quotes")
        what = "a list opened with '['" if bracket == "]" else "a set of fields opened with '{'"
        return Explained(start, f"{what} is never closed; add '{bracket}' at its end (and put any text with a comma "
                                "or a bracket in quotes)")
    if "tab character" in problem or (problem == "found character that cannot start any token" and char == "\t"):
        return Explained(line, "a tab character; YAML indents with spaces only: replace the tab with spaces")
    if problem == "found unexpected end of stream" and context == "while scanning a quoted scalar":
        return Explained(context_line or line, "a quote opened here is never closed; add the closing quote at the "
                                               "end of the text")
    if problem == "found character that cannot start any token":
        found = _KEY_LINE.match(text)
        fix = f": {found.group(3)}: {_quoted(found.group(4))}" if found else ""
        return Explained(line, f"a text cannot start with '{char or '?'}' in YAML; put the text in quotes{fix}")
    if problem in ("block sequence entries are not allowed in this context",
                   "mapping keys are not allowed in this context") and char in "-?":
        found = _KEY_LINE.match(text)
        if found and text[column - 1:].strip() == found.group(4):  # the value starts with it
            return Explained(line, f"a text cannot start with '{char} ' in YAML; put the text in quotes: "
                                   f"{found.group(3)}: {_quoted(found.group(4))}")
    if problem == "did not find expected '-' indicator" and re.match(r"\s*-\S", text):
        return Explained(line, "a list item needs a space after its '-'; write '- ' and then the item")
    if problem == "did not find expected '-' indicator" and text.lstrip().startswith("- "):
        return Explained(line, "this list item is indented differently from the items above it; line up its "
                               "'-' with theirs")
    if problem == "did not find expected alphabetic or numeric character" and context_line and context in (
            "while scanning an anchor", "while scanning an alias"):  # "&quot;Counseling", "& more", "* note"
        found = _KEY_LINE.match(lines[context_line - 1]) if context_line <= len(lines) else None
        fix = f": {found.group(3)}: {_quoted(found.group(4))}" if found else ""
        return Explained(context_line, f"a text cannot start with '{'&' if 'anchor' in context else '*'}' in YAML; "
                                       f"put the text in quotes{fix}")
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
