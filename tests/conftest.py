"""Fixtures: small kit projects written to a temp folder, so tests never depend on the example content."""

from __future__ import annotations

import functools
import importlib.abc
import inspect
import os
import shutil
import signal
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The staleness lint measures availability.as_of (2026-11-15 below and in the example kit) against today: pin
# "today" for the whole suite, subprocesses included, so it means the same next year.
os.environ.setdefault("KITGEN_TODAY", "2026-11-20")
# A native crash in a kitgen subprocess (WeasyPrint's C libraries) prints the Python stack it happened in.
os.environ.setdefault("PYTHONFAULTHANDLER", "1")

CONFIG = """\
base_url: https://refer.example.org/
paper: letter
card_stock: avery-5371
"""

PRACTICE = """\
name: Harbor Light Therapy
tagline: Counseling for anxiety and depression, usually within a week
contact:
  phone: "+1 503-555-0100"
  fax: "+1 503-555-0101"
  email: referrals@harborlight.example
  website: https://harborlight.example
  address: "10 Dock St, Portland, OR 97201"
referral:
  form_url: https://secure.harborlight.example/refer?src=kit
  steps: [Hand your patient our card., Call us while the patient is in your office.]
  what_to_send: [Patient name and phone, Reason for referral, Insurance plan]
  acknowledge_within_hours: 48
  patient_url: https://harborlight.example/first-visit
availability:
  accepting_new_clients: true
  first_appointment_within_days: 7
  telehealth: true
  as_of: 2026-11-15
insurance: [Aetna, Cigna, Medicare]
services:
  - name: Anxiety and panic
    summary: Skills-based therapy for worry, panic and avoidance.
    specialties: [family-medicine]
  - name: Perinatal mental health
    summary: Support in pregnancy and the first year after birth.
    specialties: [ob-gyn, pediatrics]
not_a_fit:
  - who: Patients at imminent risk of harm
    instead: Call or text 988, or go to the nearest emergency department
clinicians:
  - name: Ana Ruiz
    credentials: LCSW
    focus: Perinatal mood and anxiety
    languages: [English, Spanish]
"""

PARTNER = """\
name: Jane Smith
credentials: MD, FACOG
specialty: ob-gyn
practice: Lakeside Women's Health
note: Thank you for meeting with us.
"""

TALK = """\
---
title: Screening for perinatal depression
duration_minutes: 30
audience: Front-desk staff and medical assistants
objectives: [Know the EPDS, Know when to refer, Know what to say]
specialties: [ob-gyn]
---
## Why it matters

One in seven new parents has perinatal depression.

- Screen at every visit
- Refer early

| Tool | Items |
|------|-------|
| EPDS | 10 |
"""


def terminal_signals() -> None:
    """Popen preexec_fn: let Ctrl-C reach the child as it would from a terminal. A CI runner that starts the suite
    in the background leaves SIGINT ignored, and a Python started that way never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Project:
    """A kit project in a temp folder, with helpers to change one file at a time."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    @property
    def out(self) -> Path:
        return self.root / "output"


def make_project(root: Path) -> Project:
    """The small fixture kit: one practice, one partner (an OB-GYN), one talk."""
    p = Project(root)
    p.write("kitgen.yaml", CONFIG)
    p.write("content/practice.yaml", PRACTICE)
    p.write("content/partners/jane-smith.yaml", PARTNER)
    p.write("content/talks/perinatal-screening.md", TALK)
    return p


def copy_project(built: Project, into: Path) -> Project:
    """A copy of a built project, mtimes kept so kitgen's record of its output still holds: a module builds once
    and every test edits its own copy."""
    shutil.copytree(built.root, into / "kit", copy_function=shutil.copy2, symlinks=True)
    return Project(into / "kit")


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path / "kit")


# --- markers that are true ---------------------------------------------------------------------------------------

_BROWSER_CALLS = ("chromium(", "missing_tools(")  # tests/chromium.py: starting Chromium, or the tools it needs


@functools.cache
def _starts_a_browser(function: Callable[..., object]) -> bool:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return any(call in source for call in _BROWSER_CALLS)


# The fast tier: modules whose tests lay out no PDF (a test marked fast that imports WeasyPrint fails, below)
FAST = {"test_layers", "test_yaml_mistakes", "test_validation", "test_text_property", "test_lint", "test_init",
        "test_first_hour", "test_odd_inputs", "test_languages", "test_contacts", "test_fuzz", "test_inputs",
        "test_promises"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that starts Chromium, itself or through any fixture it uses, is marked `browser`, so the quick
    loops' `-m 'not browser'` never reaches one; every test of a FAST module that is neither slow nor browser nor
    pdf is marked `fast`."""
    for item in items:
        fast = item.module.__name__ in FAST if isinstance(item, pytest.Function) else False
        if fast and not any(item.get_closest_marker(m) for m in ("slow", "browser", "pdf")):
            item.add_marker(pytest.mark.fast)
        if item.get_closest_marker("browser") or not isinstance(item, pytest.Function):
            continue
        fixtures = [d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs]
        if any(_starts_a_browser(f) for f in [item.function, *fixtures]):
            item.add_marker(pytest.mark.browser)


class _NoLayout(importlib.abc.MetaPathFinder):
    """Refuses WeasyPrint to a test marked `fast`: the fast tier lays out no PDF."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("a test marked fast imported WeasyPrint (a PDF layout): remove its `fast` marker")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    blocker = _NoLayout() if item.get_closest_marker("fast") and "weasyprint" not in sys.modules else None
    if blocker:
        sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        if blocker:
            sys.meta_path.remove(blocker)
