#!/usr/bin/env python3
"""Regenerate the README's phone screenshot of a landing page (docs/images/landing-phone.png).

Builds the repository's example kit into a temp folder, serves it on 127.0.0.1 and photographs one partner's
page in Debian's Chromium with the browser tests' own setup (tests/chromium.py), so the picture is what those
tests check. The PNG is reduced to a 256-colour palette, which keeps it small in git and looks the same.
Needs the browser tools: `bash .ci/setup-browser.sh`.

usage: .venv/bin/python scripts/screenshots.py [--slug jane-smith] [--out docs/images/landing-phone.png]
                                              [--project DIR (default: the example kit here)]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chromium import SETUP, chromium, missing_tools, serve  # noqa: E402
from PIL import Image  # noqa: E402  (a WeasyPrint dependency)

from kitgen.pipeline.pipeline import build  # noqa: E402

PHONE = dict(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)


def small_png(png: bytes) -> bytes:
    """The same picture with a 256-colour palette: the page is flat colours and text, so nothing visible is lost."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--slug", default="jane-smith", help="the partner whose page is shown")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "landing-phone.png")
    ap.add_argument("--project", type=Path, default=ROOT, help="kit project (default: the example kit here)")
    args = ap.parse_args()
    if missing := missing_tools():
        print(f"screenshots.py needs {', '.join(missing)}: {SETUP}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="kitgen-shots-") as tmp:
        out = Path(tmp) / "out"
        build(args.project, out, partners=[args.slug])
        with serve(out / "site") as base, chromium() as browser:
            context = browser.new_context(**PHONE)
            page = context.new_page()
            response = page.goto(f"{base}{args.slug}/", wait_until="networkidle")
            if response is None or response.status != 200:
                print(f"screenshots.py: {base}{args.slug}/ answered {response and response.status}", file=sys.stderr)
                return 1
            page.evaluate("document.fonts.ready")
            png = page.screenshot(type="png")
            context.close()
    data = small_png(png)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"{args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}: "
          f"{len(png) // 1024} KB from Chromium, {len(data) // 1024} KB written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
