"""The report's PDF, rendered in a second process that imports WeasyPrint (most of a second) while this one reads
the referrals file and draws the charts: on two cores the import costs no time at all. Where processes cannot be
forked (Windows, macOS' default), or on one core, the PDF is rendered here, afterwards."""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType

from kitgen.report.pdf import report_pdf


def _serve(connection: Connection) -> None:
    """The worker: import WeasyPrint at once, then render the one HTML it is sent and send back the PDF (or the
    error, to be raised in the parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    import weasyprint  # noqa: F401
    try:
        html = connection.recv()
    except EOFError:  # the parent stopped before it had a report (a refused file)
        return
    try:
        connection.send(("pdf", report_pdf(html)))
    except Exception as exc:
        connection.send(("error", exc))


class PdfWorker:
    """`with PdfWorker() as pdf: ...; data = pdf.render(html)`; the worker ends with the block, whatever happens."""

    def __init__(self) -> None:
        self.process: BaseProcess | None = None
        self.connection: Connection | None = None
        if "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1:
            context = multiprocessing.get_context("fork")
            self.connection, theirs = context.Pipe()
            self.process = context.Process(target=_serve, args=(theirs,), daemon=True)
            self.process.start()
            theirs.close()

    def render(self, html: str) -> bytes:
        if self.connection is None:
            return report_pdf(html)
        self.connection.send(html)
        kind, value = self.connection.recv()
        if kind == "error":
            raise value
        return bytes(value)

    def __enter__(self) -> PdfWorker:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            if error is not None:
                self.process.terminate()
            self.process.join()
