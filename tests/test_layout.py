"""Layout that holds on real content (issue 24, item 4), measured in every PDF of three kits: the example kit
(content/ in the repo), and a UK and an AU kit of the reader sweep with a real address (postcode), a long e-mail
address and the patients' QR code. In each PDF (tests/layoutcheck.py): no glyph outside its page's content box,
its card (3 mm inside) or across the one-pager's gutter, none under 7 pt, no web or e-mail address broken but after
/ . @, no postcode parted from its town, no glyph on a QR code's quiet zone; the one-pager in the example kit in
no smaller than the snug step (9 pt, never condensed) with the fax number under "How to refer" and not left a quarter blank."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
import yaml
from layoutcheck import MM, blank_fraction, column_ends, measure_kit
from sweepkits import COMBOS, write_kit

from kitgen.pipeline.pipeline import build

REPO = Path(__file__).resolve().parent.parent
REAL = {  # what a practice there writes: the street, then the town with its postcode
    "gb": {"address": "14 Stevenson Square\nManchester M4 1PW", "email": "referrals@harbourlighttherapy.co.uk",
           "website": "https://www.harbourlighttherapy.co.uk"},
    "au": {"address": "Level 3, 100 Miller Street\nNorth Sydney NSW 2060",
           "email": "referrals@harbourlighttherapy.com.au", "website": "https://www.harbourlighttherapy.com.au"},
}

pytestmark = pytest.mark.slow


def real_kit(key: str, root: Path) -> Path:
    combo = next(c for c in COMBOS if c.key == key)
    project = write_kit(combo, root)
    practice = yaml.safe_load((root / "content/practice.yaml").read_text(encoding="utf-8"))
    practice["contact"].update(REAL[key])
    practice["referral"]["patient_url"] = REAL[key]["website"] + "/first-appointment"
    project.write("content/practice.yaml", yaml.safe_dump(practice, allow_unicode=True, sort_keys=False))
    return root


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("layout")
    example = base / "example"
    shutil.copytree(REPO / "content", example / "content")
    shutil.copy(REPO / "kitgen.yaml", example / "kitgen.yaml")
    roots = {"example": example, "gb": real_kit("gb", base / "gb"), "au": real_kit("au", base / "au")}
    for root in roots.values():
        build(root, jobs=2)
    return roots


@pytest.mark.parametrize("key", ["example", "gb", "au"])
def test_every_glyph_is_inside_its_box_at_7_pt_and_addresses_break_only_after_slash_dot_at(kits, key):
    faults, blanks = measure_kit(kits[key])
    assert [str(f) for f in faults] == []
    assert blanks, "no one-pager measured"
    if key == "example":  # the sparse sweep kits: test_a_short_profile_still_fills_its_one_pager
        assert {path: round(blank, 2) for path, blank in blanks.items() if blank > 0.25} == {}


@pytest.mark.parametrize("key", ["gb", "au"])
def test_the_postcode_is_printed_with_its_town(kits, key):
    """The test above checks that they are never parted; here, that the fixtures print them at all."""
    town = {"gb": "Manchester M4 1PW", "au": "NSW 2060"}[key]
    with pdfplumber.open(next((kits[key] / "output/site").glob("*/one-pager.pdf"))) as pdf:
        assert town in pdf.pages[0].extract_text().replace("\n", " ").replace("\u00a0", " ")


def test_how_to_refer_gives_the_fax_number_and_the_example_is_not_condensed(kits):
    with pdfplumber.open(kits["example"] / "output/site/jane-smith/one-pager.pdf") as pdf:
        page = pdf.pages[0]
        side = page.crop((page.width - 12 * MM - 66 * MM, 0, page.width, page.height * 0.6))
        assert "Fax (541) 555-0143" in side.extract_text().replace("\u00a0", " ")
        body = [c["size"] for c in page.chars if c["text"].isalpha()]
        assert max(set(body), key=body.count) >= 9  # the most common size: snug (9 pt) at least, never condensed


@pytest.mark.parametrize("key", ["gb", "au"])
def test_a_short_profile_still_fills_its_one_pager(kits, key):
    """The sweep kits' short profiles printed at 10.5 pt, the main column ending a third of a page above the side
    column and the footer hung mid-page over a blank third (render/columns.py): now in larger type, the side column
    ending no more than 12 % of the page below the main one, the footer at the foot of the page."""
    pages = list((kits[key] / "output/site").glob("*/one-pager.pdf"))
    assert pages
    for path in pages:
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            ends = column_ends(page)
            assert ends is not None, path
            main, side, _, last = ends
            sizes = Counter(round(c["size"], 1) for c in page.chars if c["text"].strip())
            assert sizes.most_common(1)[0][0] >= 11.5, (path, sizes.most_common(3))
            assert side - main <= 0.12 * page.height, (path, main, side)  # the side column no longer runs on
            assert page.height - 11 * MM - last < 2 * MM, (path, last)  # the footer's last line at the margin
            assert blank_fraction(page) < 0.33, path
