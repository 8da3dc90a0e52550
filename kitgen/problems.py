"""Located problems in a user's files: the one currency of validation, so every message has the same shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """`path:line: field: message`, where path is relative to the project (what a user can open and fix)."""

    path: str
    line: int
    field: str
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.level == "warning" else ""
        return _one_line(f"{where}: {self.field}: {prefix}{self.message}")


def _one_line(text: str) -> str:
    """Control and line-break characters (from a key or a file name) escaped: one problem, one line, always."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


class ContentError(Exception):
    """Raised with every problem found, so a user sees them all at once and nothing is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.problems)  # picklable, so it crosses from a worker process intact

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class Problems(list[Problem]):
    """A list of problems with shorthands for adding them."""

    def error(self, path: str, line: int, field: str, message: str) -> None:
        self.append(Problem(path, line, field, message))

    def warn(self, path: str, line: int, field: str, message: str) -> None:
        self.append(Problem(path, line, field, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self if p.level == "warning"]
