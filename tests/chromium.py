"""Debian's Chromium driven by Playwright, and a loopback static server.

One setup for tests/test_browser.py and scripts/screenshots.py, so the screenshot in the docs is taken by the
same browser, with the same flags, that the accessibility tests use. The tools come from .ci/setup-browser.sh;
Playwright's own browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "tests" / "browser" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"  # run with CHROME_PATH=/usr/bin/chromium: never a downloaded browser
HOST = "127.0.0.1"

# No first-run UI, no background traffic (updates, sync, safe-browsing lists): the only requests are the page's.
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--metrics-recording-only", "--mute-audio",
]

SETUP = "install them with `bash .ci/setup-browser.sh` (apt chromium, npm ci in tests/browser/) " \
        "and `pip install -e '.[test]'` (playwright)"


def missing_tools(java: bool = False) -> list[str]:
    """What the browser checks need and this machine lacks, each named so the fix is obvious."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright")
    if not CHROMIUM.is_file():
        missing.append(f"Debian's Chromium at {CHROMIUM}")
    if not AXE_JS.is_file():
        missing.append(f"axe-core ({AXE_JS.relative_to(ROOT)})")
    if not LIGHTHOUSE.is_file():
        missing.append(f"Lighthouse ({LIGHTHOUSE.relative_to(ROOT)})")
    if java:
        if not VNU_JAR.is_file():
            missing.append(f"the Nu Html Checker ({VNU_JAR.relative_to(ROOT)})")
        if not shutil.which("java"):
            missing.append("a Java runtime (`java`, from scripts/install-test-deps.sh)")
    return missing


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(directory: Path) -> contextlib.AbstractContextManager[str]:
    """Serve `directory` on 127.0.0.1 (a free port) in a thread: a context giving the base URL, ending in '/'."""
    return loopback(functools.partial(_Quiet, directory=str(directory)))


@contextlib.contextmanager
def loopback(handler) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port) answering with `handler`, in a thread; yields its base URL,
    ending in '/'."""
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def chromium():
    """A headless /usr/bin/chromium through Playwright; each new_context() gets a fresh, temporary profile."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()
