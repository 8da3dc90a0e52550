"""Read a YAML file into plain data plus the line of every value, refusing what PyYAML lets slip by.

PyYAML silently keeps the last of two duplicate keys and happily expands an alias bomb; neither is acceptable
in a file a person edits by hand, so we compose the node graph ourselves and build values while walking it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kitgen.content import yamlwords
from kitgen.problems import Problems

_Loader: type[yaml.SafeLoader | yaml.CSafeLoader]
try:  # the C composer is about 10x faster; fall back to pure Python where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

MAX_FILE_BYTES = 256 * 1024
MAX_NODES = 20_000  # a partner file has about 20; an alias bomb has millions
MAX_DEPTH = 50  # the deepest real value is 3 levels down; a deeper document is a mistake or an attack

Key = tuple[str | int, ...]  # a path into the data: ("services", 2, "name")


@dataclass
class Document:
    """Plain data (dicts, lists, scalars) and the 1-based line where each value starts."""

    path: str  # relative to the project, as shown in messages
    data: object
    lines: dict[Key, int] = field(default_factory=dict)
    broken: set[Key] = field(default_factory=set)  # keys whose value was already reported as unreadable

    def line(self, key: Key) -> int:
        """The line of the value at `key`, or of its nearest ancestor that exists."""
        while key not in self.lines and key:
            key = key[:-1]
        line: int = self.lines.get(key, 1)
        return line


class _Budget(Exception):
    pass


def read_text(file: Path, shown: str, problems: Problems) -> str | None:
    """The file's text, or None with a problem when it is too large, unreadable or not UTF-8."""
    if file.is_dir():
        problems.error(shown, 0, "file", "is a folder, not a file")
        return None
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(shown, 1, "file", f"is {size // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB")
            return None
        raw = file.read_bytes()
    except OSError as exc:
        problems.error(shown, 0, "file", f"cannot be read ({exc.strerror or exc})")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(shown, line, "file", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return None
    return text.removeprefix("\ufeff")


def parse(text: str, shown: str, problems: Problems, first_line: int = 1) -> Document | None:
    """Compose `text` and build its values; None (with problems) when it is not valid YAML."""
    where_is = _Lines(text, first_line)
    odd = ODD_BREAK.search(text)
    if odd:  # invisible in an editor, yet YAML breaks the line there: "Jane<U+2028>Smith" is two lines to it
        line = where_is.line_at(odd.start())
        problems.error(shown, line, "yaml", f"invisible line break U+{ord(odd.group()):04X} (column "
                       f"{odd.start() - where_is.line_start(odd.start()) + 1}); replace it with a space")
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column, at_end = where_is(mark) if mark else (first_line, 0, False)
        context_line = where_is(exc.context_mark)[0] if exc.context_mark else None
        padded = where_is.padded()
        plain = yamlwords.runaway_quote(text, first_line, padded, line, _Loader) \
            or yamlwords.explain(exc.problem or "", exc.context, padded, line, column, context_line)
        if plain is not None:  # the everyday slips, in plain words with the fix
            detail = f" (column {column})" if plain.line == line and mark and not at_end else ""
            problems.error(shown, plain.line, "yaml", f"{plain.message}{detail}")
            return None
        where = [f"column {column}" + (", at the end of the file" if at_end else "")] if mark else []
        if exc.problem and exc.context and exc.context_mark and where_is(exc.context_mark)[0] != line:
            where.append(f"{exc.context} that starts on line {where_is(exc.context_mark)[0]}")
        detail = f" ({'; '.join(where)})" if where else ""
        problems.error(shown, line, "yaml", f"{exc.problem or exc.context}{detail}")
        return None
    except yaml.reader.ReaderError as exc:  # a control character: name it and its line
        line = where_is.line_at(exc.position)
        problems.error(shown, line, "yaml", f"control character U+{exc.character:04X} is not allowed; delete it")
        return None
    except yaml.YAMLError as exc:
        problems.error(shown, first_line, "yaml", str(exc).splitlines()[0])
        return None
    doc = Document(shown, None)
    if node is None:
        return doc
    builder = _Builder(doc, problems, where_is)
    try:
        doc.data = builder.build(node, ())
    except _Budget as exc:
        problems.error(shown, first_line, "yaml", str(exc))
        return None
    return doc


_CUT = re.compile(r"[ \t]+#\S[^\r\n]*")  # "Group #1 for teens": YAML keeps "Group"; "x  # note" is a comment
_COLON = re.compile(r"\s*:")
EDITOR_BREAK = re.compile(r"\r\n|\r|\n")
ODD_BREAK = re.compile("[\x85\u2028\u2029]")  # line breaks to YAML, not to editors


class _Lines:
    """Lines as an editor numbers them (the file has no U+0085, U+2028 or U+2029: those are refused)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.first = text, first_line
        self.lines = EDITOR_BREAK.split(text)
        if len(self.lines) > 1 and self.lines[-1] == "":
            self.lines.pop()  # a final line break ends the last line; it does not start another

    def line_at(self, index: int) -> int:
        return len(EDITOR_BREAK.findall(self.text, 0, index)) + self.first

    def padded(self) -> list[str]:
        """The lines, indexed by the file's own line numbers less one (a talk's front matter starts at line 2)."""
        return [""] * (self.first - 1) + self.lines

    def line_start(self, index: int) -> int:
        return max(self.text.rfind("\n", 0, index), self.text.rfind("\r", 0, index)) + 1

    def __call__(self, mark: yaml.Mark) -> tuple[int, int, bool]:
        """(line, column, past the end) of a mark, 1-based; past the end points at the end of the last line."""
        line, column = mark.line + self.first, mark.column + 1
        if line - self.first >= len(self.lines):
            return len(self.lines) - 1 + self.first, len(self.lines[-1]) + 1, True
        return line, column, False


def load(file: Path, shown: str, problems: Problems) -> Document | None:
    text = read_text(file, shown, problems)
    return None if text is None else parse(text, shown, problems)


class _Builder:
    """Turns composed nodes into values, recording lines, duplicate keys and the node budget."""

    def __init__(self, doc: Document, problems: Problems, where_is: _Lines) -> None:
        self.doc, self.problems, self.where_is, self.count = doc, problems, where_is, 0
        self._scalars = yaml.SafeLoader("")  # only its scalar constructors are used; one per document

    def build(self, node: yaml.Node, key: Key) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _Budget(f"expands to more than {MAX_NODES} values (aliases?); refused")
        if len(key) > MAX_DEPTH:
            raise _Budget(f"nested more than {MAX_DEPTH} levels deep; refused")
        line = self.where_is(node.start_mark)[0]
        self.doc.lines[key] = line
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, key)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, key + (i,)) for i, item in enumerate(node.value)]
        value, message = self._scalar(node)
        if message:
            self.problems.error(self.doc.path, line, _dotted(key) or "yaml", message)
            self.doc.broken.add(key)
        elif node.start_mark.line != node.end_mark.line or _CUT.match(self.where_is.text, node.end_mark.index) \
                or self.where_is.text.startswith("&", node.start_mark.index):  # inline: it runs for every value
            self._slip(node, key)  # type: ignore[arg-type]  # a scalar: mappings and lists returned above
        return value

    def _slip(self, node: yaml.ScalarNode, key: Key) -> None:
        """The slips YAML reads without complaint, in yamlwords' words: a ' #' that cuts a text short and a
        leading '&' that names it (warnings: either may be meant), a list item read as more of the text above,
        a quote that runs on into the next key. Cheap: a regex match per text; the lines are looked at only for
        a text that spans more than one."""
        if node.style in ("|", ">"):
            return  # a block of text: '#' and '- ' are text in it
        text, start, end = self.where_is.text, node.start_mark.index, node.end_mark.index
        cut = _CUT.match(text, end) if not node.style and node.value else None
        field_name = _dotted(key) or "yaml"
        fix = f"{key[-1]}: " if key and isinstance(key[-1], str) else ""
        if cut:
            whole = text[start:cut.end()].rstrip()
            self.problems.warn(self.doc.path, self.where_is(node.end_mark)[0], field_name,
                               f"' #' starts a comment in YAML, so the text ends at {node.value!r}; if the '#' "
                               f"belongs to the text, put the text in quotes: {fix}{yamlwords.quoted(whole)}")
        if text.startswith("&", start):  # "&teens and more" is an anchor named "teens" on the text "and more"
            whole = text[start:end].strip()
            self.problems.warn(self.doc.path, self.where_is(node.start_mark)[0], field_name,
                               f"YAML reads '{whole.split()[0]}' as a name for the value, not as text; if it "
                               f"belongs to the text, put the text in quotes: {fix}{yamlwords.quoted(whole)}")
        if node.start_mark.line == node.end_mark.line:
            return
        lines, first = self.where_is.padded(), self.where_is(node.start_mark)[0]
        last = self.where_is(node.end_mark)[0]
        if node.style in ("'", '"'):
            found = yamlwords.runaway(lines, first, last, node.style, items=False)
        else:
            item = next((n for n in range(first + 1, last + 1) if lines[n - 1].lstrip().startswith("- ")), 0)
            found = None if not item else yamlwords.Explained(
                item, "this list item is indented more than the line above, so YAML reads it as more of that "
                      "line's text; line up its '-' with the items above (or, if it is text, put the whole text "
                      "in quotes)")
        if found:
            self.problems.error(self.doc.path, found.line, field_name, found.message)
            self.doc.broken.add(key)

    def _scalar(self, node: yaml.Node) -> tuple[object, str | None]:
        """A scalar's value, or (None, why not). A date-like value that is no date stays text, for the schema."""
        try:
            return self._scalars.construct_object(node), None
        except yaml.constructor.ConstructorError:
            return None, f"tags like {node.tag!r} are not supported; write a plain value (a text that starts " \
                         "with '!' goes in quotes)"
        except (ValueError, OverflowError, TypeError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                return node.value, None
            return None, f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}"
        finally:
            self._scalars.constructed_objects.clear()  # keep no memory of nodes between values

    def _flow(self, node: yaml.MappingNode, key: Key) -> bool:
        """Whether a { } mapping (or a pair inside [ ]) reads as written; if not, say where a comma or a ': '
        split a text, and the fix. {en: Anxiety, depression, es: ...} holds a key 'depression' with no value."""
        text, path, field_name = self.where_is.text, self.doc.path, _dotted(key) or "yaml"
        opening = text[node.start_mark.index:node.start_mark.index + 1]
        if opening not in ("{", "&", "!"):  # [Note: bring ID, x] is a list holding the pair {Note: bring ID}
            shown = text[node.start_mark.index:node.end_mark.index].strip()
            self.problems.error(path, self.where_is(node.start_mark)[0], field_name,
                                f"a ': ' (a colon and a space) inside text between [ ]; put the text in quotes: "
                                f"{yamlwords.quoted(shown)}")
            return False
        entries = node.value
        keyless = [isinstance(v, yaml.ScalarNode) and v.tag == "tag:yaml.org,2002:null" and
                   v.start_mark.index == v.end_mark.index and not _COLON.match(text, k.end_mark.index)
                   for k, v in entries]
        for first, (k_node, _) in enumerate(entries):
            if not keyless[first] or (first and keyless[first - 1]):
                continue  # one message for each run of keys with no value: {en: Anxiety, worry, panic, es: ...}
            last = first
            while last + 1 < len(entries) and keyless[last + 1]:
                last += 1
            k_before, v_before = entries[first - 1] if first else (None, None)
            if isinstance(k_before, yaml.ScalarNode) and isinstance(v_before, yaml.ScalarNode) \
                    and not v_before.style:  # the text the comma cut: from its value to the last key with none
                written = " ".join(text[v_before.start_mark.index:entries[last][0].end_mark.index].split())
                name = text[k_before.start_mark.index:k_before.end_mark.index]
                self.problems.error(path, self.where_is(v_before.start_mark)[0], field_name,
                                    "a comma inside text between { } ends the text, and what follows reads as "
                                    f"another key; put the text in quotes: {name}: {yamlwords.quoted(written)}")
            else:
                written = text[k_node.start_mark.index:k_node.end_mark.index]
                self.problems.error(path, self.where_is(k_node.start_mark)[0], field_name,
                                    f"'{written}' has no ': ' after it; between {{ }} write key: value, separated "
                                    "by commas, and put a text that holds a comma in quotes")
        return not any(keyless)

    def _mapping(self, node: yaml.MappingNode, key: Key) -> dict[str, object]:
        result: dict[str, object] = {}
        first: dict[str, int] = {}
        if node.flow_style and not self._flow(node, key):
            self.doc.broken.add(key)  # said once: not again as an unknown key or a language tag
        for k_node, v_node in node.value:
            if k_node.tag == "tag:yaml.org,2002:merge":
                self.problems.error(self.doc.path, self.where_is(k_node.start_mark)[0], _dotted(key) or "yaml",
                                    "merge keys (<<) are not supported; write the values out")
                continue
            name = self._scalar(k_node)[0] if isinstance(k_node, yaml.ScalarNode) else None
            line = self.where_is(k_node.start_mark)[0]
            if not isinstance(name, str):
                self.problems.error(self.doc.path, line, _dotted(key) or "yaml", "keys must be plain words")
                continue
            if name in first:
                self.problems.error(self.doc.path, line, _dotted(key + (name,)),
                                    f"duplicate key (first given on line {first[name]})")
                continue
            first[name] = line
            result[name] = self.build(v_node, key + (name,))
            self.doc.lines[key + (name,)] = line  # the key's line reads better than the value's
        return result


def _dotted(key: Key) -> str:
    """("services", 2, "name") -> "services[2].name", the way messages name a field."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted
