"""Files shaped like a practice system's export, for `kitgen report` tests (tests/test_report.py,
tests/test_report_exports.py): a header and rows written as spreadsheets and practice systems write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path


def write_export(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]], *, delimiter: str = ",",
                 newline: str = "\r\n", bom: bool = False) -> Path:
    """A CSV in UTF-8, with `delimiter`, `newline` after each line and, with `bom`, the byte-order mark Excel
    writes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path
