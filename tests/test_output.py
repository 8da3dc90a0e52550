"""The output folder holds what kitgen wrote and whatever else the user put there: a build killed mid-swap is
recovered before anything reads the output, a report waits for a build instead of being swapped away, a file
copied in during a build survives its swap, a mount point can be an output, identical bytes keep their mtime, and
`kitgen report` writes all its files or none and reads only a regular file."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_project, make_project, terminal_signals
from test_build import SECOND

from kitgen.pipeline.lock import OutputLock
from kitgen.pipeline.pipeline import build

pytestmark = pytest.mark.slow

REFERRALS = "referred_on,source\n2026-01-05,jane-smith\n2026-02-10,Psychology Today\n"


def kitgen(*args: str, preexec=terminal_signals, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kitgen", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=preexec, env=dict(os.environ, **env))


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """Two partners, built: Jane Smith and Omar Haddad."""
    project = make_project(tmp_path_factory.mktemp("output") / "kit")
    project.write("content/partners/omar-haddad.yaml", SECOND)
    build(project.root, jobs=1)
    return project


@pytest.fixture
def built(built_once, tmp_path):
    return copy_project(built_once, tmp_path)


def published(out: Path) -> set[str]:
    """The partners with a folder in site/ (the others are site-wide: assets/, media/...)."""
    return {p.name for p in (out / "site").iterdir() if (p / "index.html").is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if "kitgen-" in p.name and p.name != ".kitgen-state.json")


# --- a build killed between the swap's two renames ----------------------------------------------------------------

def test_a_build_killed_between_the_two_renames_is_recovered_before_the_state_is_read(built):
    """Medium 5: the next build read the state file of a missing output (nothing), then put the old output back:
    the removed partner's pages stayed published for good."""
    built.remove("content/partners/omar-haddad.yaml")
    staged = built.root / ".output.kitgen-new-99999-0badf00d"  # the new output, complete, not yet renamed in
    shutil.copytree(built.out, staged, copy_function=os.link)
    (staged / ".kitgen-staging").touch()
    os.rename(built.out, built.root / ".output.kitgen-old-99999-0badf00d")  # the first rename, then the crash
    result = build(built.root, jobs=1)
    assert published(built.out) == {"jane-smith"}
    assert "site/omar-haddad/index.html" in result.removed
    assert not (built.out / "desk/omar-haddad").exists()
    assert b"omar-haddad" not in (built.out / "manifest.json").read_bytes()
    assert [p.name for p in built.root.iterdir() if "kitgen-" in p.name] == []
    assert build(built.root, jobs=1).written == []  # and the record now says so


# --- the lock: report, and what the user adds during a build -------------------------------------------------------

def test_a_report_waits_for_the_build_holding_the_output_then_writes(project, tmp_path):
    """Medium 7: `kitgen report` took no lock, so a report written during a build was swapped away after it said
    "wrote ...". It now waits, saying for whom, as a second build does."""
    (tmp_path / "r.csv").write_text(REFERRALS, encoding="utf-8")
    said = tmp_path / "stderr"
    with OutputLock(project.out), said.open("w") as err:
        waiting = subprocess.Popen([sys.executable, "-m", "kitgen", "report", str(tmp_path / "r.csv"), "--project",
                                    str(project.root)], stdout=subprocess.PIPE, stderr=err, text=True)
        deadline = time.monotonic() + 60
        while "kitgen: waiting for" not in said.read_text(encoding="utf-8") and waiting.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        assert not (project.out / "desk/report.csv").exists(), "written while the output was locked"
        assert waiting.poll() is None
    out, _ = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, said.read_text(encoding="utf-8")
    assert f"kitgen: waiting for process {os.getpid()} (kitgen) to finish with {project.out}" in \
        said.read_text(encoding="utf-8")
    assert "wrote" in out and (project.out / "desk/report.csv").is_file()


def test_a_report_refused_after_the_wait_writes_nothing_and_names_the_holder(project, tmp_path):
    (tmp_path / "r.csv").write_text(REFERRALS, encoding="utf-8")
    with OutputLock(project.out):
        waiting = kitgen("report", str(tmp_path / "r.csv"), "--project", str(project.root), KITGEN_LOCK_WAIT="0.2")
        _out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 1
    assert f"{project.out}: output: is being built by process {os.getpid()} (kitgen); wait for it to finish" in err
    assert not (project.out / "desk").exists()


def test_a_file_copied_into_the_output_during_a_build_is_kept_at_the_swap(built):
    """Medium 7: a CNAME copied in while a build ran went with the retired folder."""
    text = (built.root / "content/practice.yaml").read_text(encoding="utf-8")
    built.write("content/practice.yaml", text.replace("Aetna", "Aetna Better Health"))
    (built.out / "site/old-notes.txt").write_text("mine", encoding="utf-8")  # the user's, before the build
    running = kitgen("build", "--project", str(built.root), "-q", "-j", "1")
    deadline = time.monotonic() + 60
    while not any(built.root.glob(".output.kitgen-new*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the staging folder is cloned: rendering now
    assert running.poll() is None, "the build is still running"
    (built.out / "site/CNAME").write_text("refer.example.org\n", encoding="utf-8")
    (built.out / "site/notes").mkdir()
    (built.out / "site/notes/plan.txt").write_text("lunch on Friday", encoding="utf-8")
    (built.out / "site/old-notes.txt").unlink()  # and one removed by hand
    _out, err = running.communicate(timeout=300)
    assert running.returncode == 0, err
    assert (built.out / "site/CNAME").read_text(encoding="utf-8") == "refer.example.org\n"
    assert (built.out / "site/notes/plan.txt").read_text(encoding="utf-8") == "lunch on Friday"
    assert not (built.out / "site/old-notes.txt").exists()
    assert b"Aetna Better Health" in (built.out / "site/jane-smith/index.html").read_bytes()
    assert leftovers(built.root) == []


# --- an output folder that is a mount point ------------------------------------------------------------------------

def _namespace(tmp_path: Path) -> list[str] | None:
    """The command that opens a private mount namespace in which a folder can be bind-mounted (nothing outside it
    sees the mount): `unshare -m` as root (CI runs as root), else `unshare -rm` (a user namespace, where the
    kernel allows unprivileged ones); None when neither is allowed here."""
    if not shutil.which("unshare") or not shutil.which("mount"):
        return None
    probe = tmp_path / "probe"
    probe.mkdir()
    try:
        for command in (["unshare", "-m"], ["unshare", "-rm"]):
            done = subprocess.run([*command, "sh", "-c", f"mount --bind '{probe}' '{probe}'"], capture_output=True)
            if done.returncode == 0:
                return command
        return None
    finally:
        probe.rmdir()


def test_an_output_folder_that_is_a_mount_point_is_built_by_swapping_its_contents(built, tmp_path):
    """Low: renaming a mount point fails with EBUSY, so every build into one failed. The output is bind-mounted
    onto itself inside a private mount namespace (nothing outside the test sees it, and the mount ends with the
    build); the build runs in there."""
    namespace = _namespace(tmp_path)
    if namespace is None:
        pytest.skip("no private mount namespace here (unshare -m and -rm with mount --bind are refused)")
    built.remove("content/partners/omar-haddad.yaml")
    (built.out / "CNAME").write_text("refer.example.org\n", encoding="utf-8")
    out = built.out
    script = (f"mount --bind '{out}' '{out}' && grep -q ' {out} ' /proc/self/mountinfo && "
              f"exec '{sys.executable}' -m kitgen build --project '{built.root}' -q -j 1")
    done = subprocess.run([*namespace, "sh", "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert published(out) == {"jane-smith"}
    assert (out / "CNAME").read_text(encoding="utf-8") == "refer.example.org\n"
    assert leftovers(built.root) == []


def test_a_mounted_output_whose_swap_was_cut_short_is_finished_or_undone(built):
    """What `_swap_contents` leaves at each point of a crash: before its marks say the old output is all out, the
    old output goes back; after, the new one goes in. (Plain folders here: recovery needs no mount.)"""
    before = {p.relative_to(built.out).as_posix() for p in built.out.rglob("*")}
    root = built.out
    old, new = root / ".kitgen-old-1-aa", root / ".kitgen-new-1-aa"
    new.mkdir()
    (new / ".kitgen-staging").touch()
    (new / "site").mkdir()
    (new / "site/new.html").write_text("new", encoding="utf-8")
    old.mkdir()
    (old / ".kitgen-retired").touch()
    os.rename(root / "site", old / "site")  # killed while moving the old output out
    build(built.root, jobs=1)  # recovers first: the old output back, the staged one gone
    assert {p.relative_to(root).as_posix() for p in root.rglob("*")} == before
    for name in ("manifest.json", "site", "desk"):  # now killed once all was out, while moving the new one in
        os.rename(root / name, root / f"moved-{name}")
    new.mkdir()
    (new / ".kitgen-staging").touch()
    old.mkdir()
    (old / ".kitgen-retired").touch()
    (old / ".kitgen-moved-out").touch()
    for name in ("manifest.json", "site", "desk"):
        os.rename(root / f"moved-{name}", new / name)
    os.rename(new / "manifest.json", root / "manifest.json")  # one entry made it in
    build(built.root, jobs=1)
    assert {p.relative_to(root).as_posix() for p in root.rglob("*")} == before
    assert leftovers(built.root) == []


# --- identical bytes -----------------------------------------------------------------------------------------------

def test_a_file_rendered_again_with_the_same_bytes_keeps_its_mtime(built):
    """Low: desk/followups.ics was rewritten, same bytes, whenever one partner changed: its mtime moved and deploy
    tools uploaded it again. The same holds for every file kitgen renders."""
    ics = built.out / "desk/followups.ics"
    vcf = built.out / "site/referrals.vcf"
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (ics, vcf)}
    text = (built.root / "content/partners/omar-haddad.yaml").read_text(encoding="utf-8")
    built.write("content/partners/omar-haddad.yaml", text + "note: Met at the county fair.\n")
    result = build(built.root, jobs=1)
    assert {"desk/followups.ics"} <= set(result.written), "made again: it is made from every partner"
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (ics, vcf)} == before
    assert build(built.root, jobs=1).written == [], "the record holds the kept mtime"


# --- report: all files or none, a regular file only ----------------------------------------------------------------

def test_a_report_that_cannot_write_every_file_replaces_none_and_says_so(project, tmp_path):
    """Low: on a full disk report.csv was replaced, then "nothing was written". A file-size limit (RLIMIT_FSIZE)
    stands in for the full disk: report.csv fits, report.html does not."""
    (tmp_path / "r.csv").write_text(REFERRALS, encoding="utf-8")
    first = kitgen("report", str(tmp_path / "r.csv"), "--project", str(project.root))
    assert first.communicate(timeout=120)[1] == "" and first.returncode == 0
    desk = project.out / "desk"
    before = {p.name: p.read_bytes() for p in desk.iterdir()}
    assert len(before["report.csv"]) < 4096 < len(before["report.html"])
    (tmp_path / "r.csv").write_text(REFERRALS + "2026-03-01,jane-smith\n", encoding="utf-8")

    def full_disk() -> None:
        terminal_signals()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    second = kitgen("report", str(tmp_path / "r.csv"), "--project", str(project.root), preexec=full_disk)
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 1
    assert f"{desk}/report.html: report: cannot be written (File too large); nothing was written, the previous " \
        "report is as it was" in err, err
    assert {p.name: p.read_bytes() for p in desk.iterdir()} == before


@pytest.mark.parametrize("what", ["device", "fifo"])
def test_report_reads_a_regular_file_only(project, tmp_path, what):
    """Low: `kitgen report /dev/zero` read until MemoryError (a FIFO with no writer waited for ever)."""
    if what == "fifo":
        source = tmp_path / "referrals.csv"
        os.mkfifo(source)
    else:
        source = Path("/dev/zero")

    def little_memory() -> None:  # the old code's read ends in a MemoryError, not in the machine's swap
        terminal_signals()
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    proc = kitgen("report", str(source), "--project", str(project.root), preexec=little_memory)
    try:
        _out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1
    assert f"{source}: file: is not a regular file (a device, a pipe or a folder); export the referrals to a CSV " \
        "file and give its path" in err, err
    assert not (project.out / "desk").exists()

