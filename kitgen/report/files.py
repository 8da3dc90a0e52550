"""The report's files in the output's desk/ (never site/: it is the therapist's own), and report.csv, the figures
for spreadsheets. No matplotlib here: the process that reads the referrals never imports it (worker.py)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

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
    """Each file written aside, then moved into place: an interrupted run leaves the previous report whole."""
    desk.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        target = desk / name
        temporary = desk / f".{name}.kitgen-new"
        temporary.write_bytes(data)
        os.replace(temporary, target)
        written.append(target)
    return written
