"""Regions (kitgen.yaml `region`: us, ca, gb, ie, au, nz): one small kit per region, built once, and read back from
the rendered PDFs and pages: paper and card stock, crisis and emergency numbers, phone numbers, names, dates and
the fax form's fields."""

from __future__ import annotations

import io
import textwrap

import pypdf
import pytest
from click.testing import CliRunner
from conftest import TALK, Project

from kitgen.build.pipeline import build
from kitgen.commands.cli import main
from kitgen.content import regions

MM = 72 / 25.4
PAPER = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}

# Per region: the practice's phone and fax as a therapist there would write them, how they must print, and what
# the practice tells physicians to do with patients who are not a fit (its own words, never kitgen's).
LOCAL = {
    "us": ("+1 541-555-0142", "+1 541-555-0143", "(541) 555-0142", "(541) 555-0143", "+15415550142"),
    "ca": ("613 555 0123", "613 555 0124", "(613) 555-0123", "(613) 555-0124", "+16135550123"),
    "gb": ("0161 496 0471", "0161 496 0472", "0161 496 0471", "0161 496 0472", "+441614960471"),
    "ie": ("01 234 5678", "01 234 5679", "(01) 234 5678", "(01) 234 5679", "+35312345678"),
    "au": ("02 9555 0187", "+61 2 9555 0188", "02 9555 0187", "02 9555 0188", "+61295550187"),
    "nz": ("09 555 0123", "09 555 0124", "09 555 0123", "09 555 0124", "+6495550123"),
}


def practice(region: str) -> str:
    phone, fax = LOCAL[region][:2]
    return textwrap.dedent(f"""\
        name: Harbour Light Psychology
        tagline: Therapy for anxiety and low mood, usually within a week
        contact:
          phone: "{phone}"
          fax: "{fax}"
          email: referrals@harbourlight.example
          address: "10 Dock Street, Harbourtown"
        referral:
          form_url: https://secure.harbourlight.example/refer
          steps: [Hand your patient our card., Call us while the patient is with you.]
          what_to_send: [Patient name and phone, Reason for referral]
          acknowledge_within_hours: 48
        availability:
          accepting_new_clients: true
          first_appointment_within_days: 7
          as_of: 2026-11-15
        insurance: [Self-funding]
        services:
          - name: Anxiety and panic
            summary: Skills-based therapy for worry, panic and avoidance.
            specialties: [general-practice]
        not_a_fit:
          - who: Patients at imminent risk of harm
            instead: Use the crisis and emergency numbers below
        """)


PARTNER = """\
name: Priya Raman
credentials: MBBS, FRACGP
specialty: general-practice
practice: Harbourside Medical Centre
"""


def region_project(root, region: str, config: str = "", numbers_of: str | None = None) -> Project:
    project = Project(root)
    project.write("kitgen.yaml", f"base_url: https://refer.example.org/\nregion: {region}\n{config}")
    project.write("content/practice.yaml", practice(numbers_of or region))
    project.write("content/partners/priya-raman.yaml", PARTNER)
    project.write("content/talks/anxiety.md", TALK.replace("specialties: [ob-gyn]", "specialties: [general-practice]"))
    return project


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """Built kits by region, each built the first time a test asks for it."""
    cache: dict[str, Project] = {}

    def get(region: str) -> Project:
        if region not in cache:
            project = region_project(tmp_path_factory.mktemp(region) / "kit", region)
            build(project.root, jobs=1)
            cache[region] = project
        return cache[region]
    return get


def pdf(project, name: str, area: str = "site") -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO((project.out / area / "priya-raman" / name).read_bytes()))


def size_mm(reader: pypdf.PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


# --- the table itself --------------------------------------------------------------------------------------------

def test_the_table_has_the_six_regions_with_stocks_and_papers_kitgen_has():
    from kitgen.content.stock import PAPER_MM, STOCKS
    assert list(regions.REGIONS) == ["us", "ca", "gb", "ie", "au", "nz"]
    for region in regions.REGIONS.values():
        assert region.paper in PAPER_MM and region.card_stock in STOCKS
        assert STOCKS[region.card_stock].paper == region.paper, "cards on the paper the region buys"


@pytest.mark.parametrize(("region", "paper", "stock", "card"), [
    ("us", "letter", "avery-5371", (88.9, 50.8)),
    ("gb", "a4", "avery-c32011", (85.0, 54.0)),   # the nearest kitgen has to 85 x 55 mm
    ("au", "a4", "avery-l7414", (90.0, 52.0)),    # the nearest kitgen has to 90 x 55 mm
])
def test_paper_and_card_stock_default_to_the_region(kits, region, paper, stock, card):
    project = kits(region)
    assert size_mm(pdf(project, "one-pager.pdf")) == PAPER[paper]
    assert size_mm(pdf(project, "fax-referral-form.pdf")) == PAPER[paper]
    assert size_mm(pdf(project, "cards.pdf")) == PAPER[paper]
    manifest = (project.out / "manifest.json").read_text(encoding="utf-8")
    assert f'"paper": "{paper}"' in manifest and f'"card_stock": "{stock}"' in manifest
    from kitgen.content.stock import STOCKS
    assert (STOCKS[stock].card_w, STOCKS[stock].card_h) == card


def test_paper_and_card_stock_in_kitgen_yaml_win_over_the_region(tmp_path):
    project = region_project(tmp_path / "kit", "au", "paper: letter\ncard_stock: avery-8869\n")
    build(project.root, jobs=1)
    assert size_mm(pdf(project, "one-pager.pdf")) == PAPER["letter"]
    assert size_mm(pdf(project, "cards.pdf")) == PAPER["letter"]
    assert '"card_stock": "avery-8869"' in (project.out / "manifest.json").read_text(encoding="utf-8")


def check(project) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(("written", "hint"), [
    ("uk", "did you mean 'gb' (United Kingdom)? "),
    ("AU", "did you mean 'au' (Australia)? "),
    ("usa", "did you mean 'us' (United States)? "),
    ("fr", ""),
])
def test_a_region_kitgen_does_not_have_is_a_located_error(tmp_path, written, hint):
    project = region_project(tmp_path / "kit", written, numbers_of="gb")
    assert check(project) == (1, [f"kitgen.yaml:2: region: unknown region '{written}'; {hint}Use an ISO 3166 code: "
                                  "us, ca, gb, ie, au, nz", "kitgen: 1 error; nothing was written"])
