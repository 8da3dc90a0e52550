"""What the builder knows and every open tab waits on: the last good build and the current problems."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

from kitgen.pipeline.output import read_state


class Status:
    """Shared by the builder thread and the HTTP threads; a change wakes every tab that waits for news."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0           # bumped on every change, so a waiting tab knows it has news
        self.build_id = ""         # changes when the output changes (a hash of kitgen's record of it)
        self.errors: list[str] = []
        self.built_at: float | None = None
        self.closing = False

    def snapshot(self) -> dict[str, Any]:
        with self._changed:
            return {"build": self.build_id, "errors": list(self.errors), "built_at": self.built_at}

    def update(self, **values: Any) -> None:
        with self._changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.version += 1
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """Block until the version differs from `seen` (or `timeout` passes); the version now."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.closing, timeout)
            return self.version


def build_id(out: Path) -> str:
    """An id for what a browser tab shows: kitgen's record (fingerprints) of every file it wrote, PDFs aside.

    A tab showing a PDF runs no script, so new PDFs need no reload; leaving them out spares every open page a
    second reload when the PDFs catch up with an edit.
    """
    files = read_state(out).get("files", {})
    if not files:
        return ""
    shown = sorted((rel, entry.get("fingerprint") if isinstance(entry, dict) else None)
                   for rel, entry in files.items() if not rel.endswith(".pdf"))
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:16]
