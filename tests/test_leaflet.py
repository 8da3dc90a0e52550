"""The patient leaflet (kind `patient_leaflet`: one row in the kinds table and one template), read back from the
built PDF: one page, in plain words (Flesch-Kincaid grade from textstat), with everything a patient needs to book,
its QR code decoded, linked from the physician's page and listed in the manifest."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import textstat
import textstat.backend.counts._count_syllables as syllables
from conftest import PRACTICE, copy_project, make_project
from htmlpage import Page, forwarded, text
from test_print import PAPER, Pdf

from kitgen.pipeline.pipeline import build

REPO = Path(__file__).resolve().parent.parent
MAX_GRADE = 8.0  # patient-facing text: US grade 6-8 (docs: plain language for patients)


def grade(words: str) -> float:
    """Flesch-Kincaid grade with syllables counted by Pyphen's hyphenation dictionary: textstat's own fallback.
    Its first choice, the CMU dictionary, is an NLTK download at run time, and tests never use the network."""
    original = syllables.get_cmudict
    syllables.get_cmudict = lambda lang: None
    try:
        syllables.count_syllables.cache_clear()  # type: ignore[attr-defined]  # an lru_cache
        return float(textstat.flesch_kincaid_grade(words))
    finally:
        syllables.get_cmudict = original


@pytest.fixture(scope="module")
def solo(tmp_path_factory):
    """The fixture kit: a solo practice (one clinician), built once."""
    project = make_project(tmp_path_factory.mktemp("leaflet") / "kit")
    build(project.root, jobs=1)
    return project


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example kit in this repository (three clinicians, four partners), built once into a copy."""
    root = tmp_path_factory.mktemp("example") / "kit"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "kitgen.yaml", root / "kitgen.yaml")
    build(root, jobs=2)
    return root


def leaflet_text(path: Path) -> str:
    return " ".join(Pdf(path).text().split())


def test_one_page_of_the_kits_paper_with_what_a_patient_needs(solo):
    path = solo.out / "site/jane-smith/patient-leaflet.pdf"
    pdf = Pdf(path)
    assert pdf.pages == 1 and pdf.size_mm(0) == pytest.approx(PAPER["letter"], abs=0.1)
    words = leaflet_text(path)
    code = json.loads((solo.out / "manifest.json").read_text())["partners"][0]["referral_code"]
    for expected in ("Harbor Light Therapy", "Your doctor at Lakeside Women's Health", "Anxiety and panic",
                     "Perinatal mental health", "You can meet in person or by video", "(503) 555-0100",
                     f"Mention code {code} when you call", "Aetna, Cigna, Medicare", "Sessions in English and Spanish",
                     "Your first visit", "We can usually see you within 7 days", "What you say in therapy is private",
                     "If you or your child is in crisis, do not wait for a visit: call or text 988 (Suicide & Crisis Lifeline) or "
                     "call 911."):
        assert expected in words, expected


def test_a_solo_practice_with_voice_i_speaks_in_the_singular(solo, tmp_path):
    kit = copy_project(solo, tmp_path)
    kit.write("content/practice.yaml", PRACTICE + "voice: I\n")
    build(kit.root, jobs=1)
    words = leaflet_text(kit.out / "site/jane-smith/patient-leaflet.pdf")
    assert "Who I help" in words and "I listen and ask questions" in words and "Your therapist Ana Ruiz, LCSW" in words
    assert not re.search(r"\b(we|We|us|our|Our)\b", words), re.findall(r".{30}\b(?:we|We|us|our|Our)\b.{10}", words)


def test_a_group_practice_speaks_as_we(example):
    words = leaflet_text(example / "output/site/jane-smith/patient-leaflet.pdf")
    assert "Who we help" in words and "Our therapists" in words and "Sessions in English, Spanish, and French" in words


def test_its_qr_code_opens_the_patient_url_for_this_partner(solo, tmp_path):
    kit = copy_project(solo, tmp_path)
    kit.write("content/practice.yaml", PRACTICE.replace(
        "  patient_url: https://harborlight.example/first-visit\n", "  patient_url: https://harborlight.example/new\n"))
    build(kit.root, jobs=1)
    found = Pdf(kit.out / "site/jane-smith/patient-leaflet.pdf").qrs(0)
    assert [forwarded(kit.out, t) for t, _ in found] == ["https://harborlight.example/new?ref=jane-smith"]
    box = found[0][1]
    assert min(box[2] - box[0], box[3] - box[1]) >= 25, "a QR code of 25 mm or more scans from a phone held loosely"


@pytest.mark.parametrize("slug", ["jane-smith", "grace-okafor", "helen-zhou", "tomas-alvarez"])
def test_the_example_leaflets_read_at_grade_8_or_below(example, slug):
    path = example / f"output/site/{slug}/patient-leaflet.pdf"
    assert Pdf(path).pages == 1
    assert grade(leaflet_text(path)) <= MAX_GRADE


def test_the_fixture_leaflet_reads_at_grade_8_or_below(solo):
    assert grade(leaflet_text(solo.out / "site/jane-smith/patient-leaflet.pdf")) <= MAX_GRADE


def test_linked_from_the_physicians_page_and_listed_in_the_manifest(solo):
    partner = json.loads((solo.out / "manifest.json").read_text())["partners"][0]
    assert partner["files"]["patient_leaflet"] == "site/jane-smith/patient-leaflet.pdf"
    page = Page(solo.out / "site/jane-smith/index.html")
    links = {text(a): a.get("href") for a in page.one("ul", class_="downloads").iter("{http://www.w3.org/1999/xhtml}a")}
    assert links["Leaflet for your patients: what to expect and how to book (PDF)"] == "patient-leaflet.pdf"
