"""The rest of the kit, read with real parsers: the fillable fax form (pypdf), the intro letter and thank-you cards
(pypdf, pdfplumber, a QR decoder), the intro e-mail (the email package), the vCard (vobject), the follow-up
calendar (icalendar), referral codes and `kitgen followups`."""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import re

import icalendar
import pypdf
import pytest
import readback
import vobject
from click.testing import CliRunner
from conftest import PARTNER, PRACTICE, make_project
from htmlpage import Page, text
from readback import pdf_text

from kitgen.commands.cli import main
from kitgen.content import codes
from kitgen.content.partners import Partner
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

MM = 72 / 25.4
SECOND = """\
name: Omar Haddad
credentials: DO
specialty: family-medicine
practice: Valley Family Practice
email: ohaddad@valleyfp.example
last_contact: 2026-08-20
"""
THIRD = """\
name: Lee Park
credentials: PA-C
specialty: family-medicine
practice: Northside Clinic
last_contact: 2026-08-30
"""
SUBJECT = "Referral collaboration – Harbor Light Therapy, anxiety and panic"  # what Omar's page leads with


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """The fixture kit with two more partners (one with an e-mail address, two with a last contact), built once."""
    project = make_project(tmp_path_factory.mktemp("extras") / "kit")
    project.write("content/partners/omar-haddad.yaml", SECOND)
    project.write("content/partners/lee-park.yaml", THIRD)
    build(project.root, jobs=1)
    return project


def manifest(project) -> dict:
    return json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))


def files_of(project, slug: str) -> dict:
    return next(p for p in manifest(project)["partners"] if p["slug"] == slug)["files"]


def qr_codes(path) -> list[str]:
    return readback.qr_codes(path, pages=1)


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF"
    return data[:-2].split(b"\r\n")


def unfold(data: bytes) -> list[str]:
    """RFC 6350 / 5545 unfolding, strictly: a line starting with one space continues the previous one."""
    logical: list[bytes] = []
    for line in physical_lines(data):
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


# --- the fax referral form --------------------------------------------------------------------------------------

# the fixture's perinatal service is for pediatricians too: a practice that sees children (a parent or guardian)
US_FIELDS = {"referrer_phone", "referrer_fax", "guardian_name", "guardian_relationship", "guardian_phone",
             "referrer_npi", "patient_name", "patient_dob", "patient_phone", "insurance_plan",
             "member_id", "patient_language", "reason", "diagnosis", "medications", "risk_concerns", "urgency",
             "consent", "referrer_signature", "referral_date"}


def test_fax_form_is_one_fillable_letter_page_addressed_to_the_practice_fax(kit):
    path = kit.out / files_of(kit, "jane-smith")["fax_form"]
    assert path == kit.out / "site/jane-smith/fax-referral-form.pdf"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)) == (215.9, 279.4)
    fields = reader.get_fields()
    assert set(fields) == US_FIELDS and len(fields) >= 10
    assert fields["consent"]["/FT"] == "/Btn" and fields["reason"]["/FT"] == "/Tx"
    # one urgency, so one radio group: form software and a screen reader offer the three as one choice
    assert fields["urgency"]["/FT"] == "/Btn" and int(fields["urgency"]["/Ff"]) & (1 << 15)
    assert fields["patient_name"]["/TU"] == "Patient name"  # what a screen reader announces
    text = " ".join(pdf_text(path).split())
    assert "Fax to (503) 555-0101" in text, "the US national format"
    assert "From Jane Smith, MD, FACOG" in text and "Lakeside Women's Health" in text
    assert "For treatment referrals; send only by fax or our secure form" in text, "voice: we (the default)"
    assert f"Referral code {codes.candidate('jane-smith', 0)}" in text
    assert "Phone (503) 555-0100 · Fax (503) 555-0101" in text, "the footer's text is extractable too"


def test_fax_form_can_be_filled_in(kit, tmp_path):
    """A physician's PDF viewer writes values into the fields: pypdf does the same and reads them back."""
    reader = pypdf.PdfReader(kit.out / "site/jane-smith/fax-referral-form.pdf")
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.update_page_form_field_values(writer.pages[0], {"patient_name": "Test Patient", "consent": "/on"},
                                         auto_regenerate=False)
    out = tmp_path / "filled.pdf"
    writer.write(out)
    fields = pypdf.PdfReader(out).get_fields()
    assert fields["patient_name"]["/V"] == "Test Patient" and fields["consent"]["/V"] == "/on"


def test_region_au_asks_for_a_better_access_referral(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", "base_url: https://refer.example.org/\nregion: au\n")
    build(project.root, jobs=1)
    path = project.out / "site/jane-smith/fax-referral-form.pdf"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    fields = set(reader.get_fields())
    assert {"mhtp_attached", "provider_number", "sessions_referred", "medicare_number"} <= fields
    assert not fields & {"referrer_npi", "member_id", "insurance_plan"}
    text = " ".join(pdf_text(path).split())
    assert "GP Mental Health Treatment Plan" in text and "Lifeline on 13 11 14" in text


def test_an_unknown_region_is_a_located_error(project):
    project.write("kitgen.yaml", "base_url: https://refer.example.org/\nregion: uk\n")
    with pytest.raises(ContentError) as caught:
        build(project.root, jobs=1)
    assert [str(p) for p in caught.value.problems] == \
        ["kitgen.yaml:2: region: unknown region 'uk'; did you mean 'gb' (United Kingdom)? Use an ISO 3166 code: us, ca, gb, ie, au, nz"]


# --- the intro letter and e-mail -------------------------------------------------------------------------------

def test_intro_letter_is_one_page_addressed_by_name_with_the_qr_code(kit):
    path = kit.out / files_of(kit, "jane-smith")["intro_letter"]
    assert path == kit.out / "desk/jane-smith/intro-letter.pdf", "the therapist's own, never in site/"
    assert len(pypdf.PdfReader(path).pages) == 1
    text = " ".join(pdf_text(path).split())
    assert "Dear Dr. Smith," in text, "title and surname"
    assert "Aetna, Cigna, Medicare" in text and "within 7 days" in text and "15 minutes" in text
    body = text[text.index("Dear"):text.index("Sincerely")]
    assert len(body.split()) <= 200
    assert qr_codes(path) == [f"https://refer.example.org/r/{codes.candidate('jane-smith', 0)}/"]


def read_eml(path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_intro_email_is_a_draft_naming_the_physician_under_200_words(kit):
    path = kit.out / files_of(kit, "omar-haddad")["intro_email"]
    assert path == kit.out / "desk/omar-haddad/intro-email.eml"
    msg = read_eml(path)
    assert msg["Subject"] == SUBJECT
    (to,) = msg["To"].addresses
    assert (to.display_name, to.addr_spec) == ("", "ohaddad@valleyfp.example"), "the office's address: no name"
    assert msg["From"] == "Harbor Light Therapy <referrals@harborlight.example>"
    dated = msg["Date"].datetime  # the build day ($KITGEN_TODAY here), at midday in the machine's own time zone
    assert (dated.date().isoformat(), dated.time().isoformat()) == ("2026-11-20", "12:00:00"), msg["Date"]
    assert msg.get_content_type() == "text/plain"
    assert b"\n" not in path.read_bytes().replace(b"\r\n", b""), "an RFC 5322 message: CRLF line ends"
    body = msg.get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Dr. Haddad,\n")
    assert len(body.split()) <= 200
    assert "https://secure.harborlight.example/refer?src=kit&ref=omar-haddad" in body


def test_intro_email_has_no_recipient_without_a_partner_email(kit):
    msg = read_eml(kit.out / "desk/jane-smith/intro-email.eml")
    assert msg["To"] is None
    assert "Dr. Smith" in msg.get_content()
    assert msg["Subject"] == "Referral collaboration – Harbor Light Therapy, perinatal mental health", "her specialty's"


def test_a_long_intro_warns_above_150_words_and_fails_above_200(project):
    text = PRACTICE.replace("insurance: [Aetna, Cigna, Medicare]",
                            "insurance: [" + ", ".join(f"Plan number {i}" for i in range(17)) + "]")
    project.write("content/practice.yaml", text)
    result = build(project.root, jobs=1)
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("insurance:"))) + 1
    warnings = [str(w) for w in result.warnings if w.field == "insurance"]
    assert len(warnings) == 1
    assert re.fullmatch(rf"content/practice\.yaml:{line}: insurance: warning: the intro e-mail to jane-smith is "
                        r"1[5-9]\d words with its greeting, links and signature \(physicians read 150 or fewer\).*",
                        warnings[0])
    project.write("content/practice.yaml", text.replace("Plan number 0", " ".join(["Plan"] * 60)))
    with pytest.raises(ContentError) as caught:
        build(project.root, jobs=1)
    assert any("the limit is 200" in p.message and p.line == line for p in caught.value.problems)


# --- thank-you cards -------------------------------------------------------------------------------------------

def test_thank_you_cards_two_up_addressed_to_the_physician(kit):
    path = kit.out / files_of(kit, "jane-smith")["thank_you"]
    assert path.parent == kit.out / "desk/jane-smith"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    text = " ".join(pdf_text(path).split())
    assert text.count("Thank you Dear Dr. Smith,") == 2
    assert text.count("(503) 555-0100") == 2 and text.count("referrals@harborlight.example") == 2


# --- referral codes --------------------------------------------------------------------------------------------

def test_codes_are_short_unambiguous_unique_and_in_the_manifest(kit):
    found = {p["slug"]: p["referral_code"] for p in manifest(kit)["partners"]}
    assert set(found) == {"jane-smith", "lee-park", "omar-haddad"}
    assert len(set(found.values())) == 3
    for code in found.values():
        assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}", code), code
        assert not set(code) & set("01OIL")
    assert found == {s: codes.candidate(s, 0) for s in found}, "derived from the slug alone"


def test_codes_are_printed_where_a_caller_reads_them(kit):
    code = next(p for p in manifest(kit)["partners"] if p["slug"] == "jane-smith")["referral_code"]
    files = files_of(kit, "jane-smith")
    assert f"Mention code {code} when you call" in " ".join(pdf_text(kit.out / files["one_pager"]).split())
    cards = " ".join(pdf_text(kit.out / files["cards"]).split())
    assert cards.count(f"Mention code {code} when you call") == 10, "once per card, on its back"
    page = Page(kit.out / files["landing"])
    assert f"Mention code {code}" in text(page.root)


def partner(slug: str, code: str | None = None) -> Partner:
    return Partner(name="X", credentials="MD", specialty="x", practice="Y", referral_code=code, slug=slug)


def test_codes_stay_unique_across_many_partners_and_survive_collisions():
    slugs = [f"partner-{i}" for i in range(3000)]
    assigned = codes.assign([partner(s) for s in slugs])
    assert len(set(assigned.values())) == 3000
    assert all(codes.PATTERN.match(c) for c in assigned.values())
    # a pinned code that another partner would derive: the pin wins, the other takes its next candidate
    taken = codes.candidate("b-slug", 0)
    assigned = codes.assign([partner("a-slug", taken), partner("b-slug")])
    assert assigned == {"a-slug": taken, "b-slug": codes.candidate("b-slug", 1)}
    assert codes.assign([partner("b-slug"), partner("a-slug", taken)]) == assigned, "order of files does not matter"


def test_a_pinned_code_must_be_valid_and_unique(project):
    project.write("content/partners/omar-haddad.yaml", SECOND + "referral_code: L0O1\n")
    with pytest.raises(ContentError) as caught:
        build(project.root, jobs=1)
    assert [(p.path, p.line, p.field) for p in caught.value.problems] == \
        [("content/partners/omar-haddad.yaml", 7, "referral_code")]
    project.write("content/partners/omar-haddad.yaml", SECOND + "referral_code: ABCD\n")
    project.write("content/partners/jane-smith.yaml", PARTNER + "referral_code: ABCD\n")
    with pytest.raises(ContentError) as caught:
        build(project.root, jobs=1)
    assert [str(p) for p in caught.value.problems] == ["content/partners/omar-haddad.yaml: referral_code: ABCD is "
                                                       "already the code of jane-smith; codes must be unique (delete "
                                                       "the line for a new one)"]


def test_a_code_that_moved_since_the_last_build_is_a_warning(project):
    build(project.root, jobs=1)
    data = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    real = data["partners"][0]["referral_code"]
    data["partners"][0]["referral_code"] = "WXYZ"  # as if the last build had printed another code
    (project.out / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    result = build(project.root, jobs=1)
    assert [str(w) for w in result.warnings if w.field == "referral_code"] == [
        f"content/partners/jane-smith.yaml: referral_code: warning: the code changed from WXYZ to {real} (a new "
        "partner took it); printed cards say WXYZ: add 'referral_code: WXYZ' to keep it"]


# --- the vCard -------------------------------------------------------------------------------------------------

def test_vcard_is_rfc_6350_and_linked_from_every_landing_page(kit):
    rel = manifest(kit)["files"]["vcard"]
    assert rel == "site/referrals.vcf"
    data = (kit.out / rel).read_bytes()
    assert all(len(line) <= 75 for line in physical_lines(data))
    card = vobject.readOne(data.decode("utf-8"))
    assert card.version.value == "4.0"
    assert card.fn.value == "Harbor Light Therapy" and card.org.value == ["Harbor Light Therapy"]
    tels = {tuple(t.params["TYPE"]): t.value for t in card.tel_list}
    assert tels == {("work", "voice"): "tel:+15035550100", ("work", "fax"): "tel:+15035550101"}, "E.164"
    assert card.email.value == "referrals@harborlight.example" and card.url.value == "https://harborlight.example"
    assert "10 Dock St" in str(card.adr.value)
    for slug in ("jane-smith", "lee-park", "omar-haddad"):
        page = Page(kit.out / f"site/{slug}/index.html")
        links = [a for a in page.all("a") if a.get("type") == "text/vcard"]
        assert [a.get("href") for a in links] == ["../referrals.vcf"]


def test_vcard_escapes_and_folds_long_non_ascii_values(project):
    name = "Zoë & Søren; Counseling, Therapy and Wellness for Families — Ünïcödé Ŵörds Everywhere"
    project.write("content/practice.yaml", PRACTICE.replace("name: Harbor Light Therapy", f"name: \"{name}\""))
    build(project.root, jobs=1)
    data = (project.out / "site/referrals.vcf").read_bytes()
    lines = physical_lines(data)
    assert max(len(line) for line in lines) <= 75 and any(len(line) > 70 for line in lines)
    data.decode("utf-8")  # no fold splits a character
    fn = next(line for line in unfold(data) if line.startswith("FN:"))
    assert fn == "FN:" + name.replace(";", "\\;").replace(",", "\\,")
    assert vobject.readOne(data.decode("utf-8")).fn.value == name


# --- follow-ups ------------------------------------------------------------------------------------------------

def test_followup_calendar_has_one_all_day_reminder_three_months_after_last_contact(kit):
    rel = manifest(kit)["files"]["followups"]
    assert rel == "desk/followups.ics"
    data = (kit.out / rel).read_bytes()
    assert all(len(line) <= 75 for line in physical_lines(data))
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"followup-omar-haddad@refer.example.org", "followup-lee-park@refer.example.org"}
    omar = events["followup-omar-haddad@refer.example.org"]
    assert omar.decoded("DTSTART") == datetime.date(2026, 11, 20)
    assert omar.decoded("DTEND") == datetime.date(2026, 11, 21)
    assert omar.decoded("DTSTAMP") == datetime.datetime(2026, 11, 15, tzinfo=datetime.UTC)
    assert str(omar["SUMMARY"]) == "Follow up: Dr. Omar Haddad, Valley Family Practice"
    assert "Last contact 2026-08-20" in str(omar["DESCRIPTION"])


def test_followup_uid_survives_a_new_contact_date_and_dtstamp_follows_source_date_epoch(project, monkeypatch):
    project.write("content/partners/omar-haddad.yaml", SECOND)
    build(project.root, jobs=1)
    before = icalendar.Calendar.from_ical((project.out / "desk/followups.ics").read_bytes())
    monkeypatch.setenv("KITGEN_TODAY", "2026-12-01")  # a contact in the future is an error
    project.write("content/partners/omar-haddad.yaml", SECOND.replace("2026-08-20", "2026-11-30"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    result = build(project.root, jobs=1)
    assert "desk/followups.ics" in result.written
    (after,) = icalendar.Calendar.from_ical((project.out / "desk/followups.ics").read_bytes()).walk("VEVENT")
    assert str(after["UID"]) == str(before.walk("VEVENT")[0]["UID"])
    assert after.decoded("DTSTART") == datetime.date(2027, 2, 28)  # Nov 30 + 3 months: the month's last day
    assert after.decoded("DTSTAMP") == datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_kitgen_followups_reports_overdue_due_and_never_contacted(kit):
    result = CliRunner().invoke(main, ["followups", "--project", str(kit.root), "--today", "2026-11-25"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Overdue:",
        "  Dr. Omar Haddad (Valley Family Practice): due 2026-11-20 (5 days overdue); last contact 2026-08-20",
        "Due within 30 days:",
        "  Lee Park (Northside Clinic): due 2026-11-30 (in 5 days); last contact 2026-08-30",
        "Never contacted:",
        "  Dr. Jane Smith (Lakeside Women's Health): no contacts or last_contact in content/partners/jane-smith.yaml",
        "kitgen: 1 overdue, 1 due soon, 1 never contacted, 0 later (as of 2026-11-25)",
    ]
    early = CliRunner().invoke(main, ["followups", "--project", str(kit.root), "--today", "2026-09-01"])
    assert early.output.splitlines() == [  # every partner named, the later ones too
        "Never contacted:",
        "  Dr. Jane Smith (Lakeside Women's Health): no contacts or last_contact in content/partners/jane-smith.yaml",
        "Later:",
        "  Dr. Omar Haddad (Valley Family Practice): due 2026-11-20 (in 80 days); last contact 2026-08-20",
        "  Lee Park (Northside Clinic): due 2026-11-30 (in 90 days); last contact 2026-08-30",
        "kitgen: 0 overdue, 0 due soon, 1 never contacted, 2 later (as of 2026-09-01)",
    ]
    bad = CliRunner().invoke(main, ["followups", "--project", str(kit.root), "--today", "25/11/2026"])
    assert bad.exit_code == 2


# --- the manifest and the build --------------------------------------------------------------------------------

def test_manifest_lists_every_new_piece(kit):
    data = manifest(kit)
    fonts = {f: f"site/assets/fonts/{f}.woff2" for f in ("Inter-Regular", "Inter-SemiBold", "Inter-Bold")}
    codes = [p["referral_code"] for p in data["partners"]]
    assert data["files"] == {"headers": "site/_headers", "brand_css": "site/assets/brand.css", "web_font": fonts,
                             "vcard": "site/referrals.vcf", "followups": "desk/followups.ics",
                             "redirect": {c: f"site/r/{c}/index.html" for c in codes},
                             "patient_redirect": {c: f"site/p/{c}/index.html" for c in codes},
                             "redirect_js": "site/assets/redirect.js", "redirects": "site/_redirects"}
    for p in data["partners"]:
        assert {"fax_form", "intro_letter", "intro_email", "thank_you"} <= set(p["files"])
        for rel in p["files"].values():
            assert (kit.out / rel).is_file()
    assert not list((kit.out / "site").rglob("*.eml")), "desk pieces are never under site/"


def test_a_rebuild_is_a_no_op_and_an_edit_to_last_contact_touches_only_its_documents(kit):
    assert build(kit.root, jobs=1).written == []
    kit.write("content/partners/lee-park.yaml", THIRD.replace("2026-08-30", "2026-09-02"))
    try:
        written = set(build(kit.root, jobs=1).written)
    finally:
        kit.write("content/partners/lee-park.yaml", THIRD)
        build(kit.root, jobs=1)
    assert "desk/followups.ics" in written
    assert not any("jane-smith" in rel or "omar-haddad" in rel for rel in written)
