"""Regions (kitgen.yaml `region`: us, ca, gb, ie, au, nz): one small kit per region, built once, and read back from
the rendered PDFs and pages: paper and card stock, crisis and emergency numbers, phone numbers, names, dates and
the fax form's fields."""

from __future__ import annotations

import io
import re
import textwrap

import pypdf
import pytest
import readback
from click.testing import CliRunner
from conftest import TALK, Project
from htmlpage import Page, text

from kitgen.commands.cli import main
from kitgen.content import regions
from kitgen.pipeline.output import STATE
from kitgen.pipeline.pipeline import build

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
          patient_url: https://harbourlight.example/first-visit
        availability:
          accepting_new_clients: true
          first_appointment_within_days: 7
          as_of: 2026-11-15
        insurance: [Bupa]
        fees: {{self_pay: true}}
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


# --- crisis and emergency lines ----------------------------------------------------------------------------------

PIECES = {"landing": "index.html", "one_pager": "one-pager.pdf", "handout": "lunch-and-learn.pdf",
          "fax_form": "fax-referral-form.pdf", "cards": "cards.pdf"}
# What each region's pieces must print: the emergency number(s) and every crisis line's numbers.
NUMBERS = {"us": ["911", "988"], "ca": ["911", "9-8-8"], "gb": ["999", "111", "116 123"],
           "ie": ["112", "999", "116 123", "50808"], "au": ["000", "13 11 14", "0477 13 11 14"],
           "nz": ["111", "1737"]}


def pdf_text(path) -> str:
    return readback.pdf_text(path, squeeze=True)


def page_text(path) -> str:
    return text(Page(path).one("body"))


def piece_text(project, kind: str) -> str:
    path = project.out / "site/priya-raman" / PIECES[kind]
    return page_text(path) if path.suffix == ".html" else pdf_text(path)


def crisis_sentence(project, kind: str) -> str:
    """The words after 'Not for emergencies' on a piece, up to the end of their sentence(s)."""
    found = re.search(r"Not for emergencies[.:] (.*?Emergency: [^.]*\.|.*?\.)(?: |$)", piece_text(project, kind))
    assert found, f"{kind} does not say 'Not for emergencies'"
    return found.group(1)


@pytest.mark.parametrize("region", list(NUMBERS))
@pytest.mark.parametrize("kind", list(PIECES))
def test_every_not_for_emergencies_piece_prints_the_regions_own_numbers(kits, region, kind):
    sentence = crisis_sentence(kits(region), kind)
    for number in NUMBERS[region]:
        if kind == "cards" and number == "0477 13 11 14":
            continue  # a card has room for Lifeline's call number only
        assert re.search(rf"(?<![\d-]){re.escape(number)}(?![\d-])", sentence), (number, sentence)


@pytest.mark.parametrize(("region", "kind", "expected"), [
    ("us", "landing", "If a patient is in crisis, call or text 988 (Suicide & Crisis Lifeline) or call 911."),
    ("au", "landing", "If a patient is in crisis, call Lifeline on 13 11 14 or text 0477 13 11 14 or call 000."),
    ("gb", "one_pager", "For a patient in crisis: call NHS 111 and select the mental health option (England), "
                        "call Samaritans free on 116 123 or call 999."),
    ("ie", "handout", "call Samaritans free on 116 123, text 50808 (free, 24/7) or call 112 or 999."),
    ("ca", "fax_form", "call or text 9-8-8 (Suicide Crisis Helpline) or call 911."),
    ("nz", "cards", "Not for emergencies. In a crisis: call or text 1737. Emergency: 111."),
    ("gb", "cards", "Not for emergencies. In a crisis: NHS 111 (mental health option) or Samaritans 116 123. "
                    "Emergency: 999."),
])
def test_the_crisis_wording(kits, region, kind, expected):
    assert expected in piece_text(kits(region), kind)


def test_crisis_numbers_on_the_page_are_tap_to_call_links(kits):
    """13 11 14 as dialled in Australia (no +61 form dials it), the text line an sms: link (test_dialling.py)."""
    note = Page(kits("au").out / "site/priya-raman/index.html").one("p", class_="crisis")
    links = {text(a): a.get("href") for a in note.iter("{http://www.w3.org/1999/xhtml}a")}
    assert links == {"13 11 14": "tel:131114", "0477 13 11 14": "sms:+61477131114", "000": "tel:000"}


US_ONLY = re.compile(r"(?<![\d-])(988|911|9-8-8|9-1-1)(?![\d-])")


def every_text(out) -> dict[str, str]:
    """Every file a build wrote, as the words a person or a program reads in it: PDF text, the text and attributes
    of a page, other text files whole. Images are pictures of a URL (checked by the QR tests)."""
    found = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".pdf":
            reader = pypdf.PdfReader(path)
            fields = " ".join(str(v.get("/TU", "")) for v in (reader.get_fields() or {}).values())
            found[rel] = pdf_text(path) + " " + fields + " " + str(reader.metadata)
        elif path.suffix == ".html":
            page = Page(path)
            attrs = " ".join(v for el in page.root.iter() for v in el.attrib.values())
            found[rel] = text(page.root) + " " + attrs
        elif rel == STATE:  # kitgen's private record, never deployed: its hex digests hold "988" by chance
            continue
        elif path.suffix not in (".png", ".otf", ".svg", ".woff2", ".ico") and not rel.startswith("site/media/"):
            found[rel] = path.read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize("region", ["au", "gb", "ie", "nz"])
def test_no_file_of_a_kit_outside_north_america_has_988_or_911(kits, region):
    texts = every_text(kits(region).out)
    assert len(texts) >= 12 and any(name.endswith("cards.pdf") for name in texts)
    assert {name: US_ONLY.findall(body) for name, body in texts.items() if US_ONLY.search(body)} == {}


def test_the_us_kit_is_checked_the_same_way(kits):
    """The scan above can fail: in a US kit it finds the 988 and 911 kitgen prints."""
    found = {name for name, body in every_text(kits("us").out).items() if US_ONLY.search(body)}
    assert {"site/priya-raman/index.html", "site/priya-raman/cards.pdf"} <= found


LOCAL_LINE = """\
crisis:
  lines:
    - name: Harbour Mental Health Crisis Team
      call: "{call}"
"""


def test_a_practice_adds_its_own_crisis_line_after_the_regions(tmp_path):
    project = region_project(tmp_path / "kit", "au")
    project.write("content/practice.yaml", practice("au") + LOCAL_LINE.format(call="1800 011 511"))
    build(project.root, jobs=1)
    landing = crisis_sentence(project, "landing")
    assert landing == ("If a patient is in crisis, call Lifeline on 13 11 14 or text 0477 13 11 14, call Harbour Mental "
                       "Health Crisis Team on 1800 011 511 or call 000.")
    assert "Harbour Mental Health Crisis Team on 1800 011 511" in crisis_sentence(project, "one_pager")
    assert "Harbour Mental Health Crisis Team 1800 011 511" in crisis_sentence(project, "cards")
    note = Page(project.out / "site/priya-raman/index.html").one("p", class_="crisis")
    assert "tel:1800011511" in [a.get("href") for a in note.iter("{http://www.w3.org/1999/xhtml}a")]


def test_a_practice_replaces_the_regions_lines_but_never_the_emergency_number(tmp_path):
    project = region_project(tmp_path / "kit", "us")
    own = (LOCAL_LINE.format(call="+1 541-555-0199") + "    - name: Lane County Crisis Text Line\n"
           '      text: "741741"\n  replace: true\n')
    project.write("content/practice.yaml", practice("us") + own)
    build(project.root, jobs=1)
    for kind in PIECES:
        sentence = crisis_sentence(project, kind)
        assert "988" not in sentence and "911" in sentence, kind
    assert crisis_sentence(project, "fax_form") == ("call Harbour Mental Health Crisis Team on (541) 555-0199, text "
                                                    "Lane County Crisis Text Line on 741741, or call 911.")


@pytest.mark.parametrize(("crisis", "message"), [
    ("crisis:\n  lines:\n    - name: County line\n",
     "content/practice.yaml:29: crisis.lines[0].name: needs a number: add `call:`, `text:` or both"),
    ("crisis:\n  replace: true\n",
     "content/practice.yaml:28: crisis.replace: replaces the region's crisis lines with none; add your own under "
     "`lines:`"),
])
def test_a_crisis_line_without_a_number_is_a_located_error(tmp_path, crisis, message):
    project = region_project(tmp_path / "kit", "us")
    project.write("content/practice.yaml", practice("us") + crisis)
    assert check(project) == (1, [message, "kitgen: 1 error; nothing was written"])


# --- phone numbers -----------------------------------------------------------------------------------------------

def test_every_number_in_the_table_is_one_phonenumbers_can_dial():
    from kitgen.content import phones
    for region in regions.REGIONS.values():
        numbers = [*region.emergency] + [n for line in region.crisis_lines for n in (line.call, line.text) if n]
        for number in numbers:
            assert phones.problem(number, region.code, service=True) is None, (region.code, number)
        assert phones.problem(region.phone_example, region.code) is None, region.code
        assert phones.display(region.phone_example, region.code) == region.phone_example


@pytest.mark.parametrize("region", list(LOCAL))
def test_phone_numbers_print_in_the_national_format_and_link_in_e164(kits, region):
    _, _, phone, fax, e164 = LOCAL[region]
    project = kits(region)
    for kind in ("one_pager", "handout", "fax_form", "cards"):
        words = piece_text(project, kind)
        assert phone in words, (kind, words)
        assert fax in words or kind == "cards", kind  # cards are for patients, who call; faxes are for offices
    page = Page(project.out / "site/priya-raman/index.html")
    calls = [a for a in page.all("a") if (a.get("href") or "").startswith("tel:+")]
    assert {a.get("href") for a in calls if phone in text(a)} == {f"tel:{e164}"}
    letter = pdf_text(project.out / "desk/priya-raman/intro-letter.pdf")
    assert phone in letter and fax in letter


def test_au_numbers_have_no_brackets_and_other_countries_numbers_keep_their_country_code(tmp_path):
    project = region_project(tmp_path / "kit", "au")
    project.write("content/practice.yaml", practice("au").replace('fax: "+61 2 9555 0188"', 'fax: "+44 161 496 0472"'))
    build(project.root, jobs=1)
    words = piece_text(project, "one_pager")
    assert "Phone 02 9555 0187" in words and "Fax +44 161 496 0472" in words and "(02)" not in words


def test_the_vcard_and_the_email_signature_carry_the_number_with_its_country_code(kits):
    import email
    import email.policy
    project = kits("au")
    card = (project.out / "site/referrals.vcf").read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded
    assert "TEL;VALUE=uri;TYPE=work,voice:tel:+61295550187\r\n" in card
    assert "TEL;VALUE=uri;TYPE=work,fax:tel:+61295550188\r\n" in card
    assert "or call +61 2 9555 0187." in card
    msg = email.message_from_bytes((project.out / "desk/priya-raman/intro-email.eml").read_bytes(),
                                   policy=email.policy.default)
    body = msg.get_content()
    assert body.rstrip().endswith("+61 2 9555 0187"), "the signature"
    assert "call 02 9555 0187 while the patient" in body, "the text: as the physician dials it"


def test_an_extension_is_kept_in_the_link_and_the_display(tmp_path):
    project = region_project(tmp_path / "kit", "us")
    project.write("content/practice.yaml", practice("us").replace('"+1 541-555-0142"', '"+1 541-555-0142 ext. 204"'))
    build(project.root, jobs=1)
    page = Page(project.out / "site/priya-raman/index.html")
    assert "tel:+15415550142;ext=204" in page.hrefs()
    assert "(541) 555-0142 ext. 204" in text(page.root)


@pytest.mark.parametrize(("region", "field", "written", "message"), [
    ("au", "phone", "02 9555 018", "'02 9555 018' is not a valid phone number in Australia (region: au); write it "
                                   "as it is dialled there, e.g. 02 9555 0187, or with + and its country code"),
    ("us", "phone", "541-555-014", "'541-555-014' is not a valid phone number in United States (region: us); write "
                                   "it as it is dialled there, e.g. (541) 555-0142, or with + and its country code"),
    ("gb", "fax", "116 123", "'116 123' is a short service number; write the practice's full number, e.g. "
                             "0161 496 0471"),
])
def test_a_number_phonenumbers_calls_invalid_is_a_located_error(tmp_path, region, field, written, message):
    project = region_project(tmp_path / "kit", region)
    project.write("content/practice.yaml", practice(region).replace(LOCAL[region][0 if field == "phone" else 1],
                                                                    written))
    line = 4 if field == "phone" else 5
    assert check(project) == (1, [f"content/practice.yaml:{line}: contact.{field}: {message}",
                                  "kitgen: 1 error; nothing was written"])


@pytest.mark.parametrize(("region", "number"), [("gb", "116 123"), ("au", "13 11 14"), ("nz", "1737"),
                                                ("ie", "50808"), ("us", "988")])
def test_a_short_service_number_is_allowed_on_a_crisis_line(tmp_path, region, number):
    project = region_project(tmp_path / "kit", region)
    project.write("content/practice.yaml", practice(region) + LOCAL_LINE.format(call=number))
    assert check(project)[0] == 0


# --- names and dates ---------------------------------------------------------------------------------------------

TITLE = {"us": "Dr.", "ca": "Dr.", "gb": "Dr", "ie": "Dr", "au": "Dr", "nz": "Dr"}
AS_OF = {"us": "November 15, 2026", "ca": "November 15, 2026", "gb": "15 November 2026", "ie": "15 November 2026",
         "au": "15 November 2026", "nz": "15 November 2026"}
BUILT = {region: day.replace("15", "20") for region, day in AS_OF.items()}  # the build day: $KITGEN_TODAY here


@pytest.mark.parametrize("region", list(TITLE))
def test_names_and_dates_in_the_regions_style(kits, region):
    project, title, day = kits(region), TITLE[region], AS_OF[region]
    landing = page_text(project.out / "site/priya-raman/index.html")
    assert f"For {title} Priya Raman and the team at Harbourside Medical Centre" in landing
    assert f"(as of {day})" in landing and f"As of {day}" in landing
    assert f"Prepared for {title} Priya Raman" in piece_text(project, "one_pager")
    assert f"As of {day}" in piece_text(project, "one_pager")
    letter = pdf_text(project.out / "desk/priya-raman/intro-letter.pdf")
    assert letter.startswith("Harbour Light Psychology") and f" {BUILT[region]} " in letter, "dated the build day"
    assert f"Dear {title} Raman," in letter
    thanks = pdf_text(project.out / "desk/priya-raman/thank-you-cards.pdf")
    assert thanks.count(f"Dear {title} Raman,") == 2
    import email
    import email.policy
    msg = email.message_from_bytes((project.out / "desk/priya-raman/intro-email.eml").read_bytes(),
                                   policy=email.policy.default)
    assert msg.get_content().startswith(f"Dear {title} Raman,\r\n")
    other = "Dr" if title == "Dr." else "Dr."
    assert not re.search(rf"\b{re.escape(other)}(?=\s)", landing + letter + thanks), "one title style only"
    wrong = "15 November 2026" if day.startswith("November") else "November 15, 2026"
    assert wrong not in landing + letter + piece_text(project, "one_pager")


def test_a_surname_that_is_not_the_last_word(tmp_path):
    project = region_project(tmp_path / "kit", "gb")
    project.write("content/partners/priya-raman.yaml", PARTNER.replace("Priya Raman", "Gabriel García Márquez")
                  + "surname: García Márquez\n")
    project.write("content/partners/lee-park.yaml", "name: Lee Park\ncredentials: ANP\nspecialty: general-practice\n"
                  "practice: Northside Clinic\n")
    build(project.root, jobs=1)
    letter = pdf_text(project.out / "desk/priya-raman/intro-letter.pdf")
    assert "Dear Dr García Márquez," in letter
    assert "Dear Lee Park," in pdf_text(project.out / "desk/lee-park/intro-letter.pdf"), "no title: the whole name"


# --- the fax referral form ---------------------------------------------------------------------------------------

COMMON_FIELDS = {"referrer_phone", "referrer_fax", "patient_name", "patient_dob", "patient_phone", "patient_language", "reason",
                 "diagnosis", "medications", "risk_concerns", "urgency",
                 "consent", "referrer_signature", "referral_date"}
# Per region: its own fields (name: what a screen reader announces, i.e. the printed label) and fields it must not
# have (another region's).
FAX_FIELDS = {
    "us": {"referrer_npi": "NPI", "insurance_plan": "Insurance plan", "member_id": "Member ID"},
    "ca": {"extended_health_plan": "Extended health plan (insurer), if any",
           "physician_note_needed": "The patient's extended health plan needs a physician's note to reimburse therapy."},
    "gb": {"nhs_number": "NHS number", "private_insurance": "Private insurer", "insurer": "Insurer",
           "authorization_code": "Insurer's authorisation code", "self_funding": "Self-funding"},
    "ie": {"medical_card_number": "Medical card (GMS) number, if any",
           "gp_referral": "I am the patient's GP, or refer on behalf of their primary care team."},
    "au": {"provider_number": "Provider number", "patient_address": "Patient address",
           "medicare_number": "Medicare number and IRN", "mhtp_attached": "GP Mental Health Treatment Plan attached",
           "specialist_referral": "Psychiatrist's or paediatrician's referral",
           "usual_gp": "The patient is registered with MyMedicare at my practice or, if not, I am their usual medical "
                       "practitioner.",
           "sessions_referred": "Sessions referred", "sessions_individual": "Individual", "sessions_group": "Group"},
    "nz": {"nhi_number": "NHI number", "funding_acc": "ACC", "funding_eap": "EAP", "funding_private": "Private",
           "funding_other": "Other", "funding_details": "Claim or approval number, if any"},
}


@pytest.mark.parametrize("region", list(FAX_FIELDS))
def test_the_fax_form_asks_for_what_the_regions_referrers_write(kits, region):
    path = kits(region).out / "site/priya-raman/fax-referral-form.pdf"
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    fields = reader.get_fields()
    assert set(fields) == COMMON_FIELDS | set(FAX_FIELDS[region])
    words = pdf_text(path)
    for name, label in FAX_FIELDS[region].items():
        assert fields[name]["/TU"] == label, name
        assert label in words, f"{label!r} is printed"


def test_au_sessions_and_the_my_medicare_rule_are_printed(kits):
    words = pdf_text(kits("au").out / "site/priya-raman/fax-referral-form.pdf")
    assert "Up to 6 per course of treatment; 10 individual and 10 group a calendar year" in words
    assert "Better Access referral" in words and "A GP's referral, by the Medicare rule since 1 November 2025" in words



# --- lint: a region that looks wrong -----------------------------------------------------------------------------

def test_phone_numbers_all_from_another_country_warn_with_the_fix(tmp_path):
    project = region_project(tmp_path / "kit", "us", numbers_of="au")
    project.write("content/practice.yaml", practice("au").replace('"02 9555 0187"', '"+61 2 9555 0187"'))
    code, lines = check(project)
    assert code == 0
    assert lines == ["content/practice.yaml:4: contact.phone: warning: every phone number here is from Australia "
                     "(+61), but the region is us (United States), whose crisis numbers, dates and referral form "
                     "every piece prints; set region: au in kitgen.yaml"]


def test_one_number_of_the_regions_own_country_is_enough(tmp_path):
    project = region_project(tmp_path / "kit", "au")
    project.write("content/practice.yaml", practice("au").replace('"+61 2 9555 0188"', '"+1 541-555-0143"'))
    assert check(project) == (0, [])


def test_a_country_kitgen_has_no_region_for_says_so(tmp_path):
    project = region_project(tmp_path / "kit", "gb")
    project.write("content/practice.yaml", practice("gb").replace('"0161 496 0471"', '"+33 1 42 68 53 00"')
                  .replace('"0161 496 0472"', '"+33 1 42 68 53 01"'))
    (line,) = check(project)[1]
    assert line.startswith("content/practice.yaml:4: contact.phone: warning: every phone number here is from France "
                           "(+33), but the region is gb (United Kingdom)")
    assert line.endswith("kitgen has no region for France yet (it has us, ca, gb, ie, au, nz)")


@pytest.mark.parametrize(("tag", "expected"), [
    ("en-AU", "kitgen.yaml:4: language: warning: 'en-AU' is the language of Australia, but the region is us "
              "(United States); set region: au in kitgen.yaml, or write language: en-US"),
    ("fr_CA", "kitgen.yaml:4: language: warning: 'fr_CA' is the language of Canada, but the region is us "
              "(United States); set region: ca in kitgen.yaml, or write language: fr-US"),
    ("en-US", None),
    ("en", None),
    ("es-419", None),
])
def test_a_language_tag_of_another_country_warns_with_the_fix(tmp_path, tag, expected):
    project = region_project(tmp_path / "kit", "us", f"paper: letter\nlanguage: {tag}\n")
    assert check(project) == (0, [expected] if expected else [])


def test_each_region_has_a_page_with_its_numbers_title_and_paper():
    from pathlib import Path
    docs = Path(__file__).resolve().parent.parent / "docs/regions"
    for region in regions.REGIONS.values():
        page = (docs / f"{region.code}.md").read_text(encoding="utf-8")
        numbers = [*region.emergency] + [n for line in region.crisis_lines for n in (line.call, line.text) if n]
        assert all(n in page for n in numbers), region.code
        assert f'"{region.title}"' in page and region.card_stock in page, region.code


@pytest.mark.parametrize(("name", "display", "salutation"), [
    ("Drew Barrymore", "Dr Drew Barrymore", "Dr Barrymore"),   # a first name that starts with "Dr"
    ("Dr. Priya Raman", "Dr. Priya Raman", "Dr Raman"),        # written with the title: kept as written
    ("Priya Raman", "Dr Priya Raman", "Dr Raman"),
])
def test_the_title_is_added_once(name, display, salutation):
    from kitgen.content.partners import Partner
    partner = Partner(name=name, credentials="MBBS", specialty="general-practice", practice="X", title="Dr")
    assert (partner.display_name, partner.salutation) == (display, salutation)


# --- what a patient reads: "your GP", and what to check about paying ---------------------------------------------

COST = {"us": "Call to check what your plan pays.",
        "ca": "If you have health benefits, for example through work, check what they pay for therapy.",
        "gb": "If you have private health insurance, check with your insurer what it pays.",
        "ie": "If you have private health insurance, check with your insurer what it pays.",
        "au": "Call to check whether your private health fund pays part of the cost.",
        "nz": "Call to check whether your health insurance or another funder, such as ACC, pays part of the cost."}


def test_every_region_has_its_cost_wording():
    assert set(COST) == set(regions.REGIONS) == {r.code for r in regions.REGIONS.values()
                                                  if r.cost_notes([])[0] in regions.COST_NOTES.values()}


@pytest.mark.parametrize("region", list(NUMBERS))
def test_a_patient_of_a_gp_reads_your_gp_where_patients_say_so_and_the_regions_cost_wording(kits, region):
    """The partner is a GP (general-practice, FRACGP): "your GP" in gb, ie, au and nz, "your doctor" in the US and
    Canada; "what your plan pays" is the US's health plans only."""
    project = kits(region)
    leaflet = pdf_text(project.out / "site/priya-raman/patient-leaflet.pdf")
    back = " ".join(pypdf.PdfReader(project.out / "site/priya-raman/cards.pdf").pages[1].extract_text().split())
    doctor = "GP" if region in ("gb", "ie", "au", "nz") else "doctor"
    assert f"Your {doctor} at Harbourside Medical Centre thinks talking with a therapist could help you." in leaflet
    assert back.startswith(f"Your {doctor} suggested we talk."), back
    assert f"We take: Bupa. {COST[region]}" in leaflet, leaflet
    assert ("what your plan pays" in leaflet) is (region == "us")


def test_a_specialist_is_your_doctor_and_medicare_is_named_only_when_the_practice_takes_it(tmp_path):
    project = region_project(tmp_path / "kit", "au")
    project.write("content/practice.yaml", practice("au").replace("insurance: [Bupa]",
                                                                  "insurance: [Medicare (Better Access), Bupa]"))
    project.write("content/partners/olivia-hart.yaml", "name: Olivia Hart\ncredentials: MBBS, FRANZCOG\n"
                  "specialty: obstetrics-and-gynaecology\npractice: Harbourside Women's Clinic\n")
    build(project.root, jobs=1)
    leaflet = pdf_text(project.out / "site/olivia-hart/patient-leaflet.pdf")
    back = pypdf.PdfReader(project.out / "site/olivia-hart/cards.pdf").pages[1].extract_text()
    assert "Your doctor at Harbourside Women's Clinic" in leaflet and back.startswith("Your doctor suggested")
    # Better Access takes a GP's plan, a psychiatrist's or a paediatrician's referral: an O&G's patient needs one
    assert ("We take: Medicare (Better Access), Bupa. With a referral from a GP (a Mental Health Treatment Plan), a "
            "psychiatrist or a paediatrician, Medicare may pay part of the cost. Call to check whether your private "
            "health fund pays part of the cost.") in leaflet, leaflet
    assert "Your GP at Harbourside Medical Centre" in pdf_text(project.out / "site/priya-raman/patient-leaflet.pdf")
