"""Turn located plain data into typed dataclasses, collecting every problem with its file and line.

The model's dataclasses are the schema: field types say what is accepted, defaults say what is optional, and
`check=` in a field's metadata adds a rule. One walker serves the config, the practice, partners and talks.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from kitgen.content import languages, text
from kitgen.content.yamlload import Document, Key, dotted
from kitgen.problems import Problems

_MISSING = object()

T = TypeVar("T")


def rule(check: Callable[[Any, Any], str | None], default: Any = dataclasses.MISSING, *, blank: bool = False) -> Any:
    """A dataclass field with an extra check: `check(value) -> error message or None`. `blank`: "" is a value
    (a partner's `title: ""`, no title), not an empty field."""
    metadata = {"check": check, "blank": blank}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def lines(default: Any = dataclasses.MISSING) -> Any:
    """A text field that may span lines (an address, a note); every other text field is one line (text.py)."""
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata={"lines": True})
    return dataclasses.field(default=default, metadata={"lines": True})


def derived(default: Any = "") -> Any:
    """A field that kitgen fills in (a slug from the file name, rendered Markdown), never read from YAML."""
    return dataclasses.field(default=default, metadata={"derived": True})


def convert(cls: type[T], doc: Document, problems: Problems, key: Key = (), *,
            context: dict[str, Any] | None = None) -> T | None:
    """An instance of dataclass `cls` from `doc` at `key`, or None when anything required is wrong."""
    made: T | None = _Walker(doc, problems, context or {}).dataclass(cls, _at(doc.data, key), key)
    return made


def _at(data: Any, key: Key) -> Any:
    for part in key:
        data = data[part]
    return data


_KIND = {str: "text", int: "a whole number", bool: "true or false", float: "a number",
         datetime.date: "a date (YYYY-MM-DD)", list: "a list", dict: "a set of fields (key: value lines)"}


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "text"


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    """A dataclass's field types, resolved once (a string annotation is compiled each time it is resolved)."""
    return typing.get_type_hints(cls)


class _Walker:
    def __init__(self, doc: Document, problems: Problems, context: dict[str, Any]) -> None:
        self.doc, self.problems, self.context = doc, problems, context

    def error(self, key: Key, message: str) -> None:
        self.problems.error(self.doc.path, self.doc.line(key), dotted(key) or "file", message)

    def dataclass(self, cls: Any, data: object, key: Key) -> Any:
        if not isinstance(data, dict):
            self.error(key, f"expected {_KIND[dict]}, got {_describe(data)}")
            return None
        hints = _hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("derived")}
        for name in data:
            if name not in fields:
                close = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(fields)}"
                self.problems.warn(self.doc.path, self.doc.line(key + (name,)), dotted(key + (name,)),
                                   f"unknown key{hint}")
        values, ok = {}, True
        for name, f in fields.items():
            if key + (name,) in self.doc.broken:  # unreadable, and already said so
                ok = False
                continue
            if name not in data or data[name] is None:
                required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                if required:
                    self.error(key + (name,), "required field is missing" if name not in data else "is empty")
                    ok = False
                continue
            if data[name] == "" and f.metadata.get("blank"):
                values[name] = ""
                continue
            value = self.value(hints[name], data[name], key + (name,), lines=f.metadata.get("lines", False))
            if value is _MISSING:
                ok = False
                continue
            check = f.metadata.get("check")
            message = check(value, self.context) if check else None
            if message:
                self.error(key + (name,), message)
                ok = False
                continue
            values[name] = value
        for name, message in cls.whole_problems(values) if ok and hasattr(cls, "whole_problems") else ():
            self.error(key + (name,), message)  # a rule across fields: `call` or `text`, say
            ok = False
        return cls(**values) if ok else None

    def value(self, hint: Any, data: Any, key: Key, lines: bool = False) -> Any:
        if key in self.doc.broken:
            return _MISSING
        placeholder = text.placeholder_problem(data) if isinstance(data, str) else None
        if placeholder:  # before its type: "TODO" is no date either
            self.error(key, placeholder)
            return _MISSING
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
            origin = typing.get_origin(hint)
        if hint is str and self._translatable(key):
            return self.words(data, key, lines)
        if origin in (list, tuple):
            (item,) = typing.get_args(hint)[:1]
            if not isinstance(data, list):
                self.error(key, f"expected {_KIND[list]}, got {_describe(data)}")
                return _MISSING
            items = [self.value(item, v, key + (i,)) for i, v in enumerate(data)]
            return _MISSING if any(v is _MISSING for v in items) else items
        if dataclasses.is_dataclass(hint):
            result = self.dataclass(hint, data, key)
            return _MISSING if result is None else result
        return self.scalar(hint, data, key, lines)

    def _translatable(self, key: Key) -> bool:
        """Whether the field at `key` may be written per language (practice.yaml's prose, languages.py)."""
        fields = self.context.get("translatable") or frozenset()
        return ".".join("*" if isinstance(k, int) else str(k) for k in key) in fields

    def words(self, data: object, key: Key, lines: bool) -> Any:
        """A text that may be a mapping from language tag to text: a `Words` in the kit's language keeping the
        others. A plain string is the kit's language (an insurance plan's name: every language's)."""
        language = self.context.get("language") or "en"
        where = (self.doc.path, self.doc.line(key), dotted(key))
        if not isinstance(data, dict):
            text = self.scalar(str, data, key, lines)
            if text is _MISSING:
                return _MISSING
            everyone = key and key[0] == "insurance"  # plans are names; a phrase is given per language
            return languages.Words(text, {"*" if everyone else languages.normalize(language): text}, where)
        versions, ok = {}, True
        for tag, text in data.items():
            message = languages.problem(str(tag))
            if message:
                self.error(key + (tag,), message)
                ok = False
                continue
            value = self.scalar(str, text, key + (tag,), lines)
            if value is _MISSING:
                ok = False
                continue
            versions[languages.normalize(str(tag))] = value
        if not ok:
            return _MISSING
        mine = languages.Words("", versions, where).version(language)
        if mine is None:
            self.error(key, f"has no version in the kit's language ({language}, kitgen.yaml `language`), which "
                       f"physicians' pieces print; add {languages.primary(language)}: ...")
            return _MISSING
        return languages.Words(mine, versions, where)

    def scalar(self, hint: Any, data: object, key: Key, lines: bool = False) -> Any:
        if hint is datetime.date:
            if isinstance(data, datetime.date) and not isinstance(data, datetime.datetime):
                return data
            if isinstance(data, str):
                try:
                    return datetime.date.fromisoformat(data.strip())
                except ValueError:
                    pass
            self.error(key, f"invalid date {str(data)!r}; write it as YYYY-MM-DD, e.g. 2026-11-15")
            return _MISSING
        if hint is str and isinstance(data, str):
            if not data.strip():
                self.error(key, "is empty")
                return _MISSING
            message = text.problem(data.strip(), lines=lines)  # no control characters, in any text field
            if message:
                self.error(key, message)
                return _MISSING
            return data.strip()
        if hint is int and isinstance(data, int) and not isinstance(data, bool):
            return data
        if hint is float and isinstance(data, (int, float)) and not isinstance(data, bool):
            return float(data)
        if hint is bool and isinstance(data, bool):
            return data
        quote = "; put it in quotes" if hint is str and isinstance(data, (int, float, bool)) else ""
        self.error(key, f"expected {_KIND.get(hint, hint.__name__)}, got {_describe(data)}{quote}")
        return _MISSING
