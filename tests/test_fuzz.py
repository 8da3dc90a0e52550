"""Property: whatever a person types into a content file, kitgen ends in a clean result or in located problems
with exit 1, never a traceback, and never a changed output folder on failure.

Examples are mutations of the fixture files (lines deleted, duplicated, swapped; values replaced by random text,
numbers, lists, mappings; truncation; random bytes) plus random YAML documents. Deterministic by default so CI
is stable; `KITGEN_FUZZ=random KITGEN_FUZZ_EXAMPLES=5000` explores further.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import yaml
from click.testing import CliRunner
from conftest import CONFIG, PARTNER, PRACTICE, TALK, make_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_build import snapshot

from kitgen.commands.cli import main

pytestmark = pytest.mark.slow

LOCATED = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+))?: (?P<field>[^\n]+?): (?P<message>[^\n]+)$")
SUMMARY = re.compile(r"^kitgen: (\d+) errors?; nothing was written$")
FILES = {"kitgen.yaml": CONFIG, "content/practice.yaml": PRACTICE, "content/partners/jane-smith.yaml": PARTNER,
         "content/talks/perinatal-screening.md": TALK}
KNOWN_PATHS = set(FILES) | {"content/partners", "KITGEN_TODAY"}

EXAMPLES = int(os.environ.get("KITGEN_FUZZ_EXAMPLES", "150"))
FUZZ = settings(deadline=None, max_examples=EXAMPLES, derandomize=os.environ.get("KITGEN_FUZZ") != "random",
                database=None, suppress_health_check=list(HealthCheck))

# --- strategies --------------------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates().map(str), st.sampled_from(["", "~", "yes", "no", "0x1F", "1e400", ".nan",
                                                                 "2026-02-30", "https://", "http://x", "-", "'"]))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=5)), max_leaves=12)
value_text = st.one_of(
    scalars.map(lambda v: yaml.safe_dump(v, default_flow_style=True).removesuffix("\n...\n").strip()),
    documents.map(lambda v: yaml.safe_dump(v, default_flow_style=True, allow_unicode=True).strip()),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(alphabet="[]{}:,-&*!|>'\"%@`#? \t\n", max_size=12))


ANY_EDIT = ("delete", "duplicate", "swap", "value", "value", "text", "text", "comment", "rename", "indent", "insert",
            "truncate", "bytes")
MILD_EDIT = ("text", "text", "comment", "delete", "rename")  # often still a valid kit: real builds get exercised


@st.composite
def mutated(draw, original: str, ops: tuple[str, ...] = ANY_EDIT) -> bytes:
    """`original` with a few edits of the kinds people (and editors) make."""
    lines = original.splitlines(keepends=True)
    stray = False
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(ops))
        if op == "bytes":
            stray = True
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "value":
            key, sep, _ = lines[i].partition(": ")
            head = key if sep else lines[i].rstrip("\n").rstrip(":")
            lines[i] = f"{head}: {draw(value_text)}\n"
        elif op == "text":  # any text, quoted the way YAML wants: valid wherever text is
            key, sep, _ = lines[i].partition(": ")
            if sep:
                lines[i] = f"{key}: {json.dumps(draw(st.text(max_size=40)))}\n"
        elif op == "comment":
            lines[i] = lines[i].rstrip("\n") + f"  # {draw(st.text(max_size=20))}\n".replace("\r", "")
        elif op == "rename":
            key, sep, rest = lines[i].partition(":")
            if sep:
                lines[i] = f"{key[: len(key) - len(key.lstrip())]}{draw(st.from_regex(r'[a-z_]{1,12}', fullmatch=True))}:{rest}"
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
        elif op == "insert":
            lines.insert(i, draw(value_text) + "\n")
        else:
            text = "".join(lines)
            lines = [text[: draw(st.integers(0, len(text)))]]
    data = "".join(lines).encode("utf-8", errors="surrogatepass")
    if stray:  # a stray byte or three somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=3)) + data[at:]
    return data


def contents(rel: str) -> st.SearchStrategy[bytes]:
    original = FILES[rel]
    return st.one_of(
        mutated(original),
        mutated(original),
        documents.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode()),
        st.binary(max_size=200),
        value_text.map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    )


edits = st.sampled_from(sorted(FILES)).flatmap(lambda rel: st.tuples(st.just(rel), contents(rel)))

# --- the property ------------------------------------------------------------------------------------------------


def assert_located(project, result, wrote_nothing) -> None:
    """Exit 0 with only warnings, or exit 1 with located lines and the summary; never a traceback."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    lines = result.stderr.splitlines()
    if result.exit_code == 1:
        assert lines and SUMMARY.match(lines[-1]), lines
        problems = lines[:-1]
        errors = [p for p in problems if ": warning: " not in p]
        assert errors and int(SUMMARY.match(lines[-1]).group(1)) == len(errors), lines
        wrote_nothing()
    else:
        problems = [p for p in lines if not p.startswith("kitgen: ")]
        assert all(": warning: " in p for p in problems), lines
    for problem in problems:
        m = LOCATED.match(problem)
        assert m, problem
        path = m["path"]
        assert path in KNOWN_PATHS or path.startswith(("content/", "themes/")), problem
        if m["line"] and (project.root / path).is_file():
            text = (project.root / path).read_bytes().decode("utf-8", errors="replace")
            assert int(m["line"]) <= len(re.split(r"\r\n|\r|\n", text)), problem


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fuzz") / "kit")


def reset(project) -> None:
    for rel, text in FILES.items():
        project.write(rel, text)


@FUZZ
@given(edit=edits, second=st.one_of(st.none(), edits))
def test_check_never_crashes_and_locates_every_problem(fuzz_project, edit, second):
    reset(fuzz_project)
    for rel, data in [e for e in (edit, second) if e]:
        (fuzz_project.root / rel).write_bytes(data)
    result = CliRunner().invoke(main, ["check", "--no-layout", "--project", str(fuzz_project.root)])  # no PDFs

    def wrote_nothing():
        assert not fuzz_project.out.exists()

    assert_located(fuzz_project, result, wrote_nothing)
    event(f"exit {result.exit_code}")  # `pytest --hypothesis-show-statistics`: both outcomes are reached
    assert not fuzz_project.out.exists()


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("fuzz-build") / "kit")
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    return project


@settings(FUZZ, max_examples=max(8, EXAMPLES // 15))
@given(edit=st.sampled_from(["content/practice.yaml", "content/partners/jane-smith.yaml"])
       .flatmap(lambda rel: st.tuples(st.just(rel), mutated(FILES[rel], MILD_EDIT))))
def test_a_real_build_either_succeeds_or_changes_nothing(built_project, edit):
    """...and what `check` accepts, `build` renders (exit 0)."""
    reset(built_project)
    rel, data = edit
    (built_project.root / rel).write_bytes(data)
    before = snapshot(built_project.out)
    checked = CliRunner().invoke(main, ["check", "--project", str(built_project.root)])
    result = CliRunner().invoke(main, ["build", "--project", str(built_project.root), "-q", "-j", "1"])
    if checked.exit_code == 0:
        assert result.exit_code == 0, f"check accepted what build refused:\n{result.output}"

    def wrote_nothing():
        assert snapshot(built_project.out) == before

    assert_located(built_project, result, wrote_nothing)
    event(f"exit {result.exit_code}")
    if result.exit_code == 0:
        assert (built_project.out / "site/jane-smith/index.html").is_file()
        assert (built_project.out / "site/jane-smith/one-pager.pdf").read_bytes().startswith(b"%PDF")
    assert not [p for p in built_project.root.iterdir() if "kitgen-" in p.name]  # no staging left behind
