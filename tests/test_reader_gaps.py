"""Issue 22's gaps, read from what was built: no "None" or English service on a Spanish leaflet, self-pay and a
sliding scale worded per language, letters dated the day they are built, the e-mail greeting the person it goes
to, and no patient QR code without `referral.patient_url` (never the physicians' form)."""

from __future__ import annotations

import email
import email.policy
import re

import pypdf
import pytest
from conftest import CONFIG, PRACTICE, make_project
from readback import qr_codes

from kitgen.check.validate import validate
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

FORM = "secure.harborlight.example/refer"


def words_of(path) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in pypdf.PdfReader(path).pages).split())


def images_of(path) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(path).pages)


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A Texas-like kit with Spanish patient pieces, services with no Spanish text, no patient_url, self-pay set
    as a setting and an office contact with an e-mail address."""
    project = make_project(tmp_path_factory.mktemp("gaps") / "kit")
    project.write("kitgen.yaml", CONFIG + "patient_languages: [en, es]\n")
    project.write("content/practice.yaml", PRACTICE.replace(
        "insurance: [Aetna, Cigna, Medicare]\n",
        "insurance: [Aetna, Cigna, Medicare]\nfees: {self_pay: true, sliding_scale: true}\n").replace(
        "  patient_url: https://harborlight.example/first-visit\n", ""))
    project.write("content/partners/jane-smith.yaml", "name: Jane Smith\ncredentials: MD\nspecialty: ob-gyn\n"
                  "practice: Lakeside Women's Health\noffice_contact: Dana Lee, office manager\n"
                  "email: office@lakeside.example\n")
    result = build(project.root, jobs=2)
    return project, result


def test_a_spanish_leaflet_prints_no_none_and_no_english_service(kit):
    project, result = kit
    text = words_of(project.out / "site/jane-smith/patient-leaflet-es.pdf")
    assert "None" not in text
    for english in ("Anxiety and panic", "Perinatal mental health"):
        assert english not in text
    assert not re.search(r"A quién(es)? ayud|a quienes ayud", text), "no heading over an empty list"
    assert "Aetna" in text, "the rest of the leaflet is there"
    warned = [str(w) for w in result.warnings if "services[" in w.field]
    assert len(warned) == 2 and all("leave it out" in w for w in warned), warned


def test_a_service_with_a_spanish_name_stays_on_the_spanish_leaflet(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", CONFIG + "patient_languages: [en, es]\n")
    project.write("content/practice.yaml", PRACTICE.replace(
        "  - name: Anxiety and panic\n", "  - name: {en: Anxiety and panic, es: Ansiedad y pánico}\n"))
    build(project.root, jobs=1, partners=["jane-smith"])
    text = words_of(project.out / "site/jane-smith/patient-leaflet-es.pdf")
    assert "A quién ayudamos Ansiedad y pánico" in text, "its summary, physicians' text, is not needed here"
    assert "None" not in text and "Perinatal" not in text


def test_self_pay_and_a_sliding_scale_are_worded_in_each_language(kit):
    project, _ = kit
    spanish = words_of(project.out / "site/jane-smith/patient-leaflet-es.pdf")
    assert "También puede pagar las sesiones por su cuenta, sin seguro." in spanish
    assert "Hay tarifas más bajas según sus ingresos." in spanish
    assert "Self-pay" not in spanish and "insurance" not in spanish
    english = words_of(project.out / "site/jane-smith/patient-leaflet.pdf")
    assert "You can also pay for your sessions yourself, without insurance." in english
    one_pager = words_of(project.out / "site/jane-smith/one-pager.pdf")
    assert "Aetna · Cigna · Medicare · Self-pay · Sliding-scale fees" in one_pager
    page = (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert "<li>Self-pay</li>" in page and "<li>Sliding-scale fees</li>" in page
    letter = words_of(project.out / "desk/jane-smith/intro-letter.pdf")  # a sentence, not list items as plans
    assert "We accept Aetna, Cigna, Medicare. Self-pay welcome; sliding scale available." in letter, letter


def test_check_warns_about_an_insurance_entry_that_reads_like_self_pay(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("content/practice.yaml", PRACTICE.replace(
        "insurance: [Aetna, Cigna, Medicare]\n", "insurance:\n  - Aetna\n  - Self pay\n  - Sliding-scale fees\n"))
    found = [str(w) for w in validate(project.root).warnings if w.field.startswith("insurance")]
    line = PRACTICE.split("\n").index("insurance: [Aetna, Cigna, Medicare]") + 1
    assert found == [
        f"content/practice.yaml:{line + 2}: insurance[1]: warning: 'Self pay' reads like self-pay, which prints as "
        "written in every language; remove it and set fees: {self_pay: true} in practice.yaml, which kitgen words in "
        "each piece's language",
        f"content/practice.yaml:{line + 3}: insurance[2]: warning: 'Sliding-scale fees' reads like a sliding scale, "
        "which prints as written in every language; remove it and set fees: {sliding_scale: true} in practice.yaml, "
        "which kitgen words in each piece's language"]


def test_a_practice_that_takes_no_insurance_follows_the_warnings_advice_and_builds(tmp_path):
    """The self-pay warning says to remove the entry and set `fees`: a practice whose only entry was "Self-pay"
    then has no plans, which check accepts with fees.self_pay and every piece words as such; without either it is
    one located error saying what to write."""
    project = make_project(tmp_path / "kit")
    project.write("content/practice.yaml", PRACTICE.replace("insurance: [Aetna, Cigna, Medicare]\n",
                                                            "fees: {self_pay: true, sliding_scale: true}\n"))
    checked = validate(project.root)
    assert [str(w) for w in checked.warnings if w.field.startswith(("insurance", "fees"))] == []
    build(project.root, jobs=1)
    site = project.out / "site/jane-smith"
    leaflet, one_pager = words_of(site / "patient-leaflet.pdf"), words_of(site / "one-pager.pdf")
    assert "Cost and insurance We do not take insurance: you pay for your sessions yourself. Lower fees based on " \
           "income are available." in leaflet, leaflet
    assert "We take" not in leaflet and "Call to check what your plan pays" not in leaflet
    assert "Payment Self-pay · Sliding-scale fees" in one_pager and "Insurance we accept" not in one_pager
    letter = words_of(project.out / "desk/jane-smith/intro-letter.pdf")
    assert "We do not take insurance: clients pay for their sessions themselves." in letter, letter
    project.write("content/practice.yaml", PRACTICE.replace("insurance: [Aetna, Cigna, Medicare]\n", ""))
    with pytest.raises(ContentError) as refused:
        validate(project.root)
    assert [str(p) for p in refused.value.problems if p.field == "insurance"] == [
        "content/practice.yaml:1: insurance: needs at least one plan you accept; if you take no insurance, leave it "
        "out and set fees: {self_pay: true}"]


def test_the_letter_and_the_email_are_dated_the_day_they_are_built(kit):
    project, _ = kit  # conftest pins KITGEN_TODAY to 2026-11-20; availability.as_of is 2026-11-15
    letter = words_of(project.out / "desk/jane-smith/intro-letter.pdf")
    assert "November 20, 2026" in letter and "November 15" not in letter
    message = email.message_from_bytes((project.out / "desk/jane-smith/intro-email.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["Date"].datetime.date().isoformat() == "2026-11-20"


def test_source_date_epoch_dates_the_letter_when_set(tmp_path, monkeypatch):
    project = make_project(tmp_path / "kit")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    build(project.root, jobs=1, partners=["jane-smith"])
    assert "January 1, 2026" in words_of(project.out / "desk/jane-smith/intro-letter.pdf")
    message = email.message_from_bytes((project.out / "desk/jane-smith/intro-email.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["Date"].datetime.isoformat() == "2026-01-01T00:00:00+00:00"


def test_a_letter_built_again_on_a_later_day_is_dated_that_day(tmp_path, monkeypatch):
    project = make_project(tmp_path / "kit")
    build(project.root, jobs=1, partners=["jane-smith"])
    monkeypatch.setenv("KITGEN_TODAY", "2026-11-23")
    again = build(project.root, jobs=1, partners=["jane-smith"])
    assert sorted(again.written) == ["desk/jane-smith/intro-email.eml", "desk/jane-smith/intro-letter.pdf"]
    assert "November 23, 2026" in words_of(project.out / "desk/jane-smith/intro-letter.pdf")


def test_the_email_to_the_office_greets_the_office_contact(kit):
    project, _ = kit
    message = email.message_from_bytes((project.out / "desk/jane-smith/intro-email.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["To"] == "Dana Lee <office@lakeside.example>"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Dana Lee,\n\nCould you please pass this on to Dr. Smith?\n\n"), body[:200]
    assert "Dear Dr. Smith" not in body and "ask for Dana Lee" not in body
    letter = words_of(project.out / "desk/jane-smith/intro-letter.pdf")
    assert "Dear Dr. Smith," in letter, "the printed letter is the physician's"


@pytest.mark.parametrize("name", ["cards.pdf", "cards-es.pdf", "patient-leaflet.pdf", "patient-leaflet-es.pdf"])
def test_without_patient_url_the_patient_pieces_offer_the_phone_only(kit, name):
    project, _ = kit
    path = project.out / "site/jane-smith" / name
    assert qr_codes(path) == [] and images_of(path) == 0
    text = words_of(path)
    assert FORM not in text and not re.search(r"\bscan\b|escanee|escanear", text, re.I)
    assert "(503) 555-0100" in text
    assert not (project.out / "site/jane-smith/patient-qr.svg").exists()


def test_check_warns_at_referral_without_patient_url(kit):
    project, result = kit
    line = PRACTICE.split("\n").index("referral:") + 1
    expected = (f"content/practice.yaml:{line}: referral: warning: has no patient_url, so the business cards and the "
                "patient leaflet offer your phone number only, with no QR code; to add one, set "
                "referral.patient_url to your request-an-appointment page (never the physicians' referral form)")
    assert expected in [str(w) for w in validate(project.root).warnings]
    assert expected in [str(w) for w in result.warnings]
