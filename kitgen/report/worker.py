"""The report's rendering (charts, HTML, PDF) in a second process, which imports matplotlib and WeasyPrint (about
a second together) while this one reads and checks the referrals file: on two cores the imports cost no time.
Where processes cannot be forked (Windows, macOS' default), or on one core, everything is rendered here."""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType

from kitgen.content.model import Kit
from kitgen.report.figures import Report


def render(kit: Kit, report: Report) -> tuple[str, bytes]:
    """The report as HTML and as PDF."""
    from kitgen.report.html import report_html  # lazy: the parent on two cores never imports matplotlib
    from kitgen.report.pdf import report_pdf
    html = report_html(kit, report)
    return html, report_pdf(html)


def _serve(connection: Connection, parents_end: Connection) -> None:
    """The worker: import what rendering needs at once, then render the one report it is sent and send back the
    result (or the error, raised again in the parent)."""
    parents_end.close()  # forked with a copy of it: closed here, so the parent closing its end is an EOF here
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    import weasyprint  # noqa: F401

    import kitgen.report.html  # noqa: F401  (matplotlib)
    try:
        kit, report = connection.recv()
    except EOFError:  # the parent stopped before it had a report (a refused file)
        return
    try:
        connection.send(("done", render(kit, report)))
    except Exception as exc:
        connection.send(("error", exc))


class Renderer:
    """`with Renderer() as renderer: ...; html, pdf = renderer.render(kit, report)`; the worker ends with the
    block, whatever happens."""

    def __init__(self) -> None:
        self.process: BaseProcess | None = None
        self.connection: Connection | None = None
        if "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1:
            context = multiprocessing.get_context("fork")
            self.connection, theirs = context.Pipe()
            self.process = context.Process(target=_serve, args=(theirs, self.connection), daemon=True)
            self.process.start()
            theirs.close()

    def render(self, kit: Kit, report: Report) -> tuple[str, bytes]:
        if self.connection is None:
            return render(kit, report)
        self.connection.send((kit, report))
        kind, value = self.connection.recv()
        if kind == "error":
            raise value
        html, pdf = value
        return str(html), bytes(pdf)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            if error is not None:
                self.process.terminate()
            self.process.join(30)
            if self.process.is_alive():  # never wait on it for ever
                self.process.terminate()
                self.process.join()
