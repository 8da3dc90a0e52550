"""The report's files in the output's desk/ (never site/: it is the therapist's own), and report.csv, the figures
for spreadsheets. No matplotlib here: the process that reads the referrals never imports it (worker.py)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from kitgen.problems import ContentError, Problem
from kitgen.report.figures import CSV_HEADER, Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so as a formula


def report_csv(report: Report) -> bytes:
    """The figures, one row per source and quarter. UTF-8 with a byte-order mark: without one, Excel reads UTF-8
    as the Windows code page and garbles "Álvarez" (https://donatstudios.com/CSV-An-Encoding-Nightmare)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in report.csv_rows():
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: object) -> object:
    """An other source's text is typed by staff: never let a spreadsheet read it as a formula (CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def write(desk: Path, files: dict[str, bytes]) -> list[Path]:
    """All the files or none: each is written aside first, and only once every one is whole (a full disk fails
    here) are they moved into place, so a failure leaves the previous report as it was and says so. A file whose
    bytes are unchanged is left as it is, mtime and all."""
    temporary = {name: desk / f".{name}.kitgen-new" for name in files}
    name = ""
    try:
        desk.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if _holds(desk / name, data):
                del temporary[name]
            else:
                temporary[name].write_bytes(data)
    except OSError as exc:
        _clear(temporary.values())
        raise ContentError([Problem(str(desk / name) if name else str(desk), 0, "report",
                                    f"cannot be written ({exc.strerror or exc}); nothing was written, the previous "
                                    "report is as it was: free some space (or make the folder writable) and run "
                                    "kitgen report again")]) from None
    replaced: list[str] = []
    for name, temp in temporary.items():
        try:
            os.replace(temp, desk / name)
        except OSError as exc:
            _clear(temporary.values())
            kept = [n for n in files if n not in replaced]
            raise ContentError([Problem(str(desk / name), 0, "report", f"cannot be replaced ({exc.strerror or exc}); "
                                        f"{', '.join(replaced) or 'no file'} replaced, {', '.join(kept)} left as "
                                        "they were: run kitgen report again")]) from None
        replaced.append(name)
    return [desk / name for name in files]


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and \
            path.read_bytes() == data
    except OSError:
        return False


def _clear(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
