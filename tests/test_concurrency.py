"""One build at a time per output folder: a second build waits for the first (or says who holds the folder), and
two overlapping builds end with exactly what one clean build of the final content makes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import terminal_signals
from test_build import SECOND

from kitgen.pipeline.lock import OutputLock, lock_path
from kitgen.pipeline.pipeline import build


def kitgen(*args: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kitgen", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=terminal_signals, env=dict(os.environ, **env))


def contents(out: Path) -> dict[str, str]:
    """Every file's content hash (not its mtime), kitgen's state record aside (it holds mtimes)."""
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".kitgen-state.json"}


def test_two_overlapping_builds_with_an_edit_between_them_equal_one_clean_build(project, tmp_path):
    """Defect 5: two builds shared one staging folder; one failed with FileNotFoundError (claiming the output was
    unchanged), or the output mixed both versions."""
    for i in range(2):  # enough PDFs (about 6 s of them) that the first build still renders when the second starts
        project.write(f"content/partners/doctor-{i}.yaml", SECOND.replace("Omar Haddad", f"Doctor {i}"))
    first = kitgen("build", "--project", str(project.root), "-q", "-j", "1")
    deadline = time.monotonic() + 30
    while not any(project.root.glob(".output.kitgen-new*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.poll() is None, "the first build is still running"
    practice = project.root / "content/practice.yaml"
    practice.write_text(practice.read_text(encoding="utf-8").replace("Aetna", "Aetna Better Health"),
                        encoding="utf-8")
    second = kitgen("build", "--project", str(project.root), "-q", "-j", "1")
    _out1, err1 = first.communicate(timeout=300)
    _out2, err2 = second.communicate(timeout=300)
    assert (first.returncode, second.returncode) == (0, 0), err1 + err2
    assert "kitgen: waiting for process " in err2
    build(project.root, tmp_path / "clean", jobs=1)
    assert contents(project.out) == contents(tmp_path / "clean")
    assert b"Aetna Better Health" in (project.out / "site/jane-smith/index.html").read_bytes()
    assert [p.name for p in project.root.iterdir() if "kitgen-" in p.name] == []


def test_a_second_build_says_who_holds_the_output(project):
    with OutputLock(project.out):
        waiting = kitgen("build", "--project", str(project.root), "-j", "1", KITGEN_LOCK_WAIT="0.5")
        _out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 1
    assert f"{project.out}: output: is being built by process {os.getpid()} (kitgen); wait for it to finish" in err
    assert not project.out.exists()


def test_a_lock_left_by_a_killed_build_is_stale_and_taken_over(project):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock_path(project.out).write_text(f"{dead.stdout.strip()} kitgen build\n", encoding="utf-8")
    result = kitgen("build", "--project", str(project.root), "-q", "-j", "1", KITGEN_LOCK_WAIT="0")
    _out, err = result.communicate(timeout=120)
    assert result.returncode == 0, err
    assert not lock_path(project.out).exists()
    assert (project.out / "site/jane-smith/index.html").is_file()


def test_a_link_to_the_output_shares_its_lock(project, tmp_path):
    project.out.mkdir()
    (tmp_path / "www").symlink_to(project.out)
    assert lock_path(tmp_path / "www") == lock_path(project.out)


def test_a_build_leaves_no_temporary_folders(project, tmp_path):
    """Defect 8: every PDF worker left a ~624 KB weasyprint-* folder in $TMPDIR (46 MB after 2,000 partners)."""
    for i in range(3):
        project.write(f"content/partners/doctor-{i}.yaml", SECOND.replace("Omar Haddad", f"Doctor {i}"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = kitgen("build", "--project", str(project.root), "-q", "-j", "2", TMPDIR=str(scratch))
    _out, err = result.communicate(timeout=300)
    assert result.returncode == 0, err
    assert sorted(p.name for p in scratch.iterdir()) == []
    assert [p.name for p in project.out.rglob("*kitgen-scratch*")] == []
    assert (project.out / "site/doctor-2/one-pager.pdf").is_file()
