"""Read a referrals CSV exported from an EHR or a spreadsheet: one row per referral, checked cell by cell.

Spreadsheets write CSV in more than one way (see docs/report.md): UTF-8 with or without a byte-order mark,
CRLF line ends, and `;` between values where the decimal mark is a comma. All of these read. A column that looks
like a patient identifier stops everything before a single row is read (phi.py). Every other problem is located
(`referrals.csv:7: referred_on: ...`) and reported all at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.problems import ContentError, Problem, Problems
from kitgen.report import phi

COLUMNS = ("referred_on", "source", "first_session_on", "sessions", "status")
REQUIRED = ("referred_on", "source")
MAX_BYTES = 64 * 1024 * 1024  # about three million referrals: far beyond any practice, well short of a mistake
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHOLE = re.compile(r"\d+")
DELIMITERS = (",", ";", "\t")
USE = "kitgen reads only referred_on, source, first_session_on, sessions and status"


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


def read(path: Path, shown: str, today: datetime.date) -> Referrals:
    """The referrals in `path` (called `shown` in messages); ContentError with every problem otherwise."""
    problems = Problems()
    text = _decode(path, shown, problems)
    if text is not None and not text.strip():
        problems.error(shown, 0, "file", f"is empty; it needs a header line ({','.join(COLUMNS)}) and one row per "
                       "referral")
    if text is None or problems.errors:
        raise ContentError(problems)
    reader = _Rows(text, _delimiter(text))
    first = next(reader, None)
    if first is None:  # only blank lines and delimiters
        problems.error(shown, 0, "file", f"has no header line; the first line names the columns: {','.join(COLUMNS)}")
        raise ContentError(problems + reader.problems(shown))
    header_line, header = first
    columns = _columns(header, shown, header_line, problems)
    if problems.errors:  # refuse before reading a single row
        raise ContentError(problems + reader.problems(shown))
    result = Referrals([])
    stray: dict[int, int] = {}  # column index without a name -> first line where it holds a value
    unnamed = {i for i, name in enumerate(header) if not name.strip()}
    for line, cells in reader:
        for i in range(len(cells)):
            if (i >= len(header) or i in unnamed) and i not in stray and cells[i].strip():
                stray[i] = line
        row = _row(line, cells, columns, shown, today, problems)
        if row is not None:
            result.rows.append(row)
        status = columns.get("status")
        if status is not None and status < len(cells) and cells[status].strip():
            result.with_status += 1
    for i, line in sorted(stray.items()):
        where = f"column {i + 1}" if i < len(header) else f"value {i + 1}"
        problems.error(shown, line, where, f"has values but no name in the header; delete it ({USE})")
    problems += reader.problems(shown)
    if not result.rows and not problems.errors:
        problems.error(shown, header_line, "file", "has a header but no referrals; add one row per referral")
    if problems.errors:
        raise ContentError(problems)
    result.warnings = problems.warnings
    return result


def _decode(path: Path, shown: str, problems: Problems) -> str | None:
    try:
        raw = _bounded(path, shown, problems)
        if raw is None:
            return None
    except OSError as exc:
        problems.error(shown, 0, "file", f"cannot be read ({exc.strerror or exc})")
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # "Unicode text" exports: UTF-16, marked
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(shown, line, "file", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as \"CSV "
                       "UTF-8\" in Excel, or with the UTF-8 character set in LibreOffice")
        return None


def _bounded(path: Path, shown: str, problems: Problems) -> bytes | None:
    """The file's bytes, read only from a regular file and never past MAX_BYTES: a device (/dev/zero), a pipe or a
    file still growing would otherwise be read until memory runs out. Opened without blocking, so a FIFO with no
    writer is refused rather than waited on."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            problems.error(shown, 0, "file", "is not a regular file (a device, a pipe or a folder); export the "
                           "referrals to a CSV file and give its path")
            return None
        raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        size = max(st.st_size, len(raw))
        problems.error(shown, 0, "file", f"is {size // 1024 // 1024} MiB; the limit is {MAX_BYTES // 1024 // 1024}"
                       " MiB: report on a shorter span of referrals")
        return None
    return raw


def _delimiter(text: str) -> str:
    """`;`, tab or `,`: whichever the header line has most of, outside quotes (`,` when it has none)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Rows:
    """The non-blank rows of the CSV with the line each starts on; a malformed row is noted, not raised."""

    def __init__(self, text: str, delimiter: str):
        self.reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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


def _columns(header: list[str], shown: str, line: int, problems: Problems) -> dict[str, int]:
    """Column name -> index. Patient identifiers, duplicates and missing required columns are errors."""
    columns: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = re.sub(r"\s+", "_", raw.strip().lower())
        if not name:
            continue
        if name in COLUMNS:
            if name in columns:
                problems.error(shown, line, raw.strip(), f"appears twice in the header (columns {columns[name] + 1} "
                               f"and {i + 1}); keep one")
            else:
                columns[name] = i
            continue
        what = phi.looks_like(raw)
        if what:
            problems.error(shown, line, raw.strip(), f"looks like a patient identifier ({what}); kitgen accepts no "
                           "patient details: delete the column and run again (if it names the referring "
                           "physician, call it source)")
        else:
            problems.warn(shown, line, raw.strip(), f"column not used; {USE}")
    for name in REQUIRED:
        if name not in columns:
            found = ", ".join(h.strip() for h in header if h.strip()) or "nothing"
            problems.error(shown, line, name, f"no such column (the header has: {found})")
    return columns


@functools.lru_cache(maxsize=8192)  # a file of any size has a few thousand distinct dates at most
def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
    except ValueError:
        return None


def _row(line: int, cells: list[str], columns: dict[str, int], shown: str, today: datetime.date,
         problems: Problems) -> Referral | None:
    def cell(name: str) -> str:
        i = columns.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    def date(name: str, required: bool) -> datetime.date | None:
        value = cell(name)
        if not value:
            if required:
                problems.error(shown, line, name, "is empty; every referral needs the date it came in")
            return None
        day = _parse_date(value)
        if day is None:
            problems.error(shown, line, name, f"{value!r} is not a date (write YYYY-MM-DD)")
        elif day > today:
            problems.error(shown, line, name, f"{value} is in the future (today is {today})")
            return None
        return day

    referred_on, first_session_on = date("referred_on", True), date("first_session_on", False)
    source = " ".join(cell("source").split())
    sessions_text = cell("sessions")
    sessions = int(sessions_text) if WHOLE.fullmatch(sessions_text) else None
    if sessions_text and sessions is None:
        problems.error(shown, line, "sessions", f"{sessions_text!r} is not a whole number of sessions")
    if referred_on and first_session_on and first_session_on < referred_on:
        problems.error(shown, line, "first_session_on", f"{first_session_on} is before referred_on {referred_on}; "
                       "leave it empty if the client was seen before this referral")
        return None
    if sessions and not first_session_on and not cell("first_session_on"):
        problems.warn(shown, line, "sessions", f"{sessions} sessions but no first_session_on; not counted")
    if referred_on is None or (sessions_text and sessions is None) or (cell("first_session_on") and
                                                                       first_session_on is None):
        return None
    return Referral(line, referred_on, source, first_session_on, sessions)
