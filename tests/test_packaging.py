"""The wheel carries the built-in theme and the example kit; installed in a new venv, it works from anywhere.

The venv gets kitgen from the wheel alone; its dependencies are the test environment's own, reached through a
.pth file rather than installed again (which took most of a minute): what is tested is that the wheel needs no
checkout, and `pip install -e '.[test]'` in the README's test command has already installed every dependency
from pyproject.toml.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True)
    (found,) = dist.glob("kitgen-*.whl")
    return found


def test_the_wheel_ships_the_themes_and_the_scaffold_from_the_repository(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    from kitgen.content.looks import BUILTIN_THEMES
    assert sorted(p.name for p in (REPO / "themes").iterdir() if p.is_dir()) == sorted(BUILTIN_THEMES)
    for rel in (p.relative_to(REPO).as_posix() for p in (REPO / "themes").rglob("*") if p.is_file()):
        assert "kitgen/_data/" + rel in names
    assert "kitgen/_data/themes/warm/assets/fonts/OFL.txt" in names, "the serif's licence ships beside it"
    for rel in (p.relative_to(REPO).as_posix() for p in (REPO / "content").rglob("*") if p.is_file()):
        assert "kitgen/_data/" + rel in names
    assert "kitgen/_data/kitgen.yaml" in names


def test_the_wheel_ships_every_module_and_file_of_the_package_and_its_subpackages(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = [p.relative_to(REPO).as_posix() for p in (REPO / "kitgen").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts]
    assert {"kitgen/serve/__init__.py", "kitgen/serve/reload.js", "kitgen/serve/preview.css"} <= set(package)
    assert sorted(rel for rel in package if rel not in names) == []


def test_installed_in_a_clean_venv_init_and_build_work_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin/python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--disable-pip-version-check", str(wheel)], check=True, capture_output=True)
    where = subprocess.run([str(python), "-c", "import kitgen; print(kitgen.__file__)"], check=True,
                           capture_output=True, text=True, cwd=tmp_path).stdout
    assert where.startswith(site), f"kitgen comes from the wheel, not the checkout: {where}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kitgen = str(env_dir / "bin/kitgen")
    subprocess.run([kitgen, "init", "--example", "my-kit"], cwd=elsewhere, check=True, capture_output=True)
    done = subprocess.run([kitgen, "build", "--project", "my-kit", "-j", "2"], cwd=elsewhere, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    manifest = (elsewhere / "my-kit/output/manifest.json").read_text(encoding="utf-8")
    assert '"partners"' in manifest
    pages = list((elsewhere / "my-kit/output/site").glob("*/index.html"))
    assert len(pages) >= 3
    assert not (elsewhere / "my-kit/themes").exists(), "the built-in theme comes from the installed package"
    pdfs = list((elsewhere / "my-kit/output/site").glob("*/one-pager.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    # the catalogs come from the wheel too: a British kit signs off in British English
    config = elsewhere / "my-kit/kitgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("region: us", "region: gb"), encoding="utf-8")
    done = subprocess.run([kitgen, "build", "--project", "my-kit", "--partner", "jane-smith"], cwd=elsewhere,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    import pypdf
    letter = elsewhere / "my-kit/output/desk/jane-smith/intro-letter.pdf"
    assert "Yours sincerely," in " ".join(page.extract_text() for page in pypdf.PdfReader(letter).pages)
