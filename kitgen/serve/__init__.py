"""`kitgen serve`: build, serve output/site/ on this machine, rebuild on every save, reload the open tab.

The preview never changes what `kitgen build` writes: the reload script, the error banner and the index page
exist only in HTTP responses. A save that breaks the content keeps the last good build on screen (a failed build
leaves the output untouched) and shows the located problems over it; the next good save clears them.

status.py   what the builder knows and open tabs wait on    watch.py    which saves call for a rebuild
rebuild.py  pages first, then PDFs, a newer save interrupts  handler.py  HTTP: site files, /__kitgen/ endpoints
overlay.py  the reload script and banner added to pages     index.py    the preview's own index and errors pages
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from kitgen.project import Project

from .handler import loopback, make_server
from .rebuild import Builder
from .status import Status
from .watch import Watcher

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ServeError(Exception):
    """A reason the preview cannot start (the port is taken), said in one line."""


def serve(project: Path, host: str = "127.0.0.1", port: int = 8000, *, echo: Callable[..., None]) -> None:
    """Serve until interrupted (KeyboardInterrupt propagates, after everything is shut down). `echo` is
    click.echo's shape: problems go to `err=True`."""
    where = Project.at(project)
    project = where.root
    where.require()  # ContentError, located, like every command's
    status = Status()
    try:
        server = make_server(host, port, where.out, status)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); try another --port") from None
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True,
                     name="kitgen-http").start()
    shown_host = f"[{host}]" if ":" in host else host
    echo(f"kitgen: serving {project.resolve()} at http://{shown_host}:{server.server_address[1]}/ (Ctrl-C to stop)")
    if not loopback(host):
        echo(f"kitgen: listening on {host}: other machines on your network can open the site's pages (desk/, with "
             "the letters and the referrals report, stays on this machine)", err=True)
    watcher = Watcher(project)
    watcher.start()
    builder = Builder(where, status, echo, pending=watcher.pending)
    try:
        builder.run([])
        while True:
            batch = watcher.next_batch()
            if batch:
                builder.run(batch)
    finally:
        watcher.stop()
        status.update(closing=True)
        server.shutdown()
        server.server_close()
