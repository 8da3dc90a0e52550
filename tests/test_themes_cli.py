"""Themes (override a file, extend one block), the CLI's commands and exit codes, and `kitgen init`."""

from __future__ import annotations

import subprocess
import sys
import time

from click.testing import CliRunner
from htmlpage import Page, text

from kitgen import __version__
from kitgen.commands.cli import main
from kitgen.pipeline.pipeline import build
from kitgen.render.themes import builtin_dir


def test_a_project_template_can_extend_the_builtin_one_and_change_one_block(project):
    project.write("themes/default/templates/landing.html", """\
        {% extends "!default/landing.html" %}
        {% block title %}Custom title for {{ partner.display_name }}{% endblock %}
        """)
    build(project.root, jobs=1)
    page = Page(project.out / "site/jane-smith/index.html")
    assert page.title == "Custom title for Dr. Jane Smith"
    assert page.section("How to refer") is not None, "the rest of the built-in page is still there"


def test_a_named_theme_overrides_files_one_by_one(project):
    project.write("kitgen.yaml", (project.root / "kitgen.yaml").read_text() + "theme: calm\n")
    macros = builtin_dir("themes", "default", "templates", "partials", "macros.html").read_text()
    project.write("themes/calm/templates/partials/macros.html",
                  macros.replace("Accepting new clients", "Taking new clients"))
    project.write("themes/calm/assets/site.css", "body { color: #111 }\n")
    build(project.root, jobs=1)
    page = Page(project.out / "site/jane-smith/index.html")
    assert "Taking new clients" in text(page.one("p", class_="status"))
    assert (project.out / "site/assets/site.css").read_text() == "body { color: #111 }\n"
    assert (project.out / "site/assets/fonts/Inter-Regular.otf").is_file(), "other assets come from the default"


def test_user_text_reaches_the_page_as_text(project):
    project.write("content/partners/jane-smith.yaml", """\
        name: "Zoë <script>alert(1)</script> O'Brien-Núñez"
        credentials: MD
        specialty: ob-gyn
        practice: "Clinic \\"Quotes\\" & Co"
        note: "<b>not bold</b>"
        """)
    build(project.root, jobs=1)
    html = (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    page = Page(project.out / "site/jane-smith/index.html")
    assert not page.all("script") and not page.all("b")
    hero = text(page.one("section", class_="hero"))
    assert "Dr. Zoë <script>alert(1)</script> O'Brien-Núñez" in hero
    assert 'Clinic "Quotes" & Co' in hero and "<b>not bold</b>" in hero
    assert "&lt;script&gt;" in html


def test_version_and_help_are_fast_and_never_import_weasyprint():
    assert CliRunner().invoke(main, ["--version"]).output == f"kitgen, version {__version__}\n"
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kitgen", "--help"], capture_output=True,
                          text=True, check=True)
    assert time.perf_counter() - start < 2.0
    assert "weasyprint" not in done.stderr and "build" in done.stdout


def test_a_build_with_nothing_to_do_never_imports_weasyprint(project):
    build(project.root, jobs=1)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kitgen", "build", "--project",
                           str(project.root)], capture_output=True, text=True, check=True)
    assert "0 written" in done.stdout
    assert "weasyprint" not in done.stderr
    # nor the web-font subsetter (Pillow's font module is used: check and build measure card text, render/fit.py)
    assert "fontTools.subset" not in done.stderr and "PIL.PngImagePlugin" not in done.stderr


def test_check_validates_and_writes_nothing(project):
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 0 and result.output == "kitgen: 1 partners, 1 talks: ok (8 changed PDFs laid out)\n"
    assert not project.out.exists()


def test_init_example_makes_a_project_that_builds_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "new-kit"
    assert CliRunner().invoke(main, ["init", "--example", str(target)]).exit_code == 0
    assert (target / "kitgen.yaml").is_file() and list((target / "content/partners").glob("*.yaml"))
    result = CliRunner().invoke(main, ["check", "--no-layout", "--project", str(target)])
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, ["init", "--example", str(target)])
    assert again.exit_code == 1 and "already exists" in again.output
    own = CliRunner().invoke(main, ["init", str(target)])
    assert own.exit_code == 1 and "already exists" in own.output
