"""The built-in themes beyond the default (`theme: warm`, `theme: quiet`), read back from what they build: every
kind of document is made, every PDF's headings are set in the theme's heading font and painted in its colours (or
the brand's, which still win and are still checked), a long profile's one-pager stays one page, the cards keep
their text and QR code inside each card, and the landing page downloads only the faces the theme's page sets.
One build per theme, shared by the module. (In Chromium: tests/test_light_page.py.)"""

from __future__ import annotations

import re

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import CONFIG, make_project
from htmlpage import Page
from test_brand import BROWN, PDFS, _headings, hex_of
from test_print import LONG_PARTNER, LONG_PRACTICE, PATIENT_QR, QR_URL, SAFE, Pdf, cell_of, cells, font_names

from kitgen.commands.cli import main
from kitgen.content.brand import colour_problem
from kitgen.content.load import load_kit
from kitgen.content.looks import BUILTIN_THEMES, LOOKS
from kitgen.pipeline.pipeline import build
from kitgen.pipeline.plan import jobs
from kitgen.render.html import render_print_css
from kitgen.render.pool import render_pdfs
from kitgen.render.themes import Theme, builtin_dir

THEMES = [t for t in BUILTIN_THEMES if t != "default"]
ALL_PDFS = [*PDFS, "site/jane-smith/patient-leaflet.pdf"]
HEADING_FONT = {"warm": "Vollkorn-Semi-Bold", "quiet": "Inter-Semi-Bold"}  # the PDF font name, after the tag
WEB_FACES = {"warm": ["Inter-Regular", "Inter-SemiBold", "Vollkorn-SemiBold"],
             "quiet": ["Inter-Regular", "Inter-SemiBold"]}


def _themed(root, theme: str, extra: str = ""):
    project = make_project(root)
    project.write("kitgen.yaml", CONFIG + f"theme: {theme}\n" + extra)
    project.write("content/partners/jane-smith.yaml",
                  (project.root / "content/partners/jane-smith.yaml").read_text() + "talk: perinatal-screening\n")
    return project


@pytest.fixture(scope="module", params=THEMES)
def themed(request, tmp_path_factory):
    """(theme, the fixture kit built in it with no brand: of its own)."""
    project = _themed(tmp_path_factory.mktemp(request.param) / "kit", request.param)
    build(project.root, jobs=1)
    return request.param, project


@pytest.fixture(scope="module")
def long_themed(themed, tmp_path_factory):
    """The one-pager and cards of test_print's long profile in the theme, through the build's own render path
    (normal, then condensed, then refused), into the themed kit's output (its fonts and QR codes)."""
    theme, built = themed
    project = _themed(tmp_path_factory.mktemp(f"long-{theme}") / "kit", theme)
    project.write("content/practice.yaml", LONG_PRACTICE)
    project.write("content/partners/jane-smith.yaml", LONG_PARTNER)
    kit, _ = load_kit(project.root)
    look = Theme(project.root, kit.config.theme)
    todo = [job for job in jobs(kit, look, kit.partners) if job.name in ("one_pager", "cards")]
    return {job.name: Pdf(data) for job, data, _ in render_pdfs(kit, todo, built.out, render_print_css(kit, look), 1)}


# --- the table of themes, and theme: in kitgen.yaml ---------------------------------------------------------------

def test_every_built_in_theme_is_a_folder_and_a_row():
    folders = sorted(p.name for p in builtin_dir("themes").iterdir() if p.is_dir())
    assert folders == sorted(BUILTIN_THEMES) and len(THEMES) >= 2


@pytest.mark.parametrize("theme", BUILTIN_THEMES)
def test_each_themes_own_colours_pass_wcag_aa_as_a_brand_would_have_to(theme):
    look = LOOKS[theme]
    assert colour_problem(look.primary, "primary") is None
    assert look.accent is None or colour_problem(look.accent, "accent") is None


def test_an_unknown_theme_is_a_located_error_naming_the_built_in_ones(project):
    project.write("kitgen.yaml", CONFIG + "theme: fancy\n")
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(project.root)])
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0] == (
            "kitgen.yaml:4: theme: unknown theme 'fancy': the built-in themes are default, warm, quiet; a theme of "
            "your own is a folder themes/fancy/ in the project (docs/theming.md)"), command
        assert not project.out.exists()


def test_a_theme_of_the_projects_own_is_accepted(project):
    project.write("kitgen.yaml", CONFIG + "theme: calm\n")
    project.write("themes/calm/templates/partials/macros.html", "{% extends \"!default/partials/macros.html\" %}\n")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 0, result.stderr


def test_the_brand_in_kitgen_yaml_wins_over_the_themes_colours(project):
    project.write("kitgen.yaml", CONFIG + "theme: warm\n")
    palette = load_kit(project.root)[0].config.brand.palette
    assert (palette.primary, palette.accent) == (LOOKS["warm"].primary, LOOKS["warm"].accent)
    project.write("kitgen.yaml", CONFIG + f'theme: warm\nbrand: {{primary: "{BROWN}"}}\n')
    brand = load_kit(project.root)[0].config.brand
    assert (brand.palette.primary, brand.palette.accent) == (BROWN, BROWN), "the accent follows the brand's primary"
    assert brand.heading_typeface is not None and brand.heading_typeface.family == "Vollkorn"


def test_a_themes_brand_colour_is_still_checked(project):
    project.write("kitgen.yaml", CONFIG + 'theme: quiet\nbrand:\n  primary: "#dddddd"\n')
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("kitgen.yaml:6: brand.primary: #dddddd has contrast 1.4:1 on white "
                                             "(needs 4.5:1); nearest passing shade #767676")


# --- every kind, in the theme's fonts and colours ---------------------------------------------------------------

def test_the_kit_builds_every_kind_in_the_theme(themed):
    _, project = themed
    for rel in [*ALL_PDFS, "site/jane-smith/index.html", "desk/jane-smith/intro-email.eml"]:
        assert (project.out / rel).is_file(), rel


@pytest.mark.parametrize("rel", ALL_PDFS)
def test_every_pdfs_headings_are_in_the_themes_heading_font_and_primary(themed, rel):
    theme, project = themed
    headings: list[dict] = []
    with pdfplumber.open(project.out / rel) as pdf:
        for page in pdf.pages:
            headings += _headings(page)
            if rel.endswith("/cards.pdf"):  # a card's name line is its heading (a <p>, so not tagged as one)
                headings += [c for m in page.search("Harbor Light Therapy", return_chars=True) for c in m["chars"]]
    assert headings, "no heading text found"
    fonts = {c["fontname"].split("+")[-1] for c in headings if c["text"].strip()}
    assert fonts == {HEADING_FONT[theme]}, fonts
    assert {hex_of(c["non_stroking_color"]) for c in headings} == {LOOKS[theme].primary}
    embedded = font_names(Pdf(project.out / rel).reader)
    assert all(embedded.values()), f"not embedded: {[n for n, e in embedded.items() if not e]}"


def test_the_cards_keep_every_word_and_qr_code_inside_each_card(themed):
    _, project = themed
    cards = Pdf(project.out / "site/jane-smith/cards.pdf")
    grid = cells("avery-5371")
    for side, page in zip(("front", "back"), cards.layout):
        stray = [text for text, box in page["words"] if cell_of(box, grid) is None]
        assert not stray, f"{side}: words outside every card's {SAFE} mm safe area: {stray[:8]}"
        assert {cell_of(box, grid) for box in page["images"]} == set(range(len(grid))), side


def test_a_long_profile_keeps_the_one_pager_on_one_page_and_the_cards_whole(long_themed):
    one = long_themed["one_pager"]
    assert one.pages == 1
    assert min(size for _, _, size in one.layout[0]["chars"]) >= 8 - 0.01
    assert "Dr. Alexandra Konstantinopoulou-Whitfield" in re.sub(r"\s+", " ", one.text())
    assert [t for t, _ in one.qrs(0)] == [QR_URL]
    grid = cells("avery-5371")
    for page in long_themed["cards"].layout:
        stray = [text for text, box in page["words"] if cell_of(box, grid) is None]
        assert not stray, f"words outside the safe area: {stray[:8]}"
    assert [t for t, _ in long_themed["cards"].qrs(0)] == [PATIENT_QR] * 10


# --- the landing page --------------------------------------------------------------------------------------------

def test_the_page_gets_web_fonts_of_only_the_faces_the_theme_sets(themed):
    theme, project = themed
    fonts = project.out / "site/assets/fonts"
    assert sorted(p.stem for p in fonts.glob("*.woff2")) == WEB_FACES[theme]
    assert all(p.stat().st_size < 25_000 for p in fonts.glob("*.woff2"))
    css = (project.out / "site/assets/brand.css").read_text(encoding="utf-8")
    assert sorted(re.findall(r'url\("fonts/([^"]+)\.woff2"\)', css)) == WEB_FACES[theme]
    assert f"--primary: {LOOKS[theme].primary};" in css
    assert ("--heading-font: \"Vollkorn\", Georgia, serif;" in css) == (theme == "warm")
    page = Page(project.out / "site/jane-smith/index.html")
    assert sorted(link.get("href") for link in page.all("link", rel="preload")) == [
        f"../assets/fonts/{f}.woff2" for f in WEB_FACES[theme]]
    sheets = [link.get("href") for link in page.all("link", rel="stylesheet")]
    assert sheets == ["../assets/brand.css", "../assets/site.css", f"../assets/{theme}.css"]
    if theme == "warm":  # the serif's licence is deployed beside it, as Inter's is
        assert (fonts / "OFL.txt").is_file() and "Vollkorn" in (
            builtin_dir("themes", "warm", "assets", "fonts", "OFL.txt").read_text(encoding="utf-8"))
