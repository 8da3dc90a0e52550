"""Intro letters and e-mails in a person's voice, read back from the built PDF (pypdf, pdfplumber) and .eml (the
email package): who signs, service names as written, the date, who the e-mail is addressed to, the word count as
the physician receives it, and a practice's own letter body in content/intro-letter.md."""

from __future__ import annotations

import email
import email.policy
import io
import re
import subprocess
import sys

import pdfplumber
import pypdf
import pytest
from conftest import PRACTICE, copy_project, make_project

from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

LETTER = "desk/jane-smith/intro-letter.pdf"
EMAIL = "desk/jane-smith/intro-email.eml"
PARTNER = """\
name: Jane Smith
credentials: MD, FACOG
specialty: ob-gyn
practice: Lakeside Women's Health
email: frontdesk@lakeside.example
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture kit (a solo practice: Ana Ruiz, LCSW), with the office's e-mail address, built once."""
    project = make_project(tmp_path_factory.mktemp("letters") / "kit")
    project.write("content/partners/jane-smith.yaml", PARTNER)
    build(project.root, jobs=1)
    return project


@pytest.fixture
def kit(built, tmp_path):
    return copy_project(built, tmp_path)


def letter_text(project) -> str:
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(project.out / LETTER).pages).split())
    return text.replace("https:// ", "https://")  # an address the line broke after its scheme


def read_email(project) -> email.message.EmailMessage:
    return email.message_from_bytes((project.out / EMAIL).read_bytes(), policy=email.policy.default)


def body(project) -> str:
    return read_email(project).get_content().replace("\r\n", "\n")


def test_the_only_clinician_signs_the_letter_and_the_email(built):
    assert "Sincerely, Ana Ruiz, LCSW Harbor Light Therapy (503) 555-0100" in letter_text(built)
    assert body(built).endswith("Kind regards,\nAna Ruiz, LCSW\nHarbor Light Therapy\n+1 503-555-0100\n")


def test_the_signer_writes_as_i_and_speaks_for_the_practice_as_we(built):
    text = letter_text(built)
    for said in ("I am writing from Harbor Light Therapy", "We could help your patients at Lakeside Women's Health",
                 "We accept Aetna, Cigna, Medicare.", "or use our secure form",
                 "We confirm every referral within 48 hours.", "May I call your office"):
        assert said in text, said
    said = text[text.index("Dear"):text.index("Sincerely")]
    assert not re.search(r"\b(my|me)\b", said), said


def test_the_email_goes_to_the_office_never_under_the_physicians_name(built, tmp_path):
    (to,) = read_email(built)["To"].addresses
    assert (to.display_name, to.addr_spec) == ("", "frontdesk@lakeside.example")
    kit = copy_project(built, tmp_path)
    kit.write("content/partners/jane-smith.yaml", PARTNER + "office_contact: Dana Lee, office manager\n")
    build(kit.root, jobs=1)
    (to,) = read_email(kit)["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Dana Lee", "frontdesk@lakeside.example")
    assert body(kit).startswith("Dear Dana Lee,\n\nCould you please pass this on to Dr. Smith?\n\n")  # To: her


def test_a_named_signer_with_a_role_and_a_signature_image(kit):
    from PIL import Image
    (kit.root / "content/images").mkdir(parents=True)
    Image.new("RGB", (600, 150), (20, 40, 120)).save(kit.root / "content/images/signature.png")
    kit.write("content/practice.yaml", PRACTICE + "signer:\n  name: Sam Lee\n  credentials: PhD\n"
              "  role: Clinical director\n  signature: images/signature.png\n")
    build(kit.root, jobs=1)
    text = letter_text(kit)
    assert "Sincerely, Sam Lee, PhD Clinical director Harbor Light Therapy" in text
    assert body(kit).endswith("Kind regards,\nSam Lee, PhD\nClinical director, Harbor Light Therapy\n+1 503-555-0100\n")
    with pdfplumber.open(kit.out / LETTER) as pdf:
        (signature,) = [i for i in pdf.pages[0].images if tuple(i["srcsize"]) == (600, 150)]
        sincerely = next(w for w in pdf.pages[0].extract_words() if w["text"] == "Sincerely,")
        name = next(w for w in pdf.pages[0].extract_words() if w["text"] == "Sam")
    assert sincerely["bottom"] < signature["top"] < signature["bottom"] < name["top"], "between sign-off and name"
    width, height = signature["x1"] - signature["x0"], signature["bottom"] - signature["top"]
    assert width / height == pytest.approx(4, rel=0.02)
    assert (kit.out / "desk/media/images/signature.png").is_file()
    assert not list((kit.out / "site").rglob("signature.png")), "a signature is never deployed"


def test_service_names_are_printed_as_written(kit):
    kit.write("content/practice.yaml", PRACTICE.replace("name: Perinatal mental health",
                                                        "name: PMAD care for NICU parents"))
    build(kit.root, jobs=1)
    assert "especially with PMAD care for NICU parents." in letter_text(kit)
    assert "especially with PMAD care for NICU parents." in body(kit)


def test_the_letter_is_dated_the_build_date(kit, monkeypatch):
    assert "November 20, 2026" in letter_text(kit), "without SOURCE_DATE_EPOCH: the build day ($KITGEN_TODAY here)"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    result = build(kit.root, jobs=1)
    assert {LETTER, EMAIL} <= set(result.written)
    assert "January 1, 2026" in letter_text(kit)
    assert read_email(kit)["Date"] == "Thu, 01 Jan 2026 00:00:00 +0000"


def test_the_word_limit_counts_the_email_as_received(kit):
    plans = ", ".join(f"Plan number {i}" for i in range(14))
    kit.write("content/practice.yaml", PRACTICE.replace("insurance: [Aetna, Cigna, Medicare]", f"insurance: [{plans}]"))
    result = build(kit.root, jobs=1)
    received = len(body(kit).split())
    letter_body = letter_text(kit)
    letter_body = letter_body[letter_body.index("Dear"):letter_body.index("Sincerely")]
    assert len(letter_body.split()) <= 150 < received, "the letter's body alone would pass"
    (warning,) = [str(w) for w in result.warnings if w.field == "insurance"]
    assert f"the intro e-mail to jane-smith is {received} words with its greeting, links and signature " \
           "(physicians read 150 or fewer)" in warning


OWN = """\
Thank you for the care you give your patients at {clinic}, {physician}.

I am *Ana*, and I see adults with anxiety. Call me on {phone} or send the form at {referral_url}
(your code is {code}).
"""


def test_a_practice_writes_its_own_letter_body_with_placeholders(kit):
    kit.write("content/intro-letter.md", OWN)
    result = build(kit.root, jobs=1)
    assert set(result.written) == {LETTER, EMAIL}, "only what was made from it"
    code = re.search(r"Referral code (\w{4})", " ".join(pypdf.PdfReader(
        kit.out / "desk/jane-smith/thank-you-cards.pdf").pages[0].extract_text().split())).group(1)
    expected = ("Dear Dr. Smith, Thank you for the care you give your patients at Lakeside Women's Health, "
                "Dr. Smith. I am Ana, and I see adults with anxiety. Call me on (503) 555-0100 or send the form at "
                f"https://secure.harborlight.example/refer?src=kit&ref=jane-smith (your code is {code}). Sincerely,")
    assert expected in letter_text(kit)
    assert " ".join(body(kit).split()).startswith(expected.replace("I am Ana", "I am *Ana*")[:-len(" Sincerely,")])
    with pdfplumber.open(kit.out / LETTER) as pdf:
        ana = [c for c in pdf.pages[0].chars if c["text"] == "A" and "Italic" in c["fontname"]]
    assert ana, "Markdown emphasis is rendered in the letter"
    assert "I could help" not in letter_text(kit), "instead of the built-in wording"


def test_an_unknown_placeholder_is_a_located_error(kit):
    kit.write("content/intro-letter.md", OWN.replace("{phone}", "{telephone}"))
    run = subprocess.run([sys.executable, "-m", "kitgen", "check", "--project", str(kit.root)], capture_output=True,
                         text=True)
    assert run.returncode == 1
    assert run.stderr.startswith("content/intro-letter.md:3: placeholder: {telephone} is not a placeholder kitgen "
                                 "fills; use one of {physician}, {physician_name}, {clinic}"), run.stderr
    with pytest.raises(ContentError):
        build(kit.root, jobs=1)


def test_the_own_body_counts_toward_the_limit_and_is_blamed(kit):
    kit.write("content/intro-letter.md", OWN + "\n" + "We listen closely and plan together. " * 40)
    with pytest.raises(ContentError) as caught:
        build(kit.root, jobs=1)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.field) == ("content/intro-letter.md", 1, "body")
    assert "the limit is 200" in problem.message and "shorten your letter" in problem.message


def test_the_letter_pdf_has_no_image_of_the_signature_without_one(built):
    with pdfplumber.open(io.BytesIO((built.out / LETTER).read_bytes())) as pdf:
        assert pdf.pages[0].images == [], "no raster image: the QR code is vectors"


def test_a_long_profile_still_gets_a_one_page_letter(tmp_path):
    from test_print import LONG_PARTNER, LONG_PRACTICE
    project = make_project(tmp_path / "kit")
    project.write("content/practice.yaml", LONG_PRACTICE)
    project.write("content/partners/jane-smith.yaml", LONG_PARTNER)
    build(project.root, jobs=2)  # condensed, where it used to need two pages and stop the build
    assert len(pypdf.PdfReader(project.out / LETTER).pages) == 1
    text = letter_text(project)
    assert "Dear Dr. Konstantinopoulou-Whitfield," in text and "Maria-Fernanda Ortiz-Castellanos, LCSW, PMH-C" in text


def test_a_british_letter_keeps_the_address_lines_and_titles_the_inside_address(tmp_path):
    """A postal address written over several lines (`address: |`) stays on its lines in the letter (HTML ran them
    together: "14 Stevenson Square Manchester M1 1DN"), and the inside address carries the title the greeting
    uses ("Mr Thomas Reid" for a surgeon with `title: Mr`), as a consultant's secretary expects."""
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", "base_url: https://refer.example.org/\nregion: gb\n")
    project.write("content/practice.yaml", PRACTICE.replace('"+1 503-555-0100"', '"0161 496 0471"')
                  .replace('"+1 503-555-0101"', '"0161 496 0472"').replace("Call or text 988", "Call 111")
                  .replace('  address: "10 Dock St, Portland, OR 97201"\n',
                           "  address: |\n    14 Stevenson Square\n    Manchester M1 1DN\n"))
    project.write("content/partners/jane-smith.yaml", "name: Thomas Reid\ncredentials: MB ChB, FRCS\ntitle: Mr\n"
                  "specialty: general-surgery\npractice: Alexandra Hospital\naddress: |\n  Mill Lane\n"
                  "  Cheadle SK8 2PX\n")
    build(project.root, jobs=1)
    with pdfplumber.open(project.out / LETTER) as pdf:
        lines = pdf.pages[0].extract_text().splitlines()
    assert "Mr Thomas Reid, MB ChB, FRCS" in lines, lines
    at = lines.index("Mr Thomas Reid, MB ChB, FRCS")
    assert lines[at + 1:at + 4] == ["Alexandra Hospital", "Mill Lane", "Cheadle SK8 2PX"], lines
    assert "Dear Mr Reid," in lines
    assert any(line.startswith("14 Stevenson Square") for line in lines) and \
        not any("Square Manchester" in line for line in lines), lines
    footer = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(
        project.out / "site/jane-smith/fax-referral-form.pdf").pages).split())
    assert "14 Stevenson Square, Manchester M1 1DN" in footer and "Mill Lane, Cheadle SK8 2PX" in footer, footer
