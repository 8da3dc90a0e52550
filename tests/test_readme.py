"""The README's first hour, run as written: the Quick start's install line in a copy of the repository, then every
command of "Your own kit" in order, in a shell where only the activated venv puts `kitgen` on the PATH.

The one step a person does by hand, filling in the TODOs that the first `kitgen check` lists, is done here by
replacing each listed TODO, so the test also proves that check names every one of them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import terminal_signals

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
FILLED = {  # what a therapist types over each TODO of a new kit
    "name": "Harbor Light Therapy", "contact.phone": '"+1 503-555-0100"',
    "contact.email": "referrals@harborlight.example", "contact.address": '"10 Dock St, Portland, OR 97201"',
    "referral.form_url": "https://intake.harborlight.example/refer",
    "availability.first_appointment_within_days": "7", "insurance[0]": "Aetna",
    "services[0].name": "Anxiety and panic", "services[0].summary": "Skills-based therapy for worry and panic.",
    "base_url": "https://refer.harborlight.example/",
}


def block(after: str) -> list[str]:
    """The command lines of the first ```sh block after `after` in the README, comments dropped."""
    text = README[README.index(after):]
    body = text[text.index("```sh\n") + 6:]
    body = body[:body.index("```")]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in body.splitlines() if line.strip()]


def clean_path() -> str:
    """PATH without any folder that already holds a `kitgen`: only the README's activation may provide it."""
    return os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep)
                           if d and not (Path(d) / "kitgen").exists())


def shell(command: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def fill_todos(project: Path, listed: str) -> None:
    """Replace every TODO that `kitgen check` listed (path:line: field) with a real value, as a person would."""
    found = re.findall(r"^([\w./-]+):(\d+): ([\w.\[\]]+): is still a placeholder", listed, re.MULTILINE)
    assert {field for _, _, field in found} == set(FILLED), listed
    for rel, line, field in found:
        path = project / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        value = FILLED[field]
        lines[int(line) - 1] = re.sub(r"TODO.*?(\s+#.*)?$", lambda m, v=value: v + (m.group(1) or ""),
                                      lines[int(line) - 1])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow  # builds a venv and installs kitgen in it: about 80 s
def test_the_first_hour_runs_as_written(tmp_path):
    """First hour: after the Quick start, "Your own kit" ran a bare `kitgen` (command not found), and
    `kitgen init` handed over the fictional practice."""
    repo = tmp_path / "kitgen"
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        if (REPO / rel).is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, repo / rel)
    # pip byte-compiles every package it installs; Python compiles what it imports anyway, and only that
    env = dict(os.environ, PATH=clean_path(), PIP_NO_COMPILE="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("VIRTUAL_ENV", None)

    (install,) = block("## Quick start")
    done = shell(install, repo, env)
    assert done.returncode == 0, done.stderr
    assert (repo / "output/manifest.json").is_file()

    steps = block("<!-- first-hour -->")
    assert steps[0] == "source .venv/bin/activate"
    assert shell("command -v kitgen", repo, env).returncode != 0, "no kitgen before the activation line"
    cwd, checks = repo, 0
    for step in steps[1:]:
        command = f"source {repo}/.venv/bin/activate && {step}"
        if step.startswith("cd "):
            cwd = cwd / step[3:]
            assert cwd.is_dir()
            continue
        if step == "kitgen serve":  # runs until stopped: any free port, stopped once it serves
            serve = subprocess.Popen(["bash", "-c", command + " --port 0"], cwd=cwd, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                     preexec_fn=terminal_signals)  # as from a terminal, however pytest started
            first = serve.stdout.readline()
            os.killpg(serve.pid, signal.SIGINT)
            serve.wait(30)
            assert first.startswith("kitgen: serving "), first
            continue
        result = shell(command, cwd, env)
        if step == "kitgen check" and checks == 0:  # a new kit: every TODO listed, then filled in by hand
            checks += 1
            assert result.returncode == 1
            fill_todos(cwd, result.stderr)
            continue
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
        if step.startswith("kitgen list"):
            assert "jane-smith" in result.stdout and "current" in result.stdout
        if step.startswith("kitgen log"):  # one line added to the partner file kitgen new partner wrote
            assert "  - {date: 2026-11-20, kind: visit, minutes: 30, note: Left 50 cards with Dana}\n" in (
                cwd / "content/partners/jane-smith.yaml").read_text(encoding="utf-8")
        if step == "kitgen plan":
            assert (cwd / "output/desk/plan.html").is_file()
            assert result.stdout.endswith("0 overdue, 0 this week, 0 next week, 2 later (as of 2026-11-20)\n")
    assert (cwd / "output/site/jane-smith/index.html").is_file()
    assert (cwd / "output/site/jane-smith/one-pager.pdf").read_bytes().startswith(b"%PDF-")
    assert "Harbor Light Therapy" in (cwd / "output/site/jane-smith/index.html").read_text(encoding="utf-8")


def test_how_it_works_names_every_module_in_its_stage():
    """README's "How it works" is the map of kitgen/: every module of a stage folder is named in its stage's lines
    (serve/ and report/ are described as a whole), and every stage folder is there."""
    layout = README.split("## How it works", 1)[1].split("```", 2)[1]
    stages: dict[str, str] = {}
    current = ""
    for line in layout.splitlines():
        head = line[:11].strip()
        if head.endswith("/"):
            current = head
        elif head:
            current = ""
        stages[current] = stages.get(current, "") + line[11:] + "\n"
    package = REPO / "kitgen"
    for folder in sorted(p for p in package.iterdir() if (p / "__init__.py").is_file()):
        assert f"{folder.name}/" in layout, f"kitgen/{folder.name}/ is not in README's How it works"
        if folder.name in ("serve", "report"):
            continue
        words = set(re.findall(r"[a-z0-9_]+", stages[f"{folder.name}/"]))
        missing = [m.stem for m in folder.glob("*.py") if m.stem != "__init__" and m.stem not in words]
        assert missing == [], f"kitgen/{folder.name}/: {missing} not named in README's How it works"
    for module in package.glob("*.py"):
        assert module.stem in ("__init__", "__main__") or f"{module.name}" in layout, module.name
