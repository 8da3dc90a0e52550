"""The stages import only downward and nothing imports in a circle (issue 25): .importlinter's contracts, run by
import-linter over every import statement, those inside functions included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """The contracts of `root`'s .importlinter over the kitgen package in `root` (first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / ".importlinter")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_stages_import_only_downward_without_cycles():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout
    assert "ignore_imports" not in (ROOT / ".importlinter").read_text(encoding="utf-8"), "no exceptions"


def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "kitgen", tmp_path / "kitgen", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    shutil.copy(ROOT / ".importlinter", tmp_path)
    return tmp_path


def test_an_import_up_the_stages_breaks_the_contract_even_inside_a_function(tmp_path):
    root = copy(tmp_path)
    (root / "kitgen/content/upward.py").write_text(
        "def late():\n    from kitgen.commands import cli\n    return cli\n", encoding="utf-8")
    result = lint(root)
    assert result.returncode == 1, result.stdout
    assert "kitgen.content.upward -> kitgen.commands.cli" in result.stdout


def test_a_cycle_inside_a_stage_breaks_the_contract(tmp_path):
    root = copy(tmp_path)
    (root / "kitgen/content/first.py").write_text("from kitgen.content import second\n", encoding="utf-8")
    (root / "kitgen/content/second.py").write_text(
        "def back():\n    from kitgen.content import first\n    return first\n", encoding="utf-8")
    result = lint(root)
    assert result.returncode == 1, result.stdout
    assert "No cycles are allowed in kitgen.content." in result.stdout


def test_every_function_the_kinds_table_names_resolves():
    """The table names its makers ("module:function") and imports them on first use: each name must resolve."""
    from kitgen.kinds import KINDS, Named

    named = [f for kind in KINDS for f in (kind.make, kind.context, kind.fan_out) if isinstance(f, Named)]
    assert len(named) >= 17
    for function in named:
        assert callable(function.resolve()), function.target


def test_the_kinds_table_imports_no_maker():
    """A no-op build reads the table and makes nothing: importing the table imports no document maker."""
    code = "import sys, kitgen.kinds; print(sorted(m for m in sys.modules if m.startswith('kitgen.documents')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_the_package_docstring_lists_the_stages_in_the_contracts_order():
    """`help(kitgen)` is the map: the stages in the order .importlinter holds them, each once, none left out."""
    import re

    import kitgen

    listed = re.findall(r"^    (\w+)  ", kitgen.__doc__ or "", re.M)
    config = (ROOT / ".importlinter").read_text(encoding="utf-8")
    block = config.split("layers =", 1)[1].split("\n\n", 1)[0]
    layers = [name.strip().removeprefix("kitgen.") for line in block.splitlines() for name in line.split("|")
              if name.strip()]
    assert listed == layers
    on_disk = sorted(p.stem for p in (ROOT / "kitgen").iterdir()
                     if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem[0] != "_"))
    assert sorted(listed) == on_disk
