#!/usr/bin/env python3
"""Regenerate the README's pictures of `kitgen report` (docs/images/report.png, and report-standing.png: where each
relationship stands) and of `kitgen plan` (docs/images/plan.png), and the example referrals file
(docs/examples/referrals.csv).

The example file is made-up referrals for the repository's example kit (its partners written the ways staff write
them, other sources, blanks, referrals never booked), from a fixed seed, so it is the same on every run. The
report is made from it as of 2026-11-20 into a temp folder and photographed in Debian's Chromium with the browser
tests' own setup (tests/chromium.py): the top of the page, as a desktop browser shows it.
Needs the browser tools: `bash .ci/setup-browser.sh`.

usage: .venv/bin/python scripts/report_preview.py [--out docs/images/report.png] [--csv docs/examples/referrals.csv]
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from chromium import SETUP, chromium, missing_tools, serve  # noqa: E402
from screenshots import small_png  # noqa: E402

TODAY = datetime.date(2026, 11, 20)
DESKTOP = dict(viewport={"width": 1000, "height": 1250}, device_scale_factor=1)
# (source as typed, weight): the example partners in the spellings staff use, and what else sends clients
SOURCES = [("jane-smith", 6), ("Dr. Jane Smith", 4), ("JANE SMITH, MD", 2), ("FEZV", 1), ("rqk7", 1),
           ("tomas-alvarez", 3), ("Dr. Tomás Álvarez", 3), ("Tomas Alvarez MD", 2), ("helen-zhou", 2),
           ("Helen Zhou, DO", 1),
           ("Psychology Today", 6), ("psychology today", 2), ("Google", 4), ("Friend or family", 3), ("EAP", 2),
           ("", 2), ("School counselor", 1)]


def example_rows(seed: int = 15) -> list[list[str]]:
    rng = random.Random(seed)
    texts, weights = zip(*SOURCES)
    rows = []
    start = datetime.date(2025, 7, 1)
    for _ in range(260):
        day = start + datetime.timedelta(days=rng.randrange((TODAY - start).days))
        source = rng.choices(texts, weights)[0]
        booked = rng.random() < 0.72 and day <= TODAY - datetime.timedelta(days=21)
        first = day + datetime.timedelta(days=rng.randrange(2, 20)) if booked else None
        sessions = str(rng.randrange(1, 16)) if booked else ""
        rows.append([day.isoformat(), source, first.isoformat() if first else "", sessions,
                     rng.choice(["active", "discharged"]) if booked else ""])
    return sorted(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "report.png")
    ap.add_argument("--csv", type=Path, default=ROOT / "docs" / "examples" / "referrals.csv")
    args = ap.parse_args()
    if missing := missing_tools():
        print(f"report_preview.py needs {', '.join(missing)}: {SETUP}", file=sys.stderr)
        return 1
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with open(args.csv, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["referred_on", "source", "first_session_on", "sessions", "status"])
        writer.writerows(example_rows())
    os.environ["KITGEN_TODAY"] = TODAY.isoformat()
    from kitgen.report.command import run
    with tempfile.TemporaryDirectory(prefix="kitgen-report-") as tmp:
        run(args.csv, ROOT, Path(tmp) / "out", TODAY)
        with serve(Path(tmp) / "out" / "desk") as base, chromium() as browser:
            context = browser.new_context(**DESKTOP)
            page = context.new_page()
            response = page.goto(f"{base}report.html", wait_until="networkidle")
            if response is None or response.status != 200:
                print(f"report_preview.py: the report answered {response and response.status}", file=sys.stderr)
                return 1
            png = page.screenshot(type="png")
            page.locator("#standing").scroll_into_view_if_needed()
            page.evaluate("document.getElementById('standing').scrollIntoView()")
            standing = page.screenshot(type="png")
            subprocess.run([sys.executable, "-m", "kitgen", "plan", "--project", str(ROOT), "--out",
                            str(Path(tmp) / "out"), "--today", TODAY.isoformat()], check=True, capture_output=True)
            page.goto(f"{base}plan.html", wait_until="networkidle")
            plan = page.screenshot(type="png")
            context.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(small_png(png))
    others = args.out.with_name("report-standing.png"), args.out.with_name("plan.png")
    for path, image in zip(others, (standing, plan)):
        path.write_bytes(small_png(image))
    for path in (args.csv, args.out, *others):
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        print(f"{shown}: {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
