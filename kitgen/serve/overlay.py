"""What the preview adds to every page it serves: its stylesheet and reload script, never written to disk.

Both are files next to this module (reload.js, preview.css), served under PREFIX from the pages' own origin:
the pages' Content-Security-Policy allows scripts from 'self' only, never inline ones.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from importlib.resources import files

PREFIX = "/__kitgen/"  # never a partner slug: slugs cannot start with "_"
FILES = {"reload.js": "text/javascript; charset=utf-8", "preview.css": "text/css; charset=utf-8"}


def inject(page: bytes, build: str, errors: Sequence[str] = ()) -> bytes:
    """`page` with the preview's stylesheet and reload script before </head>. The script reloads the tab when
    the build differs from `build`; the preview's own pages also reload when the errors differ from `errors`."""
    tags = (f'<link rel="stylesheet" href="{PREFIX}preview.css">'
            f'<script src="{PREFIX}reload.js" data-build="{html.escape(build)}" '
            f'data-errors="{html.escape(chr(10).join(errors))}" defer></script>').encode()
    match = re.search(rb"</head\s*>", page, re.IGNORECASE)
    at = match.start() if match else len(page)
    return page[:at] + tags + page[at:]


def own_file(name: str) -> tuple[bytes, str] | None:
    """The bytes and Content-Type of reload.js or preview.css; None for any other name."""
    if name not in FILES:
        return None
    return files(__package__).joinpath(name).read_bytes(), FILES[name]
