"""`kitgen prospect` reading speed: a generated NPPES file with the real 330-column header, read four ways.

    python benchmarks/prospect_bench.py [--size-mb 1024] [--work DIR] [--readers kitgen,csv,pyarrow,duckdb]

Writes npidata_pfile_bench.csv (rows shaped like the real file: ~1.1 KB each, every field quoted, most empty,
ZIP codes spread over the country so ~0.3% fall in the 974 area), then, each in a fresh process, finds the
family physicians in 974xx with:
  kitgen   kitgen.prospect.registers.scan: 16 MB blocks, bytes.find for the ZIP prefix, csv only on those lines
  csv      the csv module on every row (streaming)
  pyarrow  pyarrow.csv.open_csv, streaming record batches of the needed columns (if pyarrow is installed)
  duckdb   DuckDB's read_csv with the filter in SQL (if duckdb is installed)
and prints MB/s (file size / wall-clock), CPU seconds, peak memory (ru_maxrss) and the load average, since the
machine may be shared. Goal (issue 27): the full ~10 GB file in under two minutes (>= 85 MB/s), under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

ZIP = "Provider Business Practice Location Address Postal Code"
TAXONOMY = "Healthcare Provider Taxonomy Code_1"


def generate(path: Path, size_mb: int, seed: int = 27) -> int:
    from registerfiles import NPPES, nppes_row, quoted  # tests/registerfiles.py: the real header
    rng = random.Random(seed)
    codes = ["207Q00000X", "207R00000X", "208000000X", "363LF0000X", "225100000X", "122300000X", "207RC0000X"]
    target, written, rows = size_mb << 20, 0, 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(quoted([NPPES]))
        while written < target:
            batch = []
            for _ in range(1000):
                zip5 = f"974{rng.randrange(100):02d}" if rng.random() < 0.003 else f"{rng.randrange(1000, 99999):05d}"
                row = nppes_row(f"{rng.randrange(10**9, 2 * 10**9)}", last="SMITH" * rng.randrange(1, 3),
                                first="JANE", cred="MD", street=f"{rng.randrange(1, 9999)} MAIN ST SUITE 100",
                                city="SPRINGFIELD", state="OR", postal=zip5 + "1234", phone="5415550100",
                                fax="5415550101", taxonomy=rng.choice(codes))
                for k in range(1, 5):  # the other identifiers and licences real rows carry
                    row[NPPES.index(f"Other Provider Identifier_{k}")] = f"{rng.randrange(10**8)}"
                    row[NPPES.index(f"Other Provider Identifier Type Code_{k}")] = "05"
                    row[NPPES.index(f"Provider License Number_{k}")] = f"MD{rng.randrange(10**6)}"
                    row[NPPES.index(f"Healthcare Provider Taxonomy Group_{k}")] = ""
                row[NPPES.index("Authorized Official Last Name")] = "OFFICIAL" if rng.random() < 0.2 else ""
                batch.append(row)
            text = quoted(batch)
            f.write(text)
            written += len(text.encode())
            rows += len(batch)
    return rows


def run_kitgen(path: Path) -> int:
    from kitgen.prospect import registers, specialties
    from kitgen.prospect.near import parse
    area, _, _ = parse("974", None)
    assert area is not None
    kind, header = registers.kind_of(path)
    return len(registers.scan(path, kind, header, area, [specialties.SPECIALTIES["family-medicine"]], set(), {}))


def run_csv(path: Path) -> int:
    import csv
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        z, t = header.index(ZIP), header.index(TAXONOMY)
        return sum(1 for row in reader if row[z].startswith("974") and row[t].startswith("207Q"))


def run_pyarrow(path: Path) -> int:
    import pyarrow.compute as pc
    from pyarrow import csv as pacsv
    from registerfiles import NPPES
    reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=16 << 20),
                            convert_options=pacsv.ConvertOptions(include_columns=[ZIP, TAXONOMY],
                                                                 column_types=dict.fromkeys(NPPES, "string")))
    found = 0
    for batch in reader:
        mask = pc.and_(pc.starts_with(batch.column(0), "974"), pc.starts_with(batch.column(1), "207Q"))
        found += pc.sum(mask).as_py() or 0
    return found


def run_duckdb(path: Path) -> int:
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads=2")
    return con.execute(f"SELECT count(*) FROM read_csv('{path}', all_varchar=true, header=true) "
                       f"WHERE \"{ZIP}\" LIKE '974%' AND \"{TAXONOMY}\" LIKE '207Q%'").fetchone()[0]


def child(reader: str, path: Path) -> None:
    import resource
    start, cpu = time.perf_counter(), time.process_time()
    found = globals()[f"run_{reader}"](path)
    wall = time.perf_counter() - start
    print(json.dumps({"found": found, "wall": wall, "cpu": time.process_time() - cpu,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--readers", default="kitgen,csv,pyarrow,duckdb")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="kitgen-prospect-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "npidata_pfile_bench.csv"
    if not path.exists() or path.stat().st_size < (args.size_mb << 20):
        start = time.perf_counter()
        rows = generate(path, args.size_mb)
        print(f"generated {path} ({path.stat().st_size / 2**20:.0f} MB, {rows} rows) in "
              f"{time.perf_counter() - start:.0f} s")
    size = path.stat().st_size / 2**20
    for reader in args.readers.split(","):
        load = os.getloadavg()[0]
        out = subprocess.run([sys.executable, __file__, "--child", reader, str(path)], capture_output=True, text=True)
        if out.returncode:
            print(f"{reader:8} failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else '?'}")
            continue
        r = json.loads(out.stdout)
        print(f"{reader:8} {size / r['wall']:7.0f} MB/s  {r['wall']:6.1f} s wall  {r['cpu']:6.1f} s CPU  "
              f"peak {r['peak_mb']:5.0f} MB  found {r['found']}  (load average before: {load:.2f}, "
              f"{os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
