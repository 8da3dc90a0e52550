"""Build-speed benchmark: kitgen against bare WeasyPrint on the very same documents, in one run.

    python benchmarks/bench.py [--partners 200] [--work DIR]

Generates a kit of N partners from the example content, then measures, on this machine, in this order:
the bare floor (kitgen's own HTML for every PDF, written by WeasyPrint in one process, serially, with one font
configuration and the stylesheet parsed once: WeasyPrint used well, with nothing of kitgen around it), kitgen's
full build with 1 job and with all cores, a no-op rebuild, a rebuild after editing one partner, `kitgen --help`,
and the peak memory of a build (all its processes together) at N/4 and N partners; every build runs with its own
empty TMPDIR, which must be empty again at the end. Prints figures and ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KITGEN = [sys.executable, "-m", "kitgen"]


def make_kit(root: Path, partners: int) -> Path:
    """The example project with `partners` partner files made from the example ones."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy2(REPO / "kitgen.yaml", root / "kitgen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    examples = sorted((root / "content/partners").glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in examples]
    for p in examples:
        p.unlink()
    for i in range(partners):
        text = texts[i % len(texts)]
        name = next(line for line in text.splitlines() if line.startswith("name:"))
        text = text.replace(name, f"name: Partner Number{i:04d}", 1)
        (root / f"content/partners/partner-{i:04d}.yaml").write_text(text, encoding="utf-8")
    return root


TMP = Path()  # every command's TMPDIR, set in main(): what the builds leave there is reported


def run(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(TMP)})
    return time.perf_counter() - start


def peak_rss_mb(args: list[str]) -> tuple[float, float]:
    """Wall time and the peak of the summed RSS of a command and all its descendants (sampled every 20 ms)."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(TMP)})
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.02)

    start = time.perf_counter()
    watcher = threading.Thread(target=sample)
    watcher.start()
    proc.wait()
    elapsed = time.perf_counter() - start
    stop.set()
    watcher.join()
    if proc.returncode:
        raise SystemExit(f"build failed: {args}")
    return elapsed, peak / 1024


def _tree_rss(root: int) -> int:
    """Summed VmRSS in KiB of `root` and its descendants, from /proc."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry)] = int(fields.get("PPid", "0"))
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0])
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [p for p, parent in parents.items() if parent == pid and p not in tree]
    return sum(rss.get(p, 0) for p in tree)


def bare_floor(kit_root: Path, out: Path) -> tuple[float, float, dict[str, float]]:
    """Import time, and the time bare WeasyPrint takes for kitgen's own PDF documents (per partner too)."""
    sys.path.insert(0, str(REPO))
    from kitgen.build.plan import path_of
    from kitgen.content.load import load_kit
    from kitgen.documents.kinds import KINDS
    from kitgen.render import html as render
    from kitgen.render.themes import Theme

    kit, _ = load_kit(kit_root)
    theme = Theme(kit_root, kit.config.theme)
    kinds = [k for k in KINDS if k.format == "pdf" and k.per_partner]
    documents = [(p, kind, render.render_partner(kit, theme, kind, p, variant=variant),
                  out / path_of(kit, kind, p, variant))
                 for p in kit.partners for kind in kinds if not kind.needs_talk or kit.talk_for(p)
                 for variant in kind.variants(kit, p)]
    css_text = render.render_print_css(kit, theme)
    start = time.perf_counter()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    imported = time.perf_counter() - start
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=css_text, base_url=(out / "site/assets/print.css").as_uri(), font_config=fonts)
    per_partner: dict[str, float] = {}
    start = time.perf_counter()
    for partner, kind, html, target in documents:
        t = time.perf_counter()
        weasyprint.HTML(string=html, base_url=target.with_name("index.html").as_uri()).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_tags=True, pdf_forms=kind.forms)
        per_partner[partner.slug] = per_partner.get(partner.slug, 0.0) + time.perf_counter() - t
    return imported, time.perf_counter() - start, per_partner


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partners", type=int, default=200)
    ap.add_argument("--work", type=Path, default=REPO / "benchmarks/.work")
    a = ap.parse_args()
    n, work = a.partners, a.work
    cores = os.cpu_count() or 1
    kit = make_kit(work / "kit", n)
    small = make_kit(work / "small", max(1, n // 4))
    out1, out2 = work / "out-1job", work / f"out-{cores}jobs"
    global TMP
    TMP = work / "tmp"
    for d in (out1, out2, work / "out-small", TMP):
        shutil.rmtree(d, ignore_errors=True)
    TMP.mkdir()

    full_1 = run(KITGEN + ["build", "--project", str(kit), "--out", str(out1), "-q", "-j", "1"])
    imported, floor, per_partner = bare_floor(kit, out1)
    full_n, peak_n = peak_rss_mb(KITGEN + ["build", "--project", str(kit), "--out", str(out2), "-q",
                                           "-j", str(cores)])
    noop = run(KITGEN + ["build", "--project", str(kit), "--out", str(out2), "-q"])
    victim = f"partner-{min(7, n - 1):04d}"
    edited = kit / f"content/partners/{victim}.yaml"
    text = edited.read_text(encoding="utf-8")
    name = f"name: Partner Number{victim[-4:]}"
    edited.write_text(text.replace(name, f"{name} Edited"), encoding="utf-8")
    one = run(KITGEN + ["build", "--project", str(kit), "--out", str(out2), "-q"])
    helps = sorted(run(KITGEN + ["--help"]) for _ in range(5))
    _, peak_small = peak_rss_mb(KITGEN + ["build", "--project", str(small), "--out", str(work / "out-small"),
                                          "-q", "-j", str(cores)])
    one_target = imported + 1.5 * per_partner[victim] + 0.3
    docs = len(list(out1.rglob("*.pdf")))
    left = sorted(p.name for p in TMP.iterdir())

    def row(label, value, note=""):
        print(f"{label:<44} {value:>10} {note}")

    print(f"kitgen benchmark: {n} partners, {docs} PDFs, {cores} cores, Python {sys.version.split()[0]}, "
          f"{os.uname().machine}")
    row("import weasyprint", f"{imported:.2f} s")
    row("bare WeasyPrint floor (same documents)", f"{floor:.2f} s", f"({1000 * floor / docs:.0f} ms per PDF)")
    row("kitgen full build, 1 job", f"{full_1:.2f} s", f"= {full_1 / floor:.2f} x floor (target <= 1.10)")
    row(f"kitgen full build, {cores} jobs", f"{full_n:.2f} s", f"= {full_n / floor:.2f} x floor (target <= 0.60)")
    row("no-op rebuild", f"{noop:.2f} s", f"= {100 * noop / full_n:.1f}% of a full build (targets <= 0.5 s, <= 2%)")
    row("one partner edited", f"{one:.2f} s", f"(target <= {one_target:.2f} s = import + 1.5 x "
        f"{per_partner[victim]:.2f} s + 0.3 s)")
    row("kitgen --help (median of 5)", f"{helps[2]:.3f} s", "(target <= 0.25 s)")
    row(f"peak memory, {cores} jobs, {n} partners", f"{peak_n:.0f} MB", "(target <= 400 MB)")
    row(f"peak memory, {cores} jobs, {max(1, n // 4)} partners", f"{peak_small:.0f} MB",
        f"(ratio {peak_n / peak_small:.2f} for {n / max(1, n // 4):.0f}x the partners)")
    row("left in TMPDIR after all the builds", f"{len(left)}", f"{left[:3]} (target: 0)")


if __name__ == "__main__":
    main()
