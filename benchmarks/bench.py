"""Build-speed benchmark: kitgen against bare WeasyPrint on the very same documents, in one run.

    python benchmarks/bench.py [--partners 200] [--work DIR]

Generates a kit of N partners from the example content, then measures, on this machine: the bare floor (kitgen's
own HTML for every PDF, written by WeasyPrint in one process, serially, with one font configuration and the
stylesheet parsed once: WeasyPrint used well, with nothing of kitgen around it), kitgen's full build with 1 job
and with all cores, a no-op rebuild, a rebuild after editing one partner, `kitgen --help`, and the peak memory of
a build (all its processes together) at N/4 and N partners; every build runs with its own empty TMPDIR, which
must be empty again at the end. Prints figures and ratios.

For the build on all cores, bare WeasyPrint is also timed on as many forked processes, doing the same
layouts, just before and after that build: what the cores give WeasyPrint at best, the like-for-like floor.

This machine's speed drifts by a tenth within minutes, so the floor is not measured once and compared with
builds run minutes later: it is measured on a quarter of the partners (every fourth group of four, so each
example partner is in it equally) before, between and after the two full builds, scaled to all the documents,
and each build is compared with the mean of the two floors measured just before and just after it.
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
from typing import Any

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
    """Wall time and the peak of the summed RSS of a command and all its descendants (sampled every 50 ms)."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(TMP)})
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

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
    """Summed VmRSS in KiB of `root` and its descendants, from /proc: the tree alone is read (each thread's
    children file), not every process of the machine, so the sampler takes little of the CPU the build uses."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in os.listdir(f"/proc/{pid}/task"):
                todo += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:  # it ended meanwhile
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total


class Floor:
    """Bare WeasyPrint on kitgen's own PDF documents: their HTML made once, then timed on a sample of partners."""

    def __init__(self, kit_root: Path, out: Path):
        sys.path.insert(0, str(REPO))
        from kitgen.content.load import load_kit
        from kitgen.kinds import KINDS
        from kitgen.pipeline.pipeline import build
        from kitgen.pipeline.plan import path_of
        from kitgen.render import html as render
        from kitgen.render.themes import Theme

        build(kit_root, out, formats={"code"})  # the files the documents embed (QR codes, fonts), no PDF
        kit, _ = load_kit(kit_root)
        theme = Theme(kit_root, kit.config.theme)
        kinds = [k for k in KINDS if k.format == "pdf" and k.per_partner]
        self.documents = [(p, kind, variant, render.render_partner(kit, theme, kind, p, variant=variant),
                           out / path_of(kit, kind, p, variant))
                          for p in kit.partners for kind in kinds if not kind.needs_talk or kit.talk_for(p)
                          for variant in kind.variants(kit, p)]
        self.html = lambda kind, partner, density, variant: render.render_partner(kit, theme, kind, partner,
                                                                                 density, variant)
        css_text = render.render_print_css(kit, theme)
        start = time.perf_counter()
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        self.imported = time.perf_counter() - start
        self.weasyprint, self.fonts = weasyprint, FontConfiguration()
        self.css = weasyprint.CSS(string=css_text, base_url=(out / "site/assets/print.css").as_uri(),
                                  font_config=self.fonts)
        self.per_partner: dict[str, float] = {}
        _, kind, _, html, target = self.documents[0]  # the fonts loaded before anything is timed
        self._lay_out(html, target, kind).write_pdf(pdf_tags=True, pdf_forms=kind.forms)

    def _lay_out(self, html: str, target: Path, kind: Any) -> Any:
        return self.weasyprint.HTML(string=html, base_url=target.with_name("index.html").as_uri()).render(
            stylesheets=[self.css], font_config=self.fonts, pdf_forms=kind.forms)

    def _further_layouts(self, document: Any, partner: Any, kind: Any, variant: str, target: Path) -> float:
        """Seconds bare WeasyPrint takes for the layouts kitgen's rules add after `document` (the normal one)."""
        from kitgen.render import balance
        took = 0.0

        def again(density: str) -> Any:
            nonlocal took
            if density == "normal":
                return document
            page = self.html(kind, partner, density, variant)
            start = time.perf_counter()
            laid_out = self._lay_out(page, target, kind)
            took += time.perf_counter() - start
            return laid_out
        if kind.balanced:
            balance.lay_out(again, kind.max_pages)
        elif kind.max_pages and len(document.pages) > kind.max_pages:
            again("compact")
        return took

    def render(self, partner: Any, kind: Any, variant: str, html: str, target: Path) -> tuple[float, float]:
        """One document laid out once and written, then the further layouts kitgen's page-fit rules ask for:
        the seconds of each."""
        start = time.perf_counter()
        document = self._lay_out(html, target, kind)
        document.write_pdf(pdf_tags=True, pdf_forms=kind.forms)
        took = time.perf_counter() - start
        return took, self._further_layouts(document, partner, kind, variant, target)

    def measure(self, sample: set[str]) -> tuple[float, float]:
        """Seconds for every document (one layout each, written), estimated from the documents of the `sample`
        partners; and the seconds of the further layouts kitgen's page-fit rules ask for (a handout that spills
        a little is laid out condensed, then balanced over two pages; a one-page document that spills, condensed),
        timed apart: bare WeasyPrint doing the layouts kitgen does. Their HTML is made outside the time."""
        plain = extra = 0.0
        timed = 0
        for document in self.documents:
            partner = document[0]
            if partner.slug not in sample:
                continue
            took, further = self.render(*document)
            plain += took
            extra += further
            self.per_partner[partner.slug] = self.per_partner.get(partner.slug, 0.0) + took
            timed += 1
        scale = len(self.documents) / timed
        return plain * scale, extra * scale


_FLOOR: Floor | None = None  # the floor a forked process renders from (set before the fork)


def _one(index: int) -> None:
    """One document and the further layouts the page-fit rules ask for, in a forked process."""
    assert _FLOOR is not None
    _FLOOR.render(*_FLOOR.documents[index])


def parallel_floor(floor: Floor, sample: set[str], processes: int) -> float:
    """Wall seconds for bare WeasyPrint on `processes` cores doing every document and the layouts the page-fit
    rules add, estimated from the `sample` partners: forked processes that inherit the loaded fonts and the
    parsed stylesheet, handed one document at a time (as kitgen's pool is). What this machine's cores give
    WeasyPrint at best, to compare the N-job build with, since layouts share the memory bus and the caches."""
    import multiprocessing
    global _FLOOR
    _FLOOR = floor
    chosen = [i for i, (partner, *_) in enumerate(floor.documents) if partner.slug in sample]
    pool = multiprocessing.get_context("fork").Pool(processes)
    try:
        pool.map(len, [()] * processes * 4, chunksize=1)  # the processes started before the clock does
        start = time.perf_counter()
        for _ in pool.imap_unordered(_one, chosen, chunksize=1):
            pass
        took = time.perf_counter() - start
    finally:
        pool.close()
        pool.join()
    return took * len(floor.documents) / len(chosen)


def sample_of(slugs: list[str]) -> set[str]:
    """Every fourth group of four partners (partner i is made from example i % 4): a quarter, each example alike,
    the edited partner (partner 7) among them."""
    chosen = {slug for i, slug in enumerate(slugs) if (i // 4) % 4 == 1}
    return chosen or set(slugs)


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

    floor = Floor(kit, work / "out-floor")
    sample = sample_of([f"partner-{i:04d}" for i in range(n)])
    measured = [floor.measure(sample)]
    full_1 = run(KITGEN + ["build", "--project", str(kit), "--out", str(out1), "-q", "-j", "1"])
    measured.append(floor.measure(sample))
    parallel = [parallel_floor(floor, sample, cores)]
    full_n, peak_n = peak_rss_mb(KITGEN + ["build", "--project", str(kit), "--out", str(out2), "-q",
                                           "-j", str(cores)])
    parallel.append(parallel_floor(floor, sample, cores))
    measured.append(floor.measure(sample))
    floors = [plain for plain, _ in measured]
    same = [plain + extra for plain, extra in measured]  # the floor doing the layouts kitgen's rules ask for
    floor_1, floor_n = (floors[0] + floors[1]) / 2, (floors[1] + floors[2]) / 2
    same_1, same_n = (same[0] + same[1]) / 2, (same[1] + same[2]) / 2
    parallel_n = sum(parallel) / len(parallel)
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
    victim_floor = floor.per_partner[victim] / len(measured) if victim in sample else floor_1 / n
    one_target = floor.imported + 1.5 * victim_floor + 0.3
    docs = len(list(out1.rglob("*.pdf")))
    left = sorted(p.name for p in TMP.iterdir())

    def row(label, value, note=""):
        print(f"{label:<44} {value:>10} {note}")

    print(f"kitgen benchmark: {n} partners, {docs} PDFs, {cores} cores, Python {sys.version.split()[0]}, "
          f"{os.uname().machine}")
    row("import weasyprint", f"{floor.imported:.2f} s")
    row("bare WeasyPrint floor (same documents)", f"{sum(floors) / 3:.2f} s",
        f"({1000 * sum(floors) / 3 / docs:.0f} ms per PDF; before, between, after the builds: "
        f"{floors[0]:.1f}, {floors[1]:.1f}, {floors[2]:.1f} s, from {len(sample)} of {n} partners)")
    row("...and the layouts the page-fit rules add", f"{sum(same) / 3:.2f} s",
        f"(+{100 * (sum(same) / sum(floors) - 1):.1f}%: handouts condensed, then balanced; bare WeasyPrint)")
    row(f"...the same on {cores} processes", f"{parallel_n:.2f} s",
        f"= {parallel_n / same_n:.2f} x on one (just before and after the {cores}-job build: "
        f"{parallel[0]:.1f}, {parallel[1]:.1f} s)")
    row("kitgen full build, 1 job", f"{full_1:.2f} s", f"= {full_1 / floor_1:.2f} x the floor around it "
        f"(target <= 1.10); {full_1 / same_1:.2f} x with the same layouts")
    row(f"kitgen full build, {cores} jobs", f"{full_n:.2f} s", f"= {full_n / floor_n:.2f} x the floor around it "
        f"(target <= 0.60); {full_n / same_n:.2f} x with the same layouts; {full_n / parallel_n:.2f} x "
        f"bare WeasyPrint doing them on {cores} processes")
    row("no-op rebuild", f"{noop:.2f} s", f"= {100 * noop / full_n:.1f}% of a full build (targets <= 0.5 s, <= 2%)")
    row("one partner edited", f"{one:.2f} s", f"(target <= {one_target:.2f} s = import + 1.5 x "
        f"{victim_floor:.2f} s + 0.3 s)")
    row("kitgen --help (median of 5)", f"{helps[2]:.3f} s", "(target <= 0.25 s)")
    row(f"peak memory, {cores} jobs, {n} partners", f"{peak_n:.0f} MB", "(target <= 400 MB)")
    row(f"peak memory, {cores} jobs, {max(1, n // 4)} partners", f"{peak_small:.0f} MB",
        f"(ratio {peak_n / peak_small:.2f} for {n / max(1, n // 4):.0f}x the partners)")
    row("left in TMPDIR after all the builds", f"{len(left)}", f"{left[:3]} (target: 0)")


if __name__ == "__main__":
    main()
