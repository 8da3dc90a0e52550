"""Business cards written for the patient who takes one home, read back from the built PDFs: what each side says
(pdfplumber words per card), where its QR code goes (decoded with zxing-cpp), a sheet per clinician when asked,
and text that is made smaller, never cut, or refused with a located message."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import PRACTICE, copy_project, make_project
from htmlpage import forwarded
from test_print import GEOMETRY, Pdf, cell_of, cells

from kitgen.content import regions
from kitgen.pipeline.pipeline import build

CARD_FLOOR = 7.0    # pt: the smallest type on a card (docs/printing.md)
CRISIS_FLOOR = 6.0  # pt: the crisis line's
TEAM = PRACTICE.replace("""\
    languages: [English, Spanish]
""", """\
    languages: [English, Spanish]
  - name: Ben Cole
    credentials: PsyD
    focus: Anxiety and panic
    languages: [English, Vietnamese]
""")


@pytest.fixture(scope="module")
def solo(tmp_path_factory):
    """The fixture kit (one clinician), built once."""
    project = make_project(tmp_path_factory.mktemp("cards") / "kit")
    build(project.root, jobs=1)
    return project


def rebuilt(project, tmp_path, **files):
    """A copy of a built kit with `files` (path: text) replaced, built again."""
    copy = copy_project(project, tmp_path)
    for rel, text in files.items():
        copy.write(rel, text)
    build(copy.root, jobs=1)
    return copy


def card_texts(pdf: Pdf, side: int, stock: str = "avery-5371", qr: bool = False) -> list[str]:
    """The words of each card on one side, card by card in reading order: the text column, or with `qr` the
    words under the QR code (the 25 mm at the card's right). A card with no QR code (no referral.patient_url)
    is all text column, its text the card's width."""
    grid = cells(stock)
    coded = {cell_of(box, grid) for box in pdf.layout[side]["images"]
             if cell_of(box, grid) is not None and box[0] > grid[cell_of(box, grid)][2] - 30}  # the QR at the right
    words: dict[int, list[str]] = {i: [] for i in range(len(grid))}
    for text, box in pdf.layout[side]["words"]:
        i = cell_of(box, grid)
        assert i is not None, f"{text!r} outside every card's safe area"
        if (i in coded and box[0] > grid[i][2] - 25) == qr:
            words[i].append(text)
    return [" ".join(words[i]) for i in range(len(grid))]


def test_the_front_says_who_we_are_to_a_patient(solo):
    cards = Pdf(solo.out / "site/jane-smith/cards.pdf")
    for card in card_texts(cards, 0):
        assert card.startswith("Harbor Light Therapy Ana Ruiz, LCSW (503) 555-0100 harborlight.example "
                               "Sessions in English and Spanish"), card
        assert "refer" not in card.lower() and "Fax" not in card, "the front speaks to the patient"


def test_the_back_says_what_the_patient_does_next_with_the_code_and_the_crisis_line(solo):
    cards = Pdf(solo.out / "site/jane-smith/cards.pdf")
    code = json.loads((solo.out / "manifest.json").read_text())["partners"][0]["referral_code"]
    for card in card_texts(cards, 1):
        assert card.startswith("For you or your child: your doctor suggested we talk. Call (503) 555-0100 or scan the code to request a "
                               f"first appointment. Mention code {code} when you call. Not for emergencies. In a "
                               "crisis: call or text 988. Emergency: 911."), card
        assert "Give your patient" not in card and "Refer a patient" not in card


def test_card_type_is_never_below_its_floor(solo):
    cards = Pdf(solo.out / "site/jane-smith/cards.pdf")
    for page in cards.layout:
        sizes = [size for _, _, size in page["chars"]]
        assert min(sizes) >= CRISIS_FLOOR - 0.01
        assert min(s for s in sizes if s > CRISIS_FLOOR + 0.6) >= CARD_FLOOR - 0.01


def test_the_patients_qr_code_goes_to_the_patient_url_tagged_with_the_partner(solo, tmp_path):
    practice = PRACTICE.replace("  patient_url: https://harborlight.example/first-visit\n",
                                "  patient_url: https://harborlight.example/first-visit?from=card\n")
    kit = rebuilt(solo, tmp_path, **{"content/practice.yaml": practice})
    cards = Pdf(kit.out / "site/jane-smith/cards.pdf")
    url = "https://harborlight.example/first-visit?from=card&ref=jane-smith"
    for side in (0, 1):
        assert [forwarded(kit.out, text) for text, _ in cards.qrs(side)] == [url] * 10
    one_pager = Pdf(kit.out / "site/jane-smith/one-pager.pdf")
    assert [forwarded(kit.out, t) for t, _ in one_pager.qrs(0)] == [
        "https://secure.harborlight.example/refer?src=kit&ref=jane-smith"], "physicians still get the referral form"


def test_a_group_practice_can_print_a_sheet_per_clinician(solo, tmp_path):
    config = (solo.root / "kitgen.yaml").read_text() + "cards_per_clinician: true\n"
    kit = rebuilt(solo, tmp_path, **{"content/practice.yaml": TEAM, "kitgen.yaml": config})
    files = json.loads((kit.out / "manifest.json").read_text())["partners"][0]["files"]
    assert files["cards"] == {"ana-ruiz": "site/jane-smith/cards-ana-ruiz.pdf",
                              "ben-cole": "site/jane-smith/cards-ben-cole.pdf"}
    assert not (kit.out / "site/jane-smith/cards.pdf").exists()
    ana = card_texts(Pdf(kit.out / files["cards"]["ana-ruiz"]), 0)
    ben = card_texts(Pdf(kit.out / files["cards"]["ben-cole"]), 0)
    assert all("Ana Ruiz, LCSW" in c and "Ben Cole" not in c and "Sessions in English and Spanish" in c for c in ana)
    assert all("Ben Cole, PsyD" in c and "Ana Ruiz" not in c and "English and Vietnamese" in c for c in ben)


def test_a_group_practice_sheet_names_every_clinician_and_language(solo, tmp_path):
    kit = rebuilt(solo, tmp_path, **{"content/practice.yaml": TEAM})
    for card in card_texts(Pdf(kit.out / "site/jane-smith/cards.pdf"), 0):
        assert "Ana Ruiz and Ben Cole" in card and "Sessions in English, Spanish, and Vietnamese" in card, card


LONG_NAME = "Harbor Light Therapy, Counseling and Family Psychology Associates of the Greater Portland Metropolitan Area"


def test_a_long_name_is_set_smaller_and_printed_whole(solo, tmp_path):
    kit = rebuilt(solo, tmp_path, **{"content/practice.yaml": PRACTICE.replace(
        "name: Harbor Light Therapy", f"name: {LONG_NAME}")})
    cards = Pdf(kit.out / "site/jane-smith/cards.pdf")
    for card in card_texts(cards, 0):
        assert card.startswith(LONG_NAME), card
        assert "…" not in card
    name_sizes = {round(size, 1) for text, box, size in cards.layout[0]["chars"] if text == "G"}
    assert name_sizes and max(name_sizes) < 10.5, "smaller than the usual 10.5 pt"
    assert min(name_sizes) >= CARD_FLOOR - 0.01


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_name_no_card_can_hold_is_a_located_error(tmp_path, command):
    project = make_project(tmp_path / "kit")
    name = " ".join(["Harbor Light Therapy and Counseling Associates"] * 4)
    project.write("content/practice.yaml", PRACTICE.replace("name: Harbor Light Therapy", f"name: {name}"))
    run = subprocess.run([sys.executable, "-m", "kitgen", command, "--project", str(project.root)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert re.search(r"^content/practice\.yaml:1: name: '" + re.escape(name) + r"' does not fit the business card "
                     r"even at 7 pt, the smallest type it may use; shorten it$", run.stderr, re.M), run.stderr
    assert not project.out.exists() or not any(project.out.rglob("*.pdf")), "nothing written"


@pytest.mark.parametrize("stock", ["avery-8869", "avery-c32011", "avery-l7414"])
def test_every_stock_keeps_the_patient_text_whole(solo, tmp_path, stock):
    config = re.sub(r"card_stock: .*", f"card_stock: {stock}", (solo.root / "kitgen.yaml").read_text())
    kit = rebuilt(solo, tmp_path, **{"kitgen.yaml": config})
    cards = Pdf(kit.out / "site/jane-smith/cards.pdf")
    front, back = card_texts(cards, 0, stock), card_texts(cards, 1, stock)
    assert len(front) == len(back) == GEOMETRY[stock][3] * GEOMETRY[stock][4]
    assert all(c.endswith("Sessions in English and Spanish.") for c in front), front[0]
    assert card_texts(cards, 0, stock, qr=True) == ["Request an appointment"] * len(front)
    assert all(c.endswith("Emergency: 911.") for c in back), back[0]


@pytest.mark.parametrize("stock", ["avery-5371", "avery-c32011"])
def test_without_a_patient_url_the_text_takes_the_whole_card_and_stays_inside_it(solo, tmp_path, stock):
    config = re.sub(r"card_stock: .*", f"card_stock: {stock}", (solo.root / "kitgen.yaml").read_text())
    kit = rebuilt(solo, tmp_path, **{"kitgen.yaml": config, "content/practice.yaml": PRACTICE.replace(
        "  patient_url: https://harborlight.example/first-visit\n", "")})
    cards = Pdf(kit.out / "site/jane-smith/cards.pdf")
    code = json.loads((kit.out / "manifest.json").read_text())["partners"][0]["referral_code"]
    front, back = card_texts(cards, 0, stock), card_texts(cards, 1, stock)  # asserts every word is on a card
    assert all(c == "Harbor Light Therapy Ana Ruiz, LCSW (503) 555-0100 harborlight.example Sessions in English "
               "and Spanish." for c in front), front[0]
    assert all(c == "For you or your child: your doctor suggested we talk. Call (503) 555-0100 to request a first appointment. Mention "
               f"code {code} when you call. Not for emergencies. In a crisis: call or text 988. Emergency: 911."
               for c in back), back[0]
    for side in (0, 1):
        assert cards.qrs(side) == [] and cards.layout[side]["images"] == [], "no QR code, never the form's"
    first = cells(stock)[0]
    assert any(box[2] > first[2] - 25 for _, box in cards.layout[1]["words"] if cell_of(box, [first]) == 0), \
        "the back's text runs on into the column the QR code would take"


def test_a_patient_url_on_a_general_purpose_form_service_warns_like_the_form(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("content/practice.yaml", PRACTICE.replace(
        "  patient_url: https://harborlight.example/first-visit\n", "  patient_url: https://forms.gle/abc123\n"))
    run = subprocess.run([sys.executable, "-m", "kitgen", "check", "--project", str(project.root)],
                         capture_output=True, text=True)
    line = PRACTICE.splitlines().index("  acknowledge_within_hours: 48") + 2
    assert f"content/practice.yaml:{line}: referral.patient_url: warning: forms.gle (Google Forms) is a " \
           "general-purpose form service" in run.stderr, run.stderr


@pytest.mark.parametrize("patients", ["adults", "children", "families"])
@pytest.mark.parametrize("region", ["us", "ca", "gb", "ie", "au", "nz"])
def test_every_shipped_language_fits_every_stock_for_every_audience(tmp_path, patients, region):
    """Card text is fitted while the HTML is made (render/fit.py measures in the font files, no layout), so every
    combination a shipped catalog can meet is cheap to try: each stock, each shipped patient language, each
    audience, "your GP" and "your doctor", with and without a QR code. The French code line once overflowed
    85 mm cards (avery-c32011) while every English kit passed."""
    from kitgen.content.load import load_kit
    from kitgen.content.stock import STOCKS
    from kitgen.render.html import render_partner
    from kitgen.render.themes import Theme

    project = make_project(tmp_path / "kit")
    # each region's crisis lines (the card's longest line) in each catalog: fr_CA in Canada, fr elsewhere
    phone = regions.REGIONS[region].phone_example
    project.write("kitgen.yaml", f"base_url: https://refer.example.org/\nregion: {region}\n"
                  "patient_languages: [en, es, fr]\n")
    project.write("content/practice.yaml", PRACTICE.replace('"+1 503-555-0100"', f'"{phone}"')
                  .replace('  fax: "+1 503-555-0101"\n', "").replace("insurance: [", f"patients: {patients}\ninsurance: [")
                  .replace("Call or text 988", "Call the emergency number"))
    project.write("content/partners/ravi-shah.yaml", "name: Ravi Shah\ncredentials: MBBS, MRCGP\n"
                  "specialty: general-practice\npractice: Ancoats Health Centre\n")
    tried, practice = 0, (project.root / "content/practice.yaml").read_text()
    # every stock in one region; elsewhere the tightest (85 mm wide, 52 mm high, a print shop's with its safe area)
    stocks = list(STOCKS) if region == "gb" else ["avery-c32011", "avery-l7414", "printshop-uk"]
    for stock in stocks:
        for qr in (True, False):
            (project.root / "content/practice.yaml").write_text(
                practice if qr else practice.replace("  patient_url: https://harborlight.example/first-visit\n", ""))
            project.write("kitgen.yaml", re.sub(r"card_stock: .*\n", "", (project.root / "kitgen.yaml").read_text())
                          + f"card_stock: {stock}\n")
            kit, _ = load_kit(project.root)
            theme = Theme(project.root, kit.config.theme)
            for partner in kit.partners:  # Ravi Shah reads "your GP", Jane Smith "your doctor"
                for tag in ("", "@es", "@fr"):
                    html = render_partner(kit, theme, "cards", partner, variant=tag)  # raises Unfit
                    assert "card-ask" in html
                    tried += 1
    assert tried == len(stocks) * 2 * 2 * 3


def _named(*names: str) -> str:
    return PRACTICE.replace("""\
    languages: [English, Spanish]
""", "    languages: [English, Spanish]\n" + "".join(f"  - name: {n}\n    credentials: LCSW\n    focus: Anxiety\n" for n in names))


def test_clinicians_named_in_any_script_each_get_their_own_card_sheet(solo, tmp_path):
    """Chinese and Cyrillic names are transliterated into distinct file names; none falls back to 'clinician'."""
    config = (solo.root / "kitgen.yaml").read_text() + "cards_per_clinician: true\n"
    kit = rebuilt(solo, tmp_path, **{"content/practice.yaml": _named("王伟", "李娜", "Мария Иванова", "Анна Смирнова"),
                                     "kitgen.yaml": config})
    files = json.loads((kit.out / "manifest.json").read_text())["partners"][0]["files"]["cards"]
    assert sorted(files) == ["ana-ruiz", "anna-smirnova", "li-na", "mariya-ivanova", "wang-wei"]
    for slug, name in (("wang-wei", "王伟"), ("li-na", "李娜"), ("mariya-ivanova", "Мария Иванова")):
        assert all(name in card for card in card_texts(Pdf(kit.out / files[slug]), 0)), slug


def test_two_clinicians_whose_names_make_one_file_name_are_refused_where_written(solo, tmp_path):
    from click.testing import CliRunner

    from kitgen.commands.cli import main
    copy = copy_project(solo, tmp_path)
    copy.write("kitgen.yaml", (solo.root / "kitgen.yaml").read_text() + "cards_per_clinician: true\n")
    copy.write("content/practice.yaml", _named("Maya Ortíz", "Maya Ortiz"))
    line = _named("Maya Ortíz", "Maya Ortiz").splitlines().index("  - name: Maya Ortiz") + 1
    result = CliRunner().invoke(main, ["check", "--project", str(copy.root)])
    assert result.exit_code == 1, result.output
    assert f"content/practice.yaml:{line}: clinicians[2].name: 'Maya Ortiz' and 'Maya Ortíz' (line {line - 3}) " \
           "would share one card sheet, cards-maya-ortiz.pdf" in result.output, result.output
    copy.write("kitgen.yaml", (solo.root / "kitgen.yaml").read_text())  # one sheet for the practice: no clash
    assert CliRunner().invoke(main, ["check", "--project", str(copy.root), "--no-layout"]).exit_code == 0
