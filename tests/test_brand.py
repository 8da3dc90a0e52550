"""`brand:` in kitgen.yaml: the practice's colours on the landing page and in every PDF, read back from the built
files, and every colour that would fall below WCAG 2.2 AA refused at its line with its ratio and a shade that
passes. (The page's computed colours in Chromium are in test_browser.py.)"""

from __future__ import annotations

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import CONFIG, make_project
from hypothesis import given, settings
from hypothesis import strategies as st

from kitgen.commands.cli import main
from kitgen.content.brand import TEXT, UI, WHITE, Palette, colour_problem, contrast, nearest_passing
from kitgen.pipeline.pipeline import build

BROWN, ORANGE = "#8a3b12", "#c2410c"
DEFAULT_TEAL = {"#0e5f63", "#0a4649", "#0a474a", "#eef5f4", "#eef4f4", "#c9d8d6", "#cadcdd"}
PDFS = ["site/jane-smith/one-pager.pdf", "site/jane-smith/cards.pdf", "site/jane-smith/lunch-and-learn.pdf",
        "site/jane-smith/fax-referral-form.pdf", "desk/jane-smith/intro-letter.pdf",
        "desk/jane-smith/thank-you-cards.pdf"]


def hex_of(colour) -> str | None:
    """A pdfplumber colour (RGB floats, or one grey level) as #rrggbb."""
    if not colour or not isinstance(colour, (tuple, list)):
        return None
    values = list(colour) * 3 if len(colour) == 1 else list(colour)
    return "#" + "".join(f"{round(v * 255):02x}" for v in values[:3]) if len(values) == 3 else None


# --- the arithmetic, against WCAG's own reference points --------------------------------------------------------

def test_contrast_ratios_match_wcag_reference_values():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.005)  # the lightest grey that passes 4.5:1
    assert contrast("#777777", WHITE) == pytest.approx(4.48, abs=0.005)
    assert contrast("#949494", WHITE) == pytest.approx(3.03, abs=0.005)  # the lightest grey that passes 3:1
    assert contrast("#0e5f63", WHITE) == contrast(WHITE, "#0e5f63")


@pytest.mark.parametrize("colour", ["#dddddd", "#ff6666", "#f2b705", "#66ccff", "#ffffff", "#e9a3c2"])
@pytest.mark.parametrize("field, needed", [("primary", TEXT), ("accent", UI)])
def test_the_suggested_shade_passes_keeps_the_hue_and_is_the_lightest_that_does(colour, field, needed):
    message = colour_problem(colour, field)
    assert message and message.startswith(f"{colour} has contrast ")
    shade = message.rsplit(" ", 1)[1]
    assert colour_problem(shade, field) is None
    assert contrast(shade, WHITE) >= needed
    assert contrast(shade, WHITE) < needed + 0.15, "a much darker shade than needed was suggested"
    r, g, b = (int(shade[i:i + 2], 16) for i in (1, 3, 5))
    r0, g0, b0 = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    assert sorted(range(3), key=[r, g, b].__getitem__) == sorted(range(3), key=[r0, g0, b0].__getitem__) \
        or len({r0, g0, b0}) < 3, "the hue changed"
    assert nearest_passing(colour, lambda c: contrast(c, WHITE) >= needed) == shade


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 0xFFFFFF), st.integers(0, 0xFFFFFF))
def test_every_pair_of_an_accepted_brand_passes_aa(primary, accent):
    primary, accent = f"#{primary:06x}", f"#{accent:06x}"
    palette = Palette.of(primary, accent)
    for field in ("primary", "accent"):
        value = primary if field == "primary" else accent
        pairs = palette.pairs(field)
        assert (colour_problem(value, field) is None) == all(p.ratio >= p.needed for p in pairs)
    if colour_problem(primary, "primary") is None:
        assert contrast(palette.primary, palette.wash) >= TEXT
        assert contrast(palette.primary_dark, WHITE) >= TEXT
        assert palette.wash != WHITE or contrast(primary, WHITE) < 4.6, "the panels lost their tint needlessly"


# --- refused, located, all at once, in check and build ----------------------------------------------------------

def _fails(project, *lines: str) -> None:
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(project.root)])
        errors = f"kitgen: {len(lines)} error{'s' if len(lines) != 1 else ''}; nothing was written"
        assert (result.exit_code, result.stderr.splitlines()) == (1, [*lines, errors]), command
        assert not project.out.exists()


def test_a_light_primary_is_refused_with_its_ratio_and_the_nearest_passing_shade(project):
    project.write("kitgen.yaml", CONFIG + 'brand:\n  primary: "#dddddd"\n')
    _fails(project, "kitgen.yaml:5: brand.primary: #dddddd has contrast 1.4:1 on white (needs 4.5:1); "
                    "nearest passing shade #767676")


def test_a_primary_just_under_the_line_shows_its_ratio_unrounded(project):
    project.write("kitgen.yaml", CONFIG + 'brand: {primary: "#777777"}\n')
    _fails(project, "kitgen.yaml:4: brand.primary: #777777 has contrast 4.47:1 on white (needs 4.5:1); "
                    "nearest passing shade #767676")


def test_every_brand_mistake_at_once_accent_format_quotes_and_font(project):
    project.write("kitgen.yaml", CONFIG + 'brand:\n  primary: #8a3b12\n  accent: "#f2b705"\n'
                                          '  font: Comic Sans\n')
    _fails(project,
           'kitgen.yaml:5: brand.primary: is empty: put the colour in quotes, e.g. primary: "#8a3b12" (a # outside '
           "quotes starts a YAML comment)",
           "kitgen.yaml:6: brand.accent: #f2b705 has contrast 1.8:1 on white (needs 3:1); nearest passing shade "
           "#bb8e04",
           "kitgen.yaml:7: brand.font: unknown value 'Comic Sans'; choose one of: Inter")
    project.write("kitgen.yaml", CONFIG + 'brand:\n  primary: "8a3b12"\n  accent: "#c2410"\n')
    _fails(project,
           "kitgen.yaml:5: brand.primary: '8a3b12' is not a colour: write it as \"#rrggbb\", in quotes, "
           'e.g. "#8a3b12"',
           "kitgen.yaml:6: brand.accent: '#c2410' is not a colour: write it as \"#rrggbb\", in quotes, "
           'e.g. "#8a3b12"')


# --- applied: every PDF, the page's stylesheet ------------------------------------------------------------------

@pytest.fixture(scope="module")
def branded(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("brand") / "kit")
    project.write("kitgen.yaml", CONFIG + f'brand:\n  primary: "{BROWN}"\n  accent: "{ORANGE}"\n')
    project.write("content/partners/jane-smith.yaml",
                  (project.root / "content/partners/jane-smith.yaml").read_text() + "talk: perinatal-screening\n")
    build(project.root, jobs=1)
    return project


def _headings(page) -> list[dict]:
    """The characters inside the page's H1-H6 structure elements (WeasyPrint tags its PDFs)."""
    mcids: set[int] = set()

    def walk(elements, inside: bool) -> None:
        for e in elements:
            heading = inside or e.get("type", "") in {"H1", "H2", "H3", "H4", "H5", "H6"}
            if heading:
                mcids.update(e.get("mcids", []))
            walk(e.get("children", []), heading)

    walk(page.structure_tree, False)
    return [c for c in page.chars if c.get("mcid") in mcids]


@pytest.mark.parametrize("rel", PDFS)
def test_every_pdf_shows_the_brand_and_nothing_of_the_default_teal(branded, rel):
    seen: dict[str, int] = {}
    headings: list[dict] = []
    with pdfplumber.open(branded.out / rel) as pdf:
        for page in pdf.pages:
            headings += _headings(page)
            for thing in page.chars + page.rects + page.lines + page.curves:
                for key in ("non_stroking_color", "stroking_color"):
                    colour = hex_of(thing.get(key))
                    if colour:
                        seen[colour] = seen.get(colour, 0) + 1
            if rel.endswith("/cards.pdf"):  # a card's name line is its heading (a <p>, so not tagged as one)
                headings += [c for m in page.search("Harbor Light Therapy", return_chars=True) for c in m["chars"]]
    assert headings, "no heading text found"
    assert {hex_of(c["non_stroking_color"]) for c in headings} == {BROWN}, "\n".join(
        f"{c['text']} {hex_of(c['non_stroking_color'])}" for c in headings if hex_of(c["non_stroking_color"]) != BROWN)
    assert not DEFAULT_TEAL & set(seen), f"the default teal is left in {rel}: {DEFAULT_TEAL & set(seen)}"


def test_rules_and_card_accents_take_the_accent_and_panels_the_derived_tint(branded):
    palette = Palette.of(BROWN, ORANGE)
    # the cards (issue 13's, set to fit by render/fit.py) carry the brand in their name line, tested above
    with pdfplumber.open(branded.out / "site/jane-smith/one-pager.pdf") as pdf:
        fills = {hex_of(r["non_stroking_color"]) for r in pdf.pages[0].rects}
    assert {ORANGE, palette.wash} <= fills, fills


def test_the_page_stylesheet_carries_the_same_properties_as_the_pdfs(branded):
    css = (branded.out / "site/assets/brand.css").read_text(encoding="utf-8")
    for name, value in Palette.of(BROWN, ORANGE).properties().items():
        assert f"--{name}: {value};" in css
    assert '--font: "Inter", system-ui, sans-serif;' in css
    page = (branded.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert page.index('href="../assets/brand.css"') < page.index('href="../assets/site.css"')
    site_css = (branded.out / "site/assets/site.css").read_text(encoding="utf-8")
    assert "#0e5f63" not in site_css and "#0a4649" not in site_css, "site.css paints with the brand's properties"
