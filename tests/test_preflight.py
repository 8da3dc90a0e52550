"""Print-shop preflight, run here: what a shop's checks and a phone see in the PDFs (issue 24, part 3).

- QR codes are vectors in every PDF (no raster image for them), drawn on a white square that holds the 4-module
  quiet zone, and decode from the page rendered at 300 dpi (pypdfium2 + zxing-cpp).
- Each print-shop preset's page boxes in mm: TrimBox the card, BleedBox and MediaBox the card with its bleed.
- Colour with Ghostscript's inkcov device (the share of the page each ink touches): with `card_colour: cmyk` the
  text alone (vectors and images filtered out) is black ink only, so is the front's QR code, and the file stays
  PDF/UA-1; by default (RGB) a shop's conversion would put all four inks under the grey text.
- Image resolution: every raster image (here a PNG logo) at least 300 dpi as placed on the card.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from conftest import CONFIG, PRACTICE, make_project
from layoutcheck import qr_squares
from PIL import Image
from readback import qr_symbols

from kitgen.content.load import load_kit
from kitgen.content.stock import STOCKS
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

MM = 72 / 25.4
DPI = 300
# Written out again from the shops' published sizes (docs/printing.md), so a wrong row in stock.py cannot pass:
# trim width, trim height, bleed on every side (mm).
PRESETS = {"printshop-us": (88.9, 50.8, 3.175), "printshop-uk": (85.0, 55.0, 3.0),
           "printshop-au": (90.0, 55.0, 3.0), "printshop-moo": (84.0, 55.0, 2.0)}
CARDS = "site/jane-smith/cards.pdf"


def write_kit(root: Path, stock: str = "avery-5371", extra: str = "", logo: bool = False):
    project = make_project(root)
    project.write("kitgen.yaml", CONFIG.replace("card_stock: avery-5371", f"card_stock: {stock}") + extra)
    if logo:  # a raster logo of 900 x 300 px: 3 x 1 in at 300 dpi
        (project.root / "content/images").mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (900, 300), (14, 95, 99)).save(project.root / "content/images/logo.png")
        project.write("content/practice.yaml", PRACTICE.replace("tagline:", "logo: images/logo.png\ntagline:", 1))
    return project


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """Built kits by (stock, extra kitgen.yaml lines, logo), each built the first time a test asks for it."""
    cache: dict = {}

    def get(stock: str = "avery-5371", extra: str = "", logo: bool = False):
        key = (stock, extra, logo)
        if key not in cache:
            project = write_kit(tmp_path_factory.mktemp(stock) / "kit", stock, extra, logo)
            build(project.root, jobs=1)
            cache[key] = project
        return cache[key]
    return get


def inkcov(pdf: Path, *filters: str) -> list[tuple[float, float, float, float]]:
    """Ghostscript's inkcov per page: the share of the page (0-1) each of C, M, Y and K touches. `filters` drop
    kinds of object first (-dFILTERTEXT, -dFILTERVECTOR, -dFILTERIMAGE)."""
    run = subprocess.run(["gs", "-q", "-o", "-", "-sDEVICE=inkcov", *filters, str(pdf)],
                         capture_output=True, text=True, check=True)
    return [tuple(float(v) for v in line.split()[:4]) for line in run.stdout.splitlines() if "CMYK" in line]


needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (scripts/install-test-deps.sh)")


# --- QR codes: vectors with their quiet zone, everywhere ---------------------------------------------------------

def test_every_qr_code_in_every_pdf_is_vectors_that_decode_at_300_dpi(kits):
    project = kits()
    pdfs = sorted(project.out.rglob("*.pdf"))
    assert len(pdfs) >= 6
    codes = 0
    for path in pdfs:
        pdf = path.read_bytes()
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            pages = [(page.images, qr_squares(page), page.height) for page in doc.pages]
        for index, (images, squares, _) in enumerate(pages):
            name = f"{path.name} page {index + 1}"
            assert images == [], f"{name}: a raster image ({len(images)}): the fixture has no photo or logo"
            found = qr_symbols(pdf, index, dpi=DPI, last_pixel=True)
            assert len(found) == len(squares), f"{name}: one code a phone reads on each white square"
            for text, box, modules in found:
                codes += 1
                assert text.startswith("https://"), (name, text)
                square = next(s for s in squares if s["x0"] / MM <= box[0] and box[2] <= s["x1"] / MM
                              and s["top"] / MM <= box[1] and box[3] <= s["bottom"] / MM)
                module = (box[2] - box[0]) / modules
                margins = (box[0] - square["x0"] / MM, box[1] - square["top"] / MM,
                           square["x1"] / MM - box[2], square["bottom"] / MM - box[3])
                assert min(margins) >= 3.5 * module, f"{name}: quiet zone {min(margins):.2f} mm, module {module:.2f}"
    assert codes >= 20 + 4, "cards (10 a side), one-pager, handout, leaflet, letter"


# --- print-shop presets: boxes, colour, resolution ---------------------------------------------------------------

@pytest.mark.parametrize("stock", PRESETS)
def test_print_shop_boxes_in_mm(kits, stock):
    w, h, bleed = PRESETS[stock]
    assert (STOCKS[stock].card_w, STOCKS[stock].card_h, STOCKS[stock].bleed) == (w, h, bleed)
    reader = pypdf.PdfReader(kits(stock, "card_colour: cmyk\n").out / CARDS)
    assert len(reader.pages) == 2
    for page in reader.pages:
        trim, bleed_box, media = ([float(v) / MM for v in page[k]] for k in ("/TrimBox", "/BleedBox", "/MediaBox"))
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((w, h), abs=0.05)
        assert (bleed_box[2] - bleed_box[0], bleed_box[3] - bleed_box[1]) == \
            pytest.approx((w + 2 * bleed, h + 2 * bleed), abs=0.05)
        assert bleed_box == pytest.approx(media, abs=0.05)
        assert trim[0] - bleed_box[0] == pytest.approx(bleed, abs=0.05)


@needs_gs
@pytest.mark.parametrize("stock", ["printshop-uk", "printshop-moo"])
def test_cmyk_cards_print_their_text_and_code_in_black_ink_alone(kits, stock):
    path = kits(stock, "card_colour: cmyk\n").out / CARDS
    text_only = inkcov(path, "-dFILTERVECTOR", "-dFILTERIMAGE")
    assert len(text_only) == 2
    for side, (c, m, y, k) in zip(("front", "back"), text_only):
        assert (c, m, y) == (0, 0, 0) and k > 0.01, f"{side}: text in K only, got C {c} M {m} Y {y} K {k}"
    c, m, y, k = inkcov(path, "-dFILTERTEXT", "-dFILTERIMAGE")[0]
    assert (c, m, y) == (0, 0, 0) and k > 0.01, "the front's QR code (its only vector drawing) in K only"
    back = inkcov(path, "-dFILTERTEXT", "-dFILTERIMAGE")[1]
    assert back[0] > 0.8, "the back's tint runs over the card, bleed included, in the printer's inks"
    with pdfplumber.open(path) as doc:
        colours = {c["non_stroking_color"] for page in doc.pages for c in page.chars}
    assert colours == {(0, 0, 0, 1)}, "every glyph 100% K"


@needs_gs
def test_rgb_cards_text_would_take_all_four_inks(kits):
    """What card_colour: cmyk is for: the default file's grey text, converted as a shop converts RGB, is a mix."""
    c, m, y, _ = inkcov(kits("printshop-uk").out / CARDS, "-dFILTERVECTOR", "-dFILTERIMAGE")[0]
    assert c > 0 and m > 0 and y > 0


def test_cmyk_cards_stay_pdf_ua_1(kits):
    import page
    report = page.validate_pdf(kits("printshop-moo", "card_colour: cmyk\n").out / CARDS, profile="ua1")
    assert report.is_compliant, sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


def test_every_raster_image_is_at_least_300_dpi_as_placed(kits):
    pdf = (kits("printshop-us", "card_colour: cmyk\n", logo=True).out / CARDS).read_bytes()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        images = [i for page in doc.pages for i in page.images]
    assert images, "the logo is placed"
    for image in images:
        px_w, px_h = image["srcsize"]
        dpi = min(px_w / (image["width"] / 72), px_h / (image["height"] / 72))
        assert dpi >= 300, f"an image at {dpi:.0f} dpi"


# --- kitgen.yaml -------------------------------------------------------------------------------------------------

def test_cmyk_on_precut_stock_is_a_located_error(tmp_path):
    project = write_kit(tmp_path / "kit", "avery-5371", "card_colour: cmyk\n")
    with pytest.raises(ContentError) as raised:
        build(project.root, jobs=1)
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.field) == ("kitgen.yaml", CONFIG.count("\n") + 1, "card_colour")
    assert "avery-5371 is precut stock" in problem.message and "printshop-moo" in problem.message


def test_card_colour_is_rgb_or_cmyk(tmp_path):
    project = write_kit(tmp_path / "kit", "printshop-uk", "card_colour: pantone\n")
    with pytest.raises(ContentError) as raised:
        load_kit(project.root)
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (CONFIG.count("\n") + 1, "card_colour")
    assert "choose one of: rgb, cmyk" in problem.message
