"""Read a referrals CSV as practice software or a spreadsheet exports it: one row per referral, checked cell by cell.

The five things the report needs are found by header (exports.py knows the names SimplePractice, Cliniko, Power
Diary and others write; kitgen.yaml `report: {columns: ...}` maps any other). Every other column is dropped
unread: the file is streamed line by line, each row is split by the csv module and only the wanted cells are
kept, so a client's name, birth date or diagnosis never lives past the line it is on, and is never written or
printed. The columns that look like patient identifiers (phi.py) are named, by header only, in one notice.

Spreadsheets write CSV in more than one way (see docs/report.md): UTF-8 with or without a byte-order mark,
UTF-16 with one, CRLF line ends, and `;` or tabs between values. All of these read. Dates are read in the
region's order or the one kitgen.yaml sets (dates.py). Every problem is located (`referrals.csv:7: referred_on:
...`) and reported all at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import itertools
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.problems import ContentError, Problem, Problems
from kitgen.report import dates
from kitgen.report.columns import COLUMNS, CONFIG, USE, Settings, columns_of, delimiter

MAX_BYTES = 64 * 1024 * 1024  # about three million referrals: far beyond any practice, well short of a mistake
WHOLE = re.compile(r"\d+")


@dataclass(frozen=True)
class Referral:
    """One row: nothing but what the figures need (no status text, no other column)."""

    line: int
    referred_on: datetime.date
    source: str
    first_session_on: datetime.date | None
    sessions: int | None


@dataclass
class Referrals:
    rows: list[Referral]
    with_status: int = 0  # rows whose status is filled in: counted, never shown (it is free text)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Kept:
    """A row's wanted cells, as text, between reading the file and knowing its date order."""

    line: int
    referred_on: str
    source: str
    first_session_on: str
    sessions: str
    status: bool


def read(path: Path, shown: str, today: datetime.date, settings: Settings | None = None) -> Referrals:
    """The referrals in `path` (called `shown` in messages); ContentError with every problem otherwise."""
    settings = settings or Settings()
    problems = Problems()
    try:
        with _Lines(path, shown, problems) as lines:
            kept, with_status, header_line = _scan(lines, shown, settings, problems)
    except OSError as exc:
        problems.error(shown, 0, "file", f"cannot be read ({exc.strerror or exc})")
        raise ContentError(problems) from None
    if problems.errors and not kept:  # the header refused: not a row read
        raise ContentError(problems)
    errors = len(problems.errors)
    order = _order(kept, shown, settings, problems)
    if len(problems.errors) > errors:  # dates written both ways: each would be wrong in one of them
        raise ContentError(problems)
    result = Referrals([], with_status)
    for raw in kept:
        row = _row(raw, shown, today, order, settings, problems)
        if row is not None:
            result.rows.append(row)
    if not kept and not problems.errors:
        problems.error(shown, header_line, "file", "has a header but no referrals; add one row per referral")
    if problems.errors:
        raise ContentError(problems)
    result.warnings = problems.warnings
    return result


class _Lines:
    """The file's lines, decoded, streamed: read only from a regular file (a device, /dev/zero, a pipe or a file
    still growing would be read until memory runs out) and never past MAX_BYTES. Opened without blocking, so a
    FIFO with no writer is refused rather than waited on. A problem stops the lines and is added to `problems`."""

    def __init__(self, path: Path, shown: str, problems: Problems):
        self.path, self.shown, self.problems = path, shown, problems

    def __enter__(self) -> Iterator[str]:
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        self.file = os.fdopen(fd, "rb")
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            self.problems.error(self.shown, 0, "file", "is not a regular file (a device, a pipe or a folder); export "
                                "the referrals to a CSV file and give its path")
            return iter(())
        if st.st_size > MAX_BYTES:
            self._too_big(st.st_size)
            return iter(())
        return self._lines()

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def _too_big(self, size: int) -> None:
        self.problems.error(self.shown, 0, "file", f"is {size // 1024 // 1024} MiB; the limit is "
                            f"{MAX_BYTES // 1024 // 1024} MiB: report on a shorter span of referrals")

    def _lines(self) -> Iterator[str]:
        start = self.file.peek(4)[:4] if hasattr(self.file, "peek") else b""
        read = 0
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # "Unicode text" exports: UTF-16, marked
            text = io.TextIOWrapper(self.file, encoding="utf-16", errors="replace", newline="")
            for line in text:
                read += len(line) * 2
                if read > MAX_BYTES:
                    self._too_big(read)
                    return
                yield line
            return
        for number, raw in enumerate(self.file, 1):
            read += len(raw)
            if read > MAX_BYTES:  # grew since it was measured
                self._too_big(read)
                return
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                self.problems.error(self.shown, number, "file", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                                    "save it as \"CSV UTF-8\" in Excel, or with the UTF-8 character set in "
                                    "LibreOffice")
                return
            yield line


def _scan(lines: Iterator[str], shown: str, settings: Settings, problems: Problems
          ) -> tuple[list[_Kept], int, int]:
    """The wanted cells of every row (and how many have a status); every other cell is dropped as its row is
    split."""
    blank: list[str] = []
    first = None
    for text in lines:  # the header line decides the delimiter
        if text.strip():
            first = text
            break
        blank.append(text)
    if first is None:
        if not problems.errors:
            problems.error(shown, 0, "file", f"is empty; it needs a header line ({','.join(COLUMNS)}) and one row "
                           "per referral")
        return [], 0, 0
    reader = _Rows(itertools.chain(blank, [first], lines), delimiter(first))
    header_row = next(reader, None)
    if header_row is None:  # only delimiters
        problems.error(shown, 0, "file", f"has no header line; the first line names the columns: {','.join(COLUMNS)}")
        problems += reader.problems(shown)
        return [], 0, 0
    header_line, header = header_row
    columns = columns_of(header, shown, header_line, settings, problems)
    if problems.errors:  # refuse before reading a single row
        problems += reader.problems(shown)
        return [], 0, header_line
    kept: list[_Kept] = []
    with_status = 0
    stray: dict[int, int] = {}  # column index without a name -> first line where it holds a value
    named = len(header)
    unnamed = frozenset(i for i, name in enumerate(header) if not name.strip())
    wanted = [(name, columns.get(name)) for name in COLUMNS]
    for line, cells in reader:
        width = len(cells)
        for i in itertools.chain(unnamed, range(named, width)):  # looked at only for being empty
            if i < width and i not in stray and cells[i].strip():
                stray[i] = line
        values = {name: cells[i].strip() if i is not None and i < width else "" for name, i in wanted}
        del cells  # the rest of the row: never kept
        with_status += bool(values["status"])
        kept.append(_Kept(line, values["referred_on"], " ".join(values["source"].split()),
                          values["first_session_on"], values["sessions"], bool(values["status"])))
    for i, line in sorted(stray.items()):
        where = f"column {i + 1}" if i < named else f"value {i + 1}"
        problems.error(shown, line, where, f"has values but no name in the header; delete it ({USE})")
    problems += reader.problems(shown)
    return kept, with_status, header_line


class _Rows:
    """The non-blank rows of the CSV with the line each starts on; a malformed row is noted, not raised."""

    def __init__(self, lines: Iterator[str], delimiter: str):
        self.reader = csv.reader(lines, delimiter=delimiter)
        self.errors: list[tuple[int, str]] = []

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        while True:
            start = self.reader.line_num + 1
            try:
                cells = next(self.reader)
            except csv.Error as exc:
                self.errors.append((start, str(exc)))
                continue
            if any(c.strip() for c in cells):
                return start, cells

    def problems(self, shown: str) -> list[Problem]:
        return [Problem(shown, line, "csv", f"cannot be read ({message})") for line, message in self.errors]


def _order(kept: list[_Kept], shown: str, settings: Settings, problems: Problems) -> str:
    """The file's date order: kitgen.yaml's; else the region's, unless the file shows only the other one (read
    that way, with a notice); a file showing both is refused at the line that contradicts the first."""
    if settings.dates:
        return settings.dates
    default = dates.region_order(settings.region)
    seen: dict[str, tuple[int, str, str]] = {}  # order -> the first (line, column, value) that can only be it
    for raw in kept:
        for name, value in (("referred_on", raw.referred_on), ("first_session_on", raw.first_session_on)):
            only = dates.shows(value) if value else None
            if only and only not in seen:
                seen[only] = (raw.line, name, value)
        if len(seen) == 2:
            break
    if len(seen) == 2:
        (a_order, (a_line, _, a_value)), (b_order, (b_line, b_name, b_value)) = sorted(
            seen.items(), key=lambda item: item[1][0])
        problems.error(shown, b_line, b_name, f"{b_value!r} can only be {_words(b_order)}, but {a_value!r} on line "
                       f"{a_line} can only be {_words(a_order)}: the file writes dates both ways, so kitgen cannot "
                       "tell what 03/04 means in it; correct the odd ones, or export the dates as YYYY-MM-DD")
        return default
    if seen and default not in seen:
        (other, (line, name, value)), = seen.items()
        problems.warn(shown, line, name, f"dates read {_words(other)} ({dates.EXAMPLE[other]}): {value!r} cannot "
                      f"be {_words(default)}, the order region {settings.region} writes; to say so and silence "
                      f"this, set report: {{dates: {other}}} in {CONFIG}")
        return other
    return default


def _words(order: str) -> str:
    return {"month-first": "month first", "day-first": "day first", "iso": "YYYY-MM-DD"}[order]


def _not_a_date(value: str, order: str, settings: Settings) -> str:
    if settings.dates == "iso":
        return f"{value!r} is not a date (write YYYY-MM-DD, as {CONFIG} report.dates: iso says)"
    why = f"{CONFIG} report.dates: {order}" if settings.dates else f"region {settings.region}"
    other = dates.shows(value)
    hint = f"; it reads only {_words(other)}: correct it, or set report.dates in {CONFIG}" if other else ""
    return (f"{value!r} is not a date (read {_words(order)}, {dates.EXAMPLE[order]}, as {why} writes them; "
            f"YYYY-MM-DD always reads){hint}")


def _row(raw: _Kept, shown: str, today: datetime.date, order: str, settings: Settings,
         problems: Problems) -> Referral | None:
    line = raw.line

    def date(name: str, value: str, required: bool) -> datetime.date | None:
        if not value:
            if required:
                problems.error(shown, line, name, "is empty; every referral needs the date it came in")
            return None
        day = dates.parse(value, order)
        if day is None:
            problems.error(shown, line, name, _not_a_date(value, order, settings))
        elif day > today:
            problems.error(shown, line, name, f"{day} is in the future (today is {today})")
            return None
        return day

    referred_on = date("referred_on", raw.referred_on, True)
    first_session_on = date("first_session_on", raw.first_session_on, False)
    sessions = int(raw.sessions) if WHOLE.fullmatch(raw.sessions) else None
    if raw.sessions and sessions is None:
        problems.error(shown, line, "sessions", f"{raw.sessions!r} is not a whole number of sessions")
    if referred_on and first_session_on and first_session_on < referred_on:
        problems.error(shown, line, "first_session_on", f"{first_session_on} is before referred_on {referred_on}; "
                       "leave it empty if the client was seen before this referral")
        return None
    if sessions and not raw.first_session_on:
        problems.warn(shown, line, "sessions", f"{sessions} sessions but no first_session_on; not counted")
    if referred_on is None or (raw.sessions and sessions is None) or (raw.first_session_on and
                                                                      first_session_on is None):
        return None
    return Referral(line, referred_on, raw.source, first_session_on, sessions)
