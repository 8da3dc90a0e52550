"""`kitgen report` speed: a 20,000-row referrals CSV for the example kit, reported (HTML, PDF and CSV) end to end.

    python benchmarks/report_bench.py [--rows 20000] [--runs 3] [--work DIR]

Writes a CSV of made-up referrals (the example partners written the ways staff write them, other sources, blanks,
referrals never booked) spread over three years, then times `python -m kitgen report FILE.csv` as a user runs it,
interpreter start included, `--runs` times, and prints each run's wall-clock and CPU time, the best and the
median. The goal (issue 15): under 3 s on the development machine. On a shared machine, the CPU time and the
load average printed with it say how much of the wall-clock time was waiting for a core.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = datetime.date(2026, 11, 20)
SOURCES = ["jane-smith", "Dr. Jane Smith", "JANE SMITH, MD", "Smith Jane", "tomas-alvarez", "Dr Tomas Alvarez",
           "Tomás Álvarez (McKenzie Valley)", "Helen Zhou DO", "helen-zhou", "Psychology Today", "Google",
           "self-referred", "Friend", "EAP", "", "Dr. Grace Okafor, MD, FAAP", "school counselor"]


def write_csv(path: Path, rows: int, seed: int = 15) -> None:
    rng = random.Random(seed)
    start = TODAY - datetime.timedelta(days=3 * 365)
    lines = ["referred_on,source,first_session_on,sessions,status"]
    for _ in range(rows):
        referred = start + datetime.timedelta(days=rng.randrange((TODAY - start).days))
        source = rng.choice(SOURCES)
        booked = rng.random() < 0.7 and referred + datetime.timedelta(days=30) <= TODAY
        first = referred + datetime.timedelta(days=rng.randrange(1, 30)) if booked else None
        sessions = str(rng.randrange(1, 25)) if booked else ""
        status = rng.choice(["active", "discharged", ""]) if booked else ""
        quoted = f'"{source}"' if "," in source else source
        lines.append(f"{referred},{quoted},{first or ''},{sessions},{status}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, help="keep the CSV and the report here (default: a temporary folder)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = a.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        csv_file = work / "referrals.csv"
        write_csv(csv_file, a.rows)
        env = {**os.environ, "KITGEN_TODAY": TODAY.isoformat()}
        command = [sys.executable, "-m", "kitgen", "report", str(csv_file), "--project", str(REPO),
                   "--out", str(work / "output")]
        times, cpu = [], []
        for run in range(a.runs):
            started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode:
                print(done.stderr, file=sys.stderr)
                return 1
            print(f"run {run + 1}: {times[-1]:.2f} s wall, {cpu[-1]:.2f} s CPU")
        pdf = work / "output/desk/report.pdf"
        print(f"{a.rows} rows, {csv_file.stat().st_size // 1024} KiB CSV -> report.pdf "
              f"{pdf.stat().st_size // 1024} KiB: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
              f"wall (goal: under 3 s); CPU best {min(cpu):.2f} s; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
