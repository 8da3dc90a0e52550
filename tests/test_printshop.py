"""Cards ordered from a print shop (card_stock printshop-us, -uk, -au), read back from the built PDFs as a shop's
preflight would: the page boxes (pypdf: MediaBox, TrimBox, BleedBox, to 0.1 mm), every glyph and image inside
the safe area (pdfplumber), the QR code decoded from the page rendered at 150 dpi (pypdfium2 + zxing-cpp), the
back's tint running into the bleed and crop marks only on request (pixels of the rendered page), fonts embedded,
front then back (per clinician too), two builds byte-identical, and kitgen.yaml's crop_marks checked.

Each kit is built once per module; variants of the cards alone are rendered into a built kit's output folder
through the build's own render path.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2 as pdfium
import pytest
from conftest import CONFIG, PRACTICE, make_project
from layoutcheck import qr_squares
from readback import qr_symbols
from test_cards import TEAM
from test_print import font_names

from kitgen.content.load import load_kit
from kitgen.content.stock import STOCKS
from kitgen.pipeline.pipeline import build
from kitgen.pipeline.plan import jobs
from kitgen.problems import ContentError
from kitgen.render.html import render_print_css
from kitgen.render.pool import render_pdfs
from kitgen.render.themes import Theme

MM = 72 / 25.4
DPI = 150
# As the shops publish them (docs/printing.md), written out again so a wrong line in kitgen/content/stock.py
# cannot pass: trim width, trim height, bleed on every side, safe area inside the trim (mm).
SHOPS = {
    "printshop-us": (88.9, 50.8, 3.175, 3.175),  # 3.5 x 2 in, 1/8 in bleed, 1/8 in safe
    "printshop-uk": (85.0, 55.0, 3.0, 3.0),
    "printshop-au": (90.0, 55.0, 3.0, 3.0),
    "printshop-moo": (84.0, 55.0, 2.0, 3.0),  # MOO: 84 x 55 mm, artwork 88 x 59 mm
}
TOL = 0.1  # mm
URL = "https://refer.example.org/p/FEZV/"  # the kit's own address forwarding to referral.patient_url (redirects.py)
# name: (card stock, extra kitgen.yaml lines)
KITS = {name: (name, "") for name in SHOPS} | {"marks": ("printshop-us", "crop_marks: true\n")}


def write_kit(root: Path, stock: str, extra: str = ""):
    project = make_project(root)
    project.write("kitgen.yaml", CONFIG.replace("card_stock: avery-5371", f"card_stock: {stock}") + extra)
    return project


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """Built kits by name, each built the first time a test asks for it."""
    cache = {}

    def get(name: str):
        if name not in cache:
            stock, extra = KITS[name]
            project = write_kit(tmp_path_factory.mktemp(name) / "kit", stock, extra)
            build(project.root, jobs=1)
            cache[name] = project
        return cache[name]
    return get


def cards(project, name: str = "cards.pdf") -> bytes:
    return (project.out / "site/jane-smith" / name).read_bytes()


def render_cards(built, tmp_path: Path, stock: str, extra: str = "", practice: str = PRACTICE) -> dict[str, bytes]:
    """The cards PDFs (by file name) of a kit like `built` with other settings, rendered into `built`'s output
    folder (which holds the fonts and the QR code) by the build's own render path."""
    project = write_kit(tmp_path / "kit", stock, extra)
    project.write("content/practice.yaml", practice)
    kit, _ = load_kit(project.root)
    theme = Theme(project.root, kit.config.theme)
    todo = [job for job in jobs(kit, theme, kit.partners) if job.name == "cards"]
    return {Path(job.rel).name: data
            for job, data, _ in render_pdfs(kit, todo, built.out, render_print_css(kit, theme), 1)}


def boxes(pdf: bytes) -> list[dict[str, tuple[float, ...]]]:
    """Each page's MediaBox, TrimBox and BleedBox in mm, read from the page dictionary itself (pypdf's
    page.trimbox falls back to the CropBox when there is none)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [{key: tuple(float(v) / MM for v in page[key]) for key in ("/MediaBox", "/TrimBox", "/BleedBox")
             if key in page} for page in reader.pages]


def words_and_glyphs(pdf: bytes) -> list[dict]:
    """Per page: the words, every glyph and image box (x0, top, x1, bottom, mm) and the TrimBox, all in
    pdfplumber's one frame (its coordinates and its trimbox are offset alike when the MediaBox starts below 0)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            mm = lambda o: (o["x0"] / MM, o["top"] / MM, o["x1"] / MM, o["bottom"] / MM)  # noqa: E731
            pages.append(dict(words=[w["text"] for w in page.extract_words()],
                              chars=[(c["text"], mm(c)) for c in page.chars],
                              images=[mm(i) for i in page.images], codes=[mm(r) for r in qr_squares(page)],
                              trim=tuple(v / MM for v in page.trimbox)))
    return pages


def raster(pdf: bytes, index: int):
    """One page as a phone or a preflight preview sees it: the whole MediaBox, bleed included, 150 dpi RGB."""
    return pdfium.PdfDocument(pdf)[index].render(scale=DPI / 72).to_pil().convert("RGB")


def pixel(image, x_mm: float, y_mm: float) -> tuple[int, int, int]:
    """The colour at (x, y) mm from the MediaBox's top-left corner."""
    return image.getpixel((round(x_mm / 25.4 * DPI), round(y_mm / 25.4 * DPI)))


def inside(box, area, inset: float) -> bool:
    return (box[0] >= area[0] + inset and box[1] >= area[1] + inset
            and box[2] <= area[2] - inset and box[3] <= area[3] - inset)


# --- the table ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SHOPS)
def test_presets_match_the_shops_published_sizes(name):
    stock = STOCKS[name]
    w, h, bleed, _ = SHOPS[name]
    assert (stock.card_w, stock.card_h, stock.bleed, stock.columns * stock.rows) == (w, h, bleed, 1)
    assert stock.print_shop and stock.page_mm == (w, h)


# --- the PDF as a print shop's preflight reads it ----------------------------------------------------------------

@pytest.mark.parametrize("name", SHOPS)
def test_page_boxes_are_the_trim_with_its_bleed(kits, name):
    w, h, bleed, _ = SHOPS[name]
    pages = boxes(cards(kits(name)))
    assert len(pages) == 2, "a front page, then a back page"
    for side, page in zip(("front", "back"), pages):
        media, trim, bleed_box = page["/MediaBox"], page["/TrimBox"], page["/BleedBox"]
        assert (media[2] - media[0], media[3] - media[1]) == pytest.approx((w + 2 * bleed, h + 2 * bleed), abs=TOL)
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((w, h), abs=TOL), side
        assert (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2], media[3] - trim[3]) == \
            pytest.approx((bleed,) * 4, abs=TOL), f"{side}: the bleed on every side"
        assert bleed_box == pytest.approx(media, abs=TOL), f"{side}: the BleedBox is the whole bleed"


@pytest.mark.parametrize("name", SHOPS)
def test_every_glyph_and_image_is_inside_the_safe_area(kits, name):
    w, h, _, safe = SHOPS[name]
    for side, page in zip(("front", "back"), words_and_glyphs(cards(kits(name)))):
        trim = page["trim"]
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((w, h), abs=TOL)
        assert page["chars"], f"{side}: real text"
        stray = [text for text, box in page["chars"] if not inside(box, trim, safe)]
        assert not stray, f"{side}: glyphs within {safe} mm of the trim or past it: {''.join(stray)[:40]!r}"
        assert page["images"] == [], f"{side}: no raster image: the QR code is vectors"
        assert len(page["codes"]) == 1 and inside(page["codes"][0], trim, safe), f"{side}: the QR code"


@pytest.mark.parametrize("name", SHOPS)
def test_the_qr_code_decodes_from_each_side_inside_the_safe_area(kits, name):
    w, h, bleed, safe = SHOPS[name]
    pdf = cards(kits(name))
    trim = (bleed, bleed, bleed + w, bleed + h)  # the rendered page is the MediaBox, bleed included
    for index, side in enumerate(("front", "back")):
        found = qr_symbols(pdf, index, dpi=DPI)
        assert [code.text for code in found] == [URL], f"{side}: one code a phone reads"
        box = found[0].box
        assert inside(box, trim, safe), f"{side}: the code within the safe area"
        assert min(box[2] - box[0], box[3] - box[1]) >= 15, f"{side}: a symbol of at least 15 mm"


@pytest.mark.parametrize("name", SHOPS)
def test_the_front_says_who_we_are_and_the_back_what_to_do(kits, name):
    front, back = (" ".join(page["words"]) for page in words_and_glyphs(cards(kits(name))))
    assert front.startswith("Harbor Light Therapy Ana Ruiz, LCSW (503) 555-0100 harborlight.example Sessions in "
                            "English and Spanish."), front
    assert "Request an appointment" in front
    assert back.startswith("For you or your child: your doctor suggested we talk."), back
    assert "Mention code" in back and back.endswith("Emergency: 911."), back
    assert "Request" not in back, "nothing of the front spills onto the back's page"


def test_fonts_are_embedded(kits):
    fonts = font_names(pypdf.PdfReader(io.BytesIO(cards(kits("printshop-us")))))
    assert fonts and all(fonts.values()), fonts


# --- backgrounds, bleed and crop marks as printed ----------------------------------------------------------------

WHITE = (255, 255, 255)


def dark(colour: tuple[int, int, int]) -> bool:
    return sum(colour) < 3 * 160


def darkest_near(image, x_mm: float, y_mm: float, reach: float = 0.3) -> tuple[int, int, int]:
    """The darkest pixel within `reach` mm of (x, y): a hairline is a pixel or two wide, wherever it rounds to."""
    steps = [i * 25.4 / DPI for i in range(-2, 3)]
    return min((pixel(image, x_mm + dx, y_mm + dy) for dx in steps for dy in steps
                if abs(dx) <= reach and abs(dy) <= reach), key=sum)


@pytest.mark.parametrize("name", SHOPS)
def test_the_backs_tint_runs_into_the_bleed_and_the_front_is_paper_white(kits, name):
    w, h, bleed, _ = SHOPS[name]
    pdf = cards(kits(name))
    front, back = raster(pdf, 0), raster(pdf, 1)
    corners = [(x, y) for x in (0.4, w + 2 * bleed - 0.4) for y in (0.4, h + 2 * bleed - 0.4)]  # in the bleed
    inside_trim = pixel(back, bleed + 1.5, bleed + 1.5)  # blank card, 1.5 mm inside the trim
    assert inside_trim != WHITE and not dark(inside_trim), "the back is tinted"
    for x, y in corners:
        assert pixel(back, x, y) == inside_trim, f"the back's tint reaches the bleed's edge at {x:.1f}, {y:.1f} mm"
        assert pixel(front, x, y) == WHITE


def test_crop_marks_are_off_by_default_and_drawn_in_the_bleed_when_asked(kits):
    w, h, bleed, _ = SHOPS["printshop-us"]
    plain, marked = cards(kits("printshop-us")), cards(kits("marks"))
    assert boxes(marked) == boxes(plain), "marks change no box: they are drawn inside the bleed"
    # WeasyPrint draws each mark on the trim line, from the MediaBox's edge over half the bleed
    marks = [(bleed / 4, bleed), (bleed, bleed / 4), (w + 2 * bleed - bleed / 4, h + bleed),
             (w + bleed, h + 2 * bleed - bleed / 4)]
    for index in (0, 1):
        with_marks, without = raster(marked, index), raster(plain, index)
        assert all(dark(darkest_near(with_marks, x, y)) for x, y in marks), f"page {index + 1}: crop marks"
        assert not any(dark(darkest_near(without, x, y)) for x, y in marks), f"page {index + 1}: no marks by default"


# --- front and back, per clinician; no backs -----------------------------------------------------------------------

def test_one_file_per_clinician_each_a_front_and_a_back(kits, tmp_path):
    built = kits("printshop-uk")
    pdfs = render_cards(built, tmp_path, "printshop-uk", "cards_per_clinician: true\n", practice=TEAM)
    assert sorted(pdfs) == ["cards-ana-ruiz.pdf", "cards-ben-cole.pdf"]
    for file, pdf in pdfs.items():
        assert len(boxes(pdf)) == 2, file
        front = " ".join(words_and_glyphs(pdf)[0]["words"])
        assert ("Ana Ruiz, LCSW" in front) == (file == "cards-ana-ruiz.pdf"), front
        assert [[c.text for c in qr_symbols(pdf, side, dpi=DPI)] for side in (0, 1)] == [[URL], [URL]], file


def test_without_backs_one_page_carries_the_code_and_the_crisis_line(kits, tmp_path):
    built = kits("printshop-au")
    pdf = render_cards(built, tmp_path, "printshop-au", "card_backs: false\n")["cards.pdf"]
    [page] = words_and_glyphs(pdf)
    assert "Mention code" in " ".join(page["words"]) and "911." in page["words"]
    assert all(inside(box, page["trim"], SHOPS["printshop-au"][3]) for _, box in page["chars"])


# --- builds and checks ---------------------------------------------------------------------------------------------

def test_two_builds_are_byte_identical(kits, tmp_path):
    first = kits("printshop-us")
    build(first.root, tmp_path / "again", jobs=1)
    built = sorted(p.relative_to(first.out) for p in (first.out / "site").rglob("*") if p.is_file())
    assert built and built == sorted(p.relative_to(tmp_path / "again") for p in (tmp_path / "again/site").rglob("*")
                                     if p.is_file())
    assert [p for p in built if (first.out / p).read_bytes() != (tmp_path / "again" / p).read_bytes()] == []


def test_check_accepts_a_print_shop_kit_with_crop_marks(tmp_path):
    project = write_kit(tmp_path / "kit", "printshop-au", "crop_marks: true\n")
    run = subprocess.run([sys.executable, "-m", "kitgen", "check", "--project", str(project.root)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_crop_marks_on_precut_stock_is_a_located_error(tmp_path):
    project = write_kit(tmp_path / "kit", "avery-5371", "crop_marks: true\n")
    run = subprocess.run([sys.executable, "-m", "kitgen", "check", "--project", str(project.root)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    line = CONFIG.count("\n") + 1
    assert f"kitgen.yaml:{line}: crop_marks: crop marks are for cards a print shop cuts, and avery-5371 is precut " \
           "stock; set card_stock to printshop-us, printshop-uk, printshop-au, printshop-moo, or remove crop_marks" in run.stderr, \
        run.stderr


def test_crop_marks_must_be_true_or_false(tmp_path):
    project = write_kit(tmp_path / "kit", "printshop-uk", "crop_marks: often\n")
    with pytest.raises(ContentError) as raised:
        load_kit(project.root)
    [problem] = raised.value.problems
    assert (problem.path, problem.line, problem.field) == ("kitgen.yaml", CONFIG.count("\n") + 1, "crop_marks")


def test_a_calibration_offset_with_a_print_shop_is_a_warning(tmp_path):
    project = write_kit(tmp_path / "kit", "printshop-uk", "card_offset: {x_mm: 1.0}\n")
    _, problems = load_kit(project.root)
    assert [str(p) for p in problems.warnings] == [
        f"kitgen.yaml:{CONFIG.count(chr(10)) + 1}: card_offset: warning: calibrates a desktop printer on precut "
        "stock; printshop-uk cards are printed by the shop, so the offset is not used"]
