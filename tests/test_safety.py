"""A build that fails or is interrupted leaves the previous output exactly as it was; dangerous outputs are refused."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
import weakref
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_project, make_project, terminal_signals
from test_build import SECOND, snapshot

from kitgen.commands.cli import main

pytestmark = pytest.mark.slow


def kitgen(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "kitgen", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=terminal_signals)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("safety") / "kit")
    for i in range(6):  # enough documents that an interruption lands mid-build
        project.write(f"content/partners/doctor-{i}.yaml", SECOND.replace("Omar Haddad", f"Doctor {i}"))
    assert CliRunner().invoke(main, ["build", "--project", str(project.root), "-q", "-j", "1"]).exit_code == 0
    return project


@pytest.fixture
def built(built_once, tmp_path):
    """The built kit, a copy per test (built once per module)."""
    return copy_project(built_once, tmp_path)


def leftovers(project) -> list[str]:
    return [p.name for p in project.root.iterdir() if "kitgen-" in p.name]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_the_previous_output_untouched(built, sig):
    """...and kitgen ends by the signal, as a shell expects ($? 130 for Ctrl-C, 143 for SIGTERM)."""
    before = snapshot(built.out)
    text = (built.root / "content/practice.yaml").read_text(encoding="utf-8")
    built.write("content/practice.yaml", text.replace("Aetna", "Aetna Better Health"))
    proc = kitgen("build", "--project", str(built.root), "-j", "2")
    deadline = time.monotonic() + 20
    while not any(built.root.glob(".output.kitgen-new*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)  # well inside the PDF rendering
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == -sig, err
    said = [line for line in err.strip().splitlines() if not line.endswith(" files rendered")]  # progress: fine
    assert said == ["kitgen: interrupted; the previous output is unchanged"]
    assert snapshot(built.out) == before
    assert leftovers(built) == []


def test_a_ctrl_c_that_python_loses_still_stops_the_swap(project, monkeypatch):
    """CPython ignores an exception raised in a weakref callback (importlib frees its module locks through one):
    a Ctrl-C landing there is lost. kitgen noted it, and the build's swap refuses to go ahead."""
    from kitgen import stopping
    from kitgen.pipeline.pipeline import build

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    lost: list = []
    monkeypatch.setattr(sys, "unraisablehook", lost.append)
    stopping.listen()
    try:
        class Lock:
            pass
        lock = Lock()
        gone = weakref.ref(lock, lambda _: os.kill(os.getpid(), signal.SIGINT))  # noqa: F841  the callback's owner
        del lock
        gc.collect()
        assert [type(u.exc_value) for u in lost] == [KeyboardInterrupt]  # ignored: Python goes on
        with pytest.raises(KeyboardInterrupt):
            build(project.root, formats={"html"})
    finally:
        stopping.listen()  # forget the request
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert not project.out.exists()
    assert leftovers(project) == []


def test_a_crash_while_rendering_leaves_the_previous_output_untouched(built):
    before = snapshot(built.out)
    theme = built.root / "themes/default/templates"
    theme.mkdir(parents=True)
    (theme / "cards.html").write_text("{{ no_such_variable.at_all }}", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(built.root), "-j", "1"])
    assert result.exit_code == 1
    assert result.output == ("themes/default/templates/cards.html:1: theme: template error: 'no_such_variable' is "
                             "undefined\nkitgen: 1 error; nothing was written\n")  # a project template's: located
    assert snapshot(built.out) == before
    assert leftovers(built) == []


def test_a_killed_build_is_cleaned_up_by_the_next_one(built):
    """kill -9 leaves the staging folder behind; the next build removes it and carries on."""
    text = (built.root / "content/practice.yaml").read_text(encoding="utf-8")
    built.write("content/practice.yaml", text.replace("Aetna", "Aetna Better Health"))
    proc = kitgen("build", "--project", str(built.root), "-j", "1")
    deadline = time.monotonic() + 20
    while not any(built.root.glob(".output.kitgen-new*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.kill()
    proc.communicate()
    assert CliRunner().invoke(main, ["build", "--project", str(built.root), "-q"]).exit_code == 0
    assert leftovers(built) == []
    assert b"Aetna Better Health" in (built.out / "site/jane-smith/index.html").read_bytes()


@pytest.mark.parametrize("where, reason", [
    (".", "the project folder itself"),
    ("content", "it is content/"),
    ("content/out", "it is inside content/"),
    ("themes", "it is themes/"),
    ("..", "it holds content/"),
])
def test_dangerous_output_folders_are_refused(project, where, reason):
    out = (project.root / where).resolve()
    before = sorted(p for p in project.root.parent.rglob("*"))
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{out}: --out: refusing to build here: {reason}" in result.output
    assert sorted(p for p in project.root.parent.rglob("*")) == before


def test_home_and_root_are_refused(project):
    for out in (Path.home(), Path("/")):
        result = CliRunner().invoke(main, ["build", "--project", str(project.root), "--out", str(out)])
        assert result.exit_code == 1 and "refusing to build here" in result.output


def test_usage_errors_exit_2(project):
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "--shard", "5/3"])
    assert result.exit_code == 2
    assert CliRunner().invoke(main, ["frobnicate"]).exit_code == 2
