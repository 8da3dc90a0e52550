"""The report-back letter (desk/<slug>/report-back.pdf): pre-addressed to the partner, asking what the region
expects of a report to a referrer, fillable and flattened by the office engines the fax form is held to, and
PDF/UA-1 in every region."""

from __future__ import annotations

import shutil
from pathlib import Path

import page
import pypdf
import pytest
from conftest import PRACTICE, make_project
from test_fax_form_engines import ENGINES, TEXTS, measure

from kitgen.pipeline.pipeline import build

PHONES = {"us": ("+1 503-555-0100", "+1 503-555-0101"), "gb": ("0161 496 0471", "0161 496 0472"),
          "au": ("02 9555 0187", "02 9555 0188"), "ca": ("613-555-0123", "613-555-0124"),
          "ie": ("01 555 0100", "01 555 0101"), "nz": ("09 555 0100", "09 555 0101")}

# What each region's letter asks, beyond the patient's name and date of birth (the template's sources)
ASKS = {
    "au": ["Report to the referring practitioner: Better Access", "Sessions in this course", "Sessions this year",
           "Results of assessments", "Treatment provided and outcomes", "Recommendations for future management",
           "A new referral is requested"],
    "us": ["Notice of treatment", "With the patient's consent", "Focus of treatment and progress so far",
           "Please call us to discuss this patient."],  # the fixture practice says "we"
    "gb": ["NHS number", "Assessment", "Treatment and progress", "Plan and recommendations"],
    "nz": ["NHI number", "Assessment", "Treatment and progress", "Plan and recommendations"],
    "ie": ["Assessment", "Treatment and progress", "Plan and recommendations"],
    "ca": ["Assessment", "Treatment and progress", "Plan and recommendations"],
}


GROUP = "  - name: Ben Cole\n    credentials: PsyD\n    focus: Anxiety in teenagers\n"  # a second clinician


def letter(root: Path, region: str, more: str = "") -> Path:
    project = make_project(root)
    phone, fax = PHONES[region]
    project.write("content/practice.yaml", PRACTICE.replace('"+1 503-555-0100"', f'"{phone}"')
                  .replace('"+1 503-555-0101"', f'"{fax}"') + more)
    if region != "us":
        project.write("kitgen.yaml", f"base_url: https://refer.example.org/\nregion: {region}\n")
    build(project.root, jobs=1)
    assert not list((project.out / "site").rglob("report-back*")), "the therapist's own, never deployed"
    return project.out / "desk/jane-smith/report-back.pdf"


def words(path: Path) -> str:
    return " ".join(pypdf.PdfReader(path).pages[0].extract_text().replace("\u2019", "'").split())


@pytest.mark.parametrize("region", ["us", "gb", "ie", "au", "nz", "ca"])
def test_each_region_asks_what_its_referrers_expect_in_one_accessible_page(tmp_path, region):
    path = letter(tmp_path / "kit", region)
    reader = pypdf.PdfReader(path)
    text = words(path)
    assert len(reader.pages) == 1
    assert "Jane Smith" in text and "Lakeside Women's Health" in text, "pre-addressed to the partner"
    assert "Send only by fax or secure messaging, never by ordinary e-mail." in text
    for ask in ASKS[region]:
        assert ask in text, ask
    others = {a for r, asks in ASKS.items() if r != region for a in asks} - set(ASKS[region])
    assert not [a for a in others if a in text], "only its own region's asks"
    title = {"au": "Better Access", "us": "Notice of treatment"}.get(region, "Treatment update for the referring "
                                                                           "practitioner")  # an obstetrician: no GP
    assert title in text
    fields = reader.get_fields()
    assert {"patient_name", "patient_dob", "consent", "consent_date", "clinician", "signature"} <= set(fields)
    hint = {"us": "MM/DD/YYYY", "ca": "YYYY-MM-DD"}.get(region, "DD/MM/YYYY")
    assert fields["patient_dob"]["/TU"] == f"Date of birth ({hint})"
    assert all(f.get("/TU") for f in fields.values()), "every field has an accessible name"
    report = page.validate_pdf(path, profile="ua1")
    assert report.is_compliant, sorted({f"{f.rule_id}: {f.message}" for f in report.failures})


def test_a_solo_practice_fills_in_its_clinician_and_a_group_leaves_it_blank(tmp_path):
    solo = pypdf.PdfReader(letter(tmp_path / "solo", "us")).get_fields()
    assert solo["clinician"].get("/V") == "Ana Ruiz, LCSW"
    group = pypdf.PdfReader(letter(tmp_path / "group", "us", GROUP)).get_fields()
    assert not group["clinician"].get("/V"), "a group's letter is signed by whoever treats the patient"


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("pdftk") and shutil.which("pdftocairo")),
                    reason="pdftk and poppler-utils: scripts/install-test-deps.sh")
def test_every_engine_keeps_every_value_upright_in_its_box(tmp_path):
    """Australia's letter: text fields, a radio group (further sessions) and the consent box; a group practice's,
    so the clinician's field starts empty as the office finds it."""
    blank = letter(tmp_path / "kit", "au", GROUP)
    texts = TEXTS | {"report_date": "20/11/2026", "first_session_date": "04/09/2026", "sessions_course": "6",
                     "sessions_year": "6", "consent_date": "13/11/2026", "clinician": "Ana Ruiz, LCSW"}
    results = measure(blank, tmp_path / "engines", texts)
    got = {engine: (r.kept, r.total, r.ticks_right, r.boxes, r.lost) for engine, r in results.items()}
    total = results["pdfium"].total
    assert total >= 10 and results["pdfium"].boxes == 3
    assert got == {engine: (total, total, 3, 3, {}) for engine in ENGINES}
