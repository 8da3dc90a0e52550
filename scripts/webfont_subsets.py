"""Make ahead the WOFF2 subsets of the built-in themes' web faces (kitgen/documents/woff2/).

    python scripts/webfont_subsets.py

Run it after changing a built-in font file or the subset recipe (webfonts.PAGE_TEXT, FEATURES, NAME_IDS,
RECIPE_VERSION); tests/test_light_page.py fails until it has run. Files no face needs any more are removed.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kitgen.documents import webfonts  # noqa: E402


def main() -> None:
    wanted = webfonts.built_in_faces()
    folder = webfonts.MADE_AHEAD
    folder.mkdir(exist_ok=True)
    for name, path in sorted(wanted.items()):
        data = webfonts.make_subset(path.read_bytes())
        (folder / name).write_bytes(data)
        print(f"{name}  {len(data):>6} bytes  from {path.relative_to(REPO)}")
    for old in sorted(folder.glob(f"*.{webfonts.EXTENSION}")):
        if old.name not in wanted:
            old.unlink()
            print(f"removed {old.name}")


if __name__ == "__main__":
    main()
