"""The fax referral form for practices that see children, and the referring office's own fax, read back with pypdf:
the fillable fields, their labels (what a screen reader announces), the consent line and the one-page limit, in
every region's form."""

from __future__ import annotations

import pypdf
import pytest
from conftest import PRACTICE, make_project

from kitgen.content import regions
from kitgen.pipeline.pipeline import build

GUARDIAN = {"guardian_name": "Parent or guardian name", "guardian_relationship": "Relationship to the child",
            "guardian_phone": "Parent or guardian phone"}
ADULTS = PRACTICE.replace("specialties: [ob-gyn, pediatrics]", "specialties: [ob-gyn]")  # no children's specialty
REGION_PHONES = {"ca": ("613 555 0123", "613 555 0124"), "gb": ("0161 496 0471", "0161 496 0472"),
                 "ie": ("01 234 5678", "01 234 5679"), "au": ("02 9555 0187", "02 9555 0188"),
                 "nz": ("09 555 0123", "09 555 0124")}


def form(project):
    path = project.out / "site/jane-smith/fax-referral-form.pdf"
    reader = pypdf.PdfReader(path)
    return reader, " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def kit(root, practice: str, region: str = "us", paper: str | None = None):
    project = make_project(root)
    if region != "us" or paper:
        phone, fax = REGION_PHONES.get(region, ("+1 503-555-0100", "+1 503-555-0101"))
        practice = practice.replace('"+1 503-555-0100"', f'"{phone}"').replace('"+1 503-555-0101"', f'"{fax}"')
        project.write("kitgen.yaml", f"base_url: https://refer.example.org/\nregion: {region}\n"
                      + (f"paper: {paper}\n" if paper else ""))
    project.write("content/practice.yaml", practice)
    build(project.root, jobs=1)
    return project


# every region on both papers: Australia's Better Access fields and a child's guardian on Letter (an Australian
# practice may print on Letter) once needed a second page
@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("region", list(regions.REGIONS))
def test_a_practice_that_sees_children_asks_for_the_parent_or_guardian(tmp_path, region, paper):
    project = kit(tmp_path / "kit", ADULTS + "patients: children\n", region, paper)
    reader, words = form(project)
    assert len(reader.pages) == 1, "still one page"
    fields = reader.get_fields()
    for name, label in GUARDIAN.items():
        assert fields[name]["/TU"] == label and label in words
    assert fields["guardian_name"]["/FT"] == "/Tx"
    assert "Parent or guardian (for a child)" in words
    assert "The patient, or for a child their parent or guardian, knows about this referral and agrees" in words
    assert fields["referrer_fax"]["/TU"] == "Your fax, for our confirmation", "the fixture confirms in 48 hours"


def test_a_practice_for_adults_asks_for_no_guardian(tmp_path):
    reader, words = form(kit(tmp_path / "kit", ADULTS))
    assert not set(GUARDIAN) & set(reader.get_fields())
    assert "guardian" not in words.lower()
    assert "The patient knows about this referral and agrees" in words


def test_whether_it_sees_children_follows_its_services_unless_it_says(tmp_path):
    reader, _ = form(kit(tmp_path / "derived", PRACTICE))  # a service for pediatricians: children
    assert set(GUARDIAN) <= set(reader.get_fields())
    reader, _ = form(kit(tmp_path / "said", PRACTICE + "patients: adults\n"))
    assert not set(GUARDIAN) & set(reader.get_fields())


def test_the_referring_office_gives_its_fax_for_the_reply(tmp_path):
    reader, words = form(kit(tmp_path / "kit", ADULTS.replace("  acknowledge_within_hours: 48\n", "")))
    assert reader.get_fields()["referrer_fax"]["/TU"] == "Your fax" and "Your fax" in words
    assert "confirmation" not in words, "no confirmation promised, none mentioned"
