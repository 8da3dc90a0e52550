"""The printed kit checked as a printer and a phone would see it: page sizes with pypdf, positions in mm with
pdfplumber against the card stock's real geometry, QR codes decoded from the page rendered at 150 dpi
(pypdfium2 + zxing-cpp), fonts, tags, and the one-page promise of the one-pager.

Each kit is built once per module (real WeasyPrint PDFs) and every test reads the same files.
"""

from __future__ import annotations

import functools
import io
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from conftest import CONFIG, PRACTICE, TALK, make_project
from layoutcheck import qr_squares

from kitgen.content.load import load_kit
from kitgen.content.stock import STOCKS
from kitgen.pipeline.pipeline import build
from kitgen.pipeline.plan import jobs
from kitgen.render.html import render_print_css
from kitgen.render.pool import render_pdfs
from kitgen.render.themes import Theme

MM = 72 / 25.4
PAPER = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
# The stocks as the manufacturers publish them (mm), written out again here so a wrong entry in kitgen/stock.py
# cannot pass: page, card w, card h, columns, rows, left margin, top margin, horizontal gap, vertical gap.
GEOMETRY = {
    "avery-5371": ("letter", 88.9, 50.8, 2, 5, 19.05, 12.7, 0.0, 0.0),
    "avery-8869": ("letter", 88.9, 50.8, 2, 4, 12.7, 19.05, 12.7, 12.7),
    "avery-c32011": ("a4", 85.0, 54.0, 2, 5, 15.0, 13.5, 10.0, 0.0),
    "avery-l7414": ("a4", 90.0, 52.0, 2, 5, 15.0, 18.5, 0.0, 0.0),
}
SAFE = 3.0   # mm kept clear inside every card edge: printers feed 1-2 mm off
TOL = 0.5    # mm
DPI = 150
URL = "https://secure.harborlight.example/refer?src=kit&ref=jane-smith"  # the fixture partner's referral URL
# What the codes hold: the kit's own addresses, which forward to the referral URL and to referral.patient_url
QR_URL = "https://refer.example.org/r/FEZV/"  # FEZV: jane-smith's referral code
PATIENT_QR = "https://refer.example.org/p/FEZV/"
FILES = {"one_pager": "one-pager.pdf", "cards": "cards.pdf", "handout": "lunch-and-learn.pdf"}

# name: (paper for the one-pager and handout, card stock, extra kitgen.yaml lines)
KITS = {
    "letter-5371": ("letter", "avery-5371", ""),
    "letter-8869": ("letter", "avery-8869", ""),
    "a4-c32011": ("a4", "avery-c32011", ""),
    "a4-l7414": ("a4", "avery-l7414", ""),
    "offset": ("letter", "avery-5371", "card_offset: {x_mm: 1.5, y_mm: -1.0}\n"),
    "no-backs": ("letter", "avery-5371", "card_backs: false\n"),
}
STOCK_KITS = ["letter-5371", "letter-8869", "a4-c32011", "a4-l7414"]

LONG_PRACTICE = """\
name: Riverbend Counseling and Family Therapy Collective of Greater Springfield
tagline: Evidence-based therapy for anxiety, depression, trauma and life transitions, for children, teens, adults and families, usually within a week
contact:
  phone: "+1 541-555-0142"
  fax: "+1 541-555-0143"
  email: new-client-referrals@riverbend-counseling-collective.example
  website: https://www.riverbend-counseling-collective.example
  address: "1200 River Road, Suite 300, Springfield, OR 97477"
referral:
  form_url: https://secure.harborlight.example/refer?src=kit
  steps:
    - Hand your patient our card, or let them scan the QR code while they are still in the exam room.
    - Or call us while the patient is still in your office; we can book the first visit on the phone.
    - Or send the referral form, by our secure online form or by fax, with the reason for referral.
  what_to_send: [Patient name and phone number, Reason for referral in a sentence or two, Insurance plan and member ID, Current medications, Any urgency we should know about]
  acknowledge_within_hours: 48
  patient_url: https://harborlight.example/first-visit
availability:
  accepting_new_clients: true
  first_appointment_within_days: 7
  telehealth: true
  hours: Mon-Thu 8am-7pm, Fri 8am-1pm, Saturday mornings by appointment
  as_of: 2026-11-15
insurance:
  - Aetna
  - Blue Cross Blue Shield of Oregon
  - Cigna Behavioral Health
  - Medicare Part B
  - Oregon Health Plan (Trillium Community Health Plan)
  - PacificSource Health Plans
  - Providence Health Plan
  - Kaiser Permanente (out of network, superbill)
  - Moda Health
  - Self-pay with a sliding scale
services:
  - name: Perinatal and postpartum mental health
    summary: Depression, anxiety and intrusive thoughts in pregnancy and the first year after birth, including after pregnancy loss, birth trauma and NICU stays. Babies are welcome in session and partners are invited.
    specialties: [ob-gyn]
  - name: Anxiety, panic and health anxiety
    summary: Short-term, skills-based therapy (CBT and exposure) for worry, panic attacks, health anxiety and avoidance, usually eight to twelve sessions, with a written plan shared with the referring physician.
    specialties: [family-medicine, internal-medicine]
  - name: Depression and life transitions
    summary: Talk therapy for low mood, grief, divorce, job loss and retirement, alongside any medication you prescribe, with measurement-based care (PHQ-9 at every visit) so you see progress.
    specialties: [family-medicine]
  - name: Children, teens and their parents
    summary: Therapy for anxiety, school refusal, ADHD-related stress and mood in ages 6 to 17, with parents involved in every plan and school letters on request.
    specialties: [pediatrics]
  - name: Coping with a new or chronic diagnosis
    summary: Support for patients adjusting to cancer, diabetes, chronic pain, long COVID or another life-changing diagnosis, coordinated with the care team.
    specialties: [oncology]
not_a_fit:
  - who: Patients at imminent risk of harm to themselves or others
    instead: Call or text 988, or go to the nearest emergency department today
  - who: Active substance use that needs detox or a higher level of care
    instead: Lane County Behavioral Health, 541-555-0199, for a level-of-care assessment
  - who: Court-ordered evaluations and custody assessments
    instead: Ask us for the names of forensic evaluators nearby
clinicians:
  - name: Maria-Fernanda Ortiz-Castellanos
    credentials: LCSW, PMH-C
    focus: Perinatal mood and anxiety, birth trauma and pregnancy loss
    languages: [English, Spanish]
  - name: Daniel Kim-Abernathy
    credentials: PsyD
    focus: Anxiety, panic, health anxiety and OCD
  - name: Renée Thibodeaux-Villanueva
    credentials: LPC, RPT
    focus: Children, teens and their parents
    languages: [English, French]
"""

LONG_PARTNER = """\
name: Alexandra Konstantinopoulou-Whitfield
credentials: MD, FACOG
specialty: ob-gyn
practice: Willamette Valley Obstetrics, Gynecology and Women's Health Associates
note: Thank you for meeting with us on November 3. Maria-Fernanda is happy to see your patients in Spanish, and babies are always welcome.
"""


def absurd_practice() -> str:
    """A profile no page can hold: fifteen services with paragraph-long summaries (two pages even condensed)."""
    services = "".join(f"  - name: Service number {i} with a long name\n    summary: {'A very long summary. ' * 24}\n"
                       f"    specialties: [ob-gyn]\n" for i in range(15))
    return re.sub(r"services:\n(  - .*\n|    .*\n)+", "services:\n" + services, PRACTICE)


def write_kit(root: Path, paper: str, stock: str, extra: str = ""):
    project = make_project(root)
    project.write("kitgen.yaml", CONFIG.replace("paper: letter", f"paper: {paper}")
                  .replace("card_stock: avery-5371", f"card_stock: {stock}") + extra)
    return project


# --- reading PDFs ------------------------------------------------------------------------------------------------

class Pdf:
    """One built PDF, read once: pypdf for structure, pdfplumber for positions (mm, top-left origin), pypdfium2 +
    zxing-cpp for the QR codes a phone would read."""

    def __init__(self, source: Path | bytes):
        self.data = source if isinstance(source, bytes) else source.read_bytes()
        self.reader = pypdf.PdfReader(io.BytesIO(self.data))

    @property
    def pages(self) -> int:
        return len(self.reader.pages)

    def size_mm(self, index: int) -> tuple[float, float]:
        box = self.reader.pages[index].mediabox
        return float(box.width) / MM, float(box.height) / MM

    @functools.cached_property
    def layout(self) -> list[dict]:
        """Per page: words, images and chars in mm, in content-stream order for chars."""
        out = []
        with pdfplumber.open(io.BytesIO(self.data)) as doc:
            for page in doc.pages:
                mm = lambda o: (o["x0"] / MM, o["top"] / MM, o["x1"] / MM, o["bottom"] / MM)  # noqa: E731
                out.append(dict(words=[(w["text"], mm(w)) for w in page.extract_words()],
                                images=[mm(i) for i in page.images] + [mm(r) for r in qr_squares(page)],
                                chars=[(c["text"], mm(c), c["size"]) for c in page.chars]))
        return out

    @functools.cache
    def qrs(self, index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
        """Every QR code on a page rendered at 150 dpi: (text, symbol box in mm)."""
        image = pdfium.PdfDocument(self.data)[index].render(scale=DPI / 72, grayscale=True).to_pil()
        found = []
        for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            p = r.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            k = 25.4 / DPI
            found.append((r.text, (min(xs) * k, min(ys) * k, max(xs) * k, max(ys) * k)))
        return found

    def text(self) -> str:
        return " ".join(p.extract_text() or "" for p in self.reader.pages)


class Built:
    def __init__(self, project, paper: str, stock: str):
        self.project, self.paper, self.stock = project, paper, stock
        folder = project.out / "site/jane-smith"
        self.pdf = {kind: Pdf(folder / name) for kind, name in FILES.items()}


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """Kits by name, each built the first time a test asks for it and then shared by the module."""
    cache: dict[str, Built] = {}

    def get(name: str) -> Built:
        if name not in cache:
            paper, stock, extra = KITS[name]
            project = write_kit(tmp_path_factory.mktemp(name), paper, stock, extra)
            build(project.root, jobs=1)
            cache[name] = Built(project, paper, stock)
        return cache[name]
    return get


class Rendered(Built):
    def __init__(self, pdfs: dict[str, bytes]):
        self.pdf = {kind: Pdf(data) for kind, data in pdfs.items()}


@pytest.fixture(scope="module")
def long_kit(kits, tmp_path_factory):
    """The one-pager and cards of a long, realistic profile, through the build's own render path (normal, then
    condensed, then refused). Rendered into the Letter kit's output, which has the fonts and the QR code for the
    same referral URL, so the test does not depend on the other kinds of document."""
    out = kits("letter-5371").project.out
    project = write_kit(tmp_path_factory.mktemp("long"), "letter", "avery-5371")
    project.write("content/practice.yaml", LONG_PRACTICE)
    project.write("content/partners/jane-smith.yaml", LONG_PARTNER)
    kit, _ = load_kit(project.root)
    theme = Theme(project.root, kit.config.theme)
    todo = [job for job in jobs(kit, theme, kit.partners) if job.name in ("one_pager", "cards")]
    pdfs = {job.name: data for job, data, _ in render_pdfs(kit, todo, out, render_print_css(kit, theme), 1)}
    return Rendered(pdfs)


def cells(stock: str, dx: float = 0.0, dy: float = 0.0) -> list[tuple[float, float, float, float]]:
    """Every card on the sheet, row by row, as (x0, y0, x1, y1) mm from the top-left corner of the page."""
    _, w, h, cols, rows, left, top, hgap, vgap = GEOMETRY[stock]
    return [(left + dx + c * (w + hgap), top + dy + r * (h + vgap), left + dx + c * (w + hgap) + w,
             top + dy + r * (h + vgap) + h) for r in range(rows) for c in range(cols)]


def inside(box, cell, inset: float = SAFE, tol: float = TOL) -> bool:
    return (box[0] >= cell[0] + inset - tol and box[1] >= cell[1] + inset - tol
            and box[2] <= cell[2] - inset + tol and box[3] <= cell[3] - inset + tol)


def cell_of(box, grid) -> int | None:
    """The card whose safe area holds `box`, or None."""
    return next((i for i, c in enumerate(grid) if inside(box, c)), None)


# --- the stock table ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("stock", GEOMETRY)
def test_stock_presets_match_the_published_geometry(stock):
    s = STOCKS[stock]
    assert (s.paper, s.card_w, s.card_h, s.columns, s.rows, s.left, s.top, s.h_gap, s.v_gap) == GEOMETRY[stock]
    page_w, page_h = PAPER[s.paper]
    right = page_w - s.left - s.columns * s.card_w - (s.columns - 1) * s.h_gap
    bottom = page_h - s.top - s.rows * s.card_h - (s.rows - 1) * s.v_gap
    assert right == pytest.approx(s.left, abs=0.01) and bottom == pytest.approx(s.top, abs=0.01)


# --- page counts and sizes ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", STOCK_KITS)
def test_page_counts_and_sizes(kits, name):
    kit = kits(name)
    one, cards, handout = kit.pdf["one_pager"], kit.pdf["cards"], kit.pdf["handout"]
    assert one.pages == 1
    assert 1 <= handout.pages <= 2
    assert cards.pages == 2, "fronts and backs"
    for doc, paper in ((one, kit.paper), (handout, kit.paper), (cards, GEOMETRY[kit.stock][0])):
        for i in range(doc.pages):
            assert doc.size_mm(i) == pytest.approx(PAPER[paper], abs=0.1)
            assert "/TrimBox" not in doc.reader.pages[i] or \
                [round(float(v)) for v in doc.reader.pages[i]["/TrimBox"]] == \
                [round(float(v)) for v in doc.reader.pages[i].mediabox], "no bleed or crop marks"


def test_cards_without_backs_are_one_page(kits):
    assert kits("no-backs").pdf["cards"].pages == 1


# --- cards: geometry ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", STOCK_KITS)
def test_every_word_and_image_is_inside_a_card_safe_area(kits, name):
    kit = kits(name)
    grid = cells(kit.stock)
    for side, page in zip(("front", "back"), kit.pdf["cards"].layout):
        stray = [text for text, box in page["words"] if cell_of(box, grid) is None]
        assert not stray, f"{side}: words outside every card's {SAFE} mm safe area: {stray[:8]}"
        assert all(cell_of(box, grid) is not None for box in page["images"]), f"{side}: an image outside"
        with_text = {cell_of(box, grid) for _, box in page["words"]}
        assert with_text == set(range(len(grid))), f"{side}: every card has text"


@pytest.mark.parametrize("name", STOCK_KITS)
def test_one_qr_per_card_at_the_same_place_on_every_card(kits, name):
    kit = kits(name)
    grid = cells(kit.stock)
    for side, page in zip(("front", "back"), kit.pdf["cards"].layout):
        by_cell = {}
        for box in page["images"]:
            by_cell.setdefault(cell_of(box, grid), []).append(box)
        assert sorted(by_cell) == list(range(len(grid))) and all(len(v) == 1 for v in by_cell.values()), side
        offsets = [(b[0][0] - grid[i][0], b[0][1] - grid[i][1], b[0][2] - b[0][0]) for i, b in by_cell.items()]
        for dx, dy, w in offsets:
            assert (dx, dy, w) == pytest.approx(offsets[0], abs=0.05), f"{side}: the QR moves from card to card"
        box, cell = by_cell[0][0], grid[0]
        assert cell[2] - box[2] == pytest.approx(4.0, abs=TOL), "QR 4 mm from the card's right edge"
        assert box[2] - box[0] >= 20, "QR box (with its quiet zone) at least 20 mm"


@pytest.mark.parametrize("name", STOCK_KITS)
def test_backs_are_mirrored_for_long_edge_duplex(kits, name):
    """Card k of the back must lie behind card k of the front once the sheet is turned over its long edge: the
    back's cards run right to left in every row."""
    kit = kits(name)
    grid = cells(kit.stock)
    cols = GEOMETRY[kit.stock][3]
    order = []
    for page in kit.pdf["cards"].layout:
        seen = []
        for _, box, _ in page["chars"]:
            i = cell_of(box, grid)
            if i is not None and i not in seen:
                seen.append(i)
        order.append(seen)
    front, back = order
    assert front == list(range(len(grid)))
    assert back == [r * cols + (cols - 1 - c) for r in range(len(grid) // cols) for c in range(cols)]


def test_card_offset_moves_everything_by_that_many_mm(kits):
    base, moved = kits("letter-5371").pdf["cards"].layout, kits("offset").pdf["cards"].layout
    dx, dy = 1.5, -1.0
    assert len(base) == len(moved) == 2
    for a, b in zip(base, moved):
        assert [t for t, _ in a["words"]] == [t for t, _ in b["words"]]
        for (_, box), (_, shifted) in zip(a["words"], b["words"]):
            assert shifted == pytest.approx((box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy), abs=0.05)
        assert len(a["images"]) == len(b["images"]) == 10
        for box, shifted in zip(sorted(a["images"]), sorted(b["images"])):
            assert shifted == pytest.approx((box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy), abs=0.05)
    grid = cells("avery-5371", dx, dy)
    assert all(cell_of(box, grid) is not None for page in moved for _, box in page["words"])


# --- QR codes as a phone reads them ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", STOCK_KITS)
def test_every_card_qr_decodes_to_the_patient_url(kits, name):
    kit = kits(name)
    grid = cells(kit.stock)
    cards = kit.pdf["cards"]
    for index, side in enumerate(("front", "back")):
        found = cards.qrs(index)
        assert [text for text, _ in found] == [PATIENT_QR] * len(grid), f"{side}: one readable code per card"
        assert sorted(cell_of(box, grid) for _, box in found) == list(range(len(grid))), side
        sizes = [min(b[2] - b[0], b[3] - b[1]) for _, b in found]
        assert min(sizes) >= 15, f"{side}: QR symbols of {min(sizes):.1f} mm"


@pytest.mark.parametrize("name", ["letter-5371", "a4-c32011"])
@pytest.mark.parametrize("kind", ["one_pager", "handout"])
def test_sheet_qr_decodes_and_is_at_least_25_mm(kits, name, kind):
    doc = kits(name).pdf[kind]
    found = [q for i in range(doc.pages) for q in doc.qrs(i)]
    assert [text for text, _ in found] == [QR_URL]
    box = found[0][1]
    assert min(box[2] - box[0], box[3] - box[1]) >= 25
    assert QR_URL in doc.text().replace("\n", ""), "the address is printed under the code"


# --- fonts, tags, legibility -------------------------------------------------------------------------------------

def font_names(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Every font used, by base name, and whether its program is embedded."""
    fonts = {}
    for page in reader.pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                desc = d.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else {}
                fonts[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


@pytest.mark.parametrize("kind", list(FILES))
def test_fonts_are_embedded_and_are_inter(kits, kind):
    fonts = font_names(kits("letter-5371").pdf[kind].reader)
    assert fonts, "real text, not outlines"
    assert all(fonts.values()), f"not embedded: {[n for n, e in fonts.items() if not e]}"
    assert all(re.fullmatch(r"/([A-Z]{6}\+)?Inter(-[\w-]+)?", name) for name in fonts), sorted(fonts)


@pytest.mark.parametrize("kind", list(FILES))
def test_pdfs_are_tagged_with_language_and_title(kits, kind):
    reader = kits("letter-5371").pdf[kind].reader
    root = reader.trailer["/Root"]
    marked = "/MarkInfo" in root and root["/MarkInfo"].get("/Marked")
    assert marked or "/StructTreeRoot" in root
    assert "/StructTreeRoot" in root
    assert str(root.get("/Lang")) == "en"
    assert "Harbor Light Therapy" in (reader.metadata.title or "")


@pytest.mark.parametrize("name", ["letter-5371", "a4-c32011"])
def test_one_pager_text_is_never_below_8_pt(kits, name):
    sizes = [size for _, _, size in kits(name).pdf["one_pager"].layout[0]["chars"]]
    assert sizes and min(sizes) >= 8 - 0.01, f"smallest text {min(sizes):.2f} pt"


# --- a long profile, and one that cannot fit ---------------------------------------------------------------------

def test_a_long_profile_still_fits_one_legible_page(long_kit):
    one = long_kit.pdf["one_pager"]
    assert one.pages == 1
    sizes = [size for _, _, size in one.layout[0]["chars"]]
    assert min(sizes) >= 8 - 0.01, f"smallest text {min(sizes):.2f} pt"
    text = re.sub(r"\s+", " ", one.text())
    for insurer in ("Moda Health", "Self-pay with a sliding scale", "PacificSource Health Plans"):
        assert insurer in text, "every insurance plan is listed"
    assert "Dr. Alexandra Konstantinopoulou-Whitfield" in text
    found = one.qrs(0)
    assert [t for t, _ in found] == [QR_URL]
    box = found[0][1]
    assert min(box[2] - box[0], box[3] - box[1]) >= 25


def test_long_names_stay_inside_the_cards(long_kit):
    grid = cells("avery-5371")
    for page in long_kit.pdf["cards"].layout:
        stray = [text for text, box in page["words"] if cell_of(box, grid) is None]
        assert not stray, f"words outside the safe area: {stray[:8]}"
    assert [t for t, _ in long_kit.pdf["cards"].qrs(0)] == [PATIENT_QR] * 10


def test_an_absurd_profile_fails_the_build_and_says_what_to_shorten(tmp_path):
    project = write_kit(tmp_path / "kit", "letter", "avery-5371")
    project.write("content/practice.yaml", absurd_practice())
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "kitgen", "build", "--project", str(project.root),
                          "--out", str(out), "-q", "-j", "1"], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    line = next(line for line in run.stderr.splitlines() if "one-pager" in line)
    at = absurd_practice().splitlines().index("services:") + 1
    assert line.startswith(f"content/practice.yaml:{at}: services: the one-pager for jane-smith needs 3 pages even condensed")
    assert "shorten the service summaries" in line
    assert "nothing was written" in run.stderr
    assert not out.exists() or not any(out.rglob("*.*")), "nothing written"


def test_a_talk_too_long_for_two_pages_fails_the_build_at_its_body(tmp_path):
    project = write_kit(tmp_path / "kit", "letter", "avery-5371")
    paragraph = "Screening works best when every visit asks the same two questions, and staff know what comes next. "
    talk = TALK + "".join(f"\n## Part {i}\n\n{paragraph * 8}\n" for i in range(12))
    project.write("content/talks/perinatal-screening.md", talk)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "kitgen", "build", "--project", str(project.root),
                          "--out", str(out), "-q", "-j", "1"], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    body = talk.splitlines().index("---", 1) + 2  # the first line after the front matter
    line = next(line for line in run.stderr.splitlines() if "handout" in line)
    assert re.fullmatch(rf"content/talks/perinatal-screening\.md:{body}: body: the lunch-and-learn handout for "
                        r"jane-smith needs \d+ pages \(the limit is 2\); shorten the talk", line), line
    assert not out.exists() or not any(out.rglob("*.*")), "nothing written"
