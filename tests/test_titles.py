"""Titles, specialties and clinicians' languages as readers meet them (issue 22, item 2).

Physicians are greeted with their country's title and surname whatever way their credentials are written ("BM BCh,
FRCP", "MB BCh BAO, MRCPI", "MBBS (Hons), FRACP", "MD PhD"): read back from the built letter, e-mail, thank-you
cards, one-pager and landing page of a kit per region. `kitgen check` locates what it cannot read: credentials it
does not know, `specialties` that are not slugs, clinicians' languages it does not know. Clinicians' languages
print once each, named in each piece's language."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from conftest import CONFIG, PRACTICE, make_project
from test_regions import page_text, pdf_text, region_project

from kitgen.content.load import load_kit
from kitgen.content.partners import Partner
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

# region -> partners: (slug, name, more YAML, the greeting, the name with its title)
PARTNERS = {
    "gb": [("oluwaseun-adeyemi", "Oluwaseun Adeyemi", "credentials: BM BCh, FRCP\n", "Dr Adeyemi",
            "Dr Oluwaseun Adeyemi"),
           ("thomas-reid", "Thomas Reid", "credentials: MB ChB, FRCS\ntitle: Mr\n", "Mr Reid", "Mr Thomas Reid")],
    "ie": [("siobhan-mcallister", "Siobhán McAllister", "credentials: MB BCh BAO, MRCPI\n", "Dr McAllister",
            "Dr Siobhán McAllister")],
    "au": [("zoe-muller-nunez", "Zoë Müller-Núñez", "credentials: MBBS (Hons), FRACP\n", "Dr Müller-Núñez",
            "Dr Zoë Müller-Núñez")],
    "nz": [("aroha-ngata", "Aroha Ngata", "credentials: M.B., Ch.B., FRNZCGP\n", "Dr Ngata", "Dr Aroha Ngata")],
    "us": [("samuel-okafor", "Samuel Okafor", "credentials: MD PhD\n", "Dr. Okafor", "Dr. Samuel Okafor"),
           ("dana-cole", "Dana Cole", "credentials: FNP-BC\n", "Dana Cole", "Dana Cole")],
}


def partner_file(name: str, more: str) -> str:
    return (f"name: {name}\n{more}specialty: general-practice\npractice: Harbourside Medical Centre\n"
            f"email: desk@{name.split()[-1].lower().encode('ascii', 'ignore').decode()}.example\n")


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """A kit per region with its partners, each built the first time a test asks for it."""
    cache = {}

    def get(region: str):
        if region not in cache:
            project = region_project(tmp_path_factory.mktemp(region) / "kit", region)
            project.remove("content/partners/priya-raman.yaml")
            for slug, name, more, _, _ in PARTNERS[region]:
                project.write(f"content/partners/{slug}.yaml", partner_file(name, more))
            build(project.root, jobs=1)
            cache[region] = project
        return cache[region]
    return get


@pytest.mark.parametrize(("region", "slug", "greeting", "titled"),
                         [(r, slug, greeting, titled) for r, ps in PARTNERS.items()
                          for slug, _, _, greeting, titled in ps])
def test_every_piece_greets_the_physician_with_the_countrys_title(kits, region, slug, greeting, titled):
    project = kits(region)
    desk, site = project.out / "desk" / slug, project.out / "site" / slug
    letter = pdf_text(desk / "intro-letter.pdf")
    assert f"Dear {greeting}," in letter
    message = email.message_from_bytes((desk / "intro-email.eml").read_bytes(), policy=email.policy.default)
    assert message.get_content().startswith(f"Dear {greeting},\r\n")
    assert pdf_text(desk / "thank-you-cards.pdf").count(f"Dear {greeting},") == 2
    assert f"Prepared for {titled}" in pdf_text(site / "one-pager.pdf")
    assert f"For {titled} and the team at Harbourside Medical Centre" in page_text(site / "index.html")
    if not titled.startswith(("Dr", "Mr")):  # a nurse practitioner: her name, no title anywhere
        assert not re.search(r"\bDr\.?\s+(Dana|Cole)", letter + page_text(site / "index.html"))


# --- the title from the credentials, however written ------------------------------------------------------------

@pytest.mark.parametrize("credentials", [
    "MD", "M.D.", "DO", "D.O.", "MD, FACP", "MD PhD", "MDCM", "M.D., C.M.", "MD, FRCPC", "MD, CCFP",
    "MBBS", "MB BS", "M.B., B.S.", "MBBS(Hons)", "MBBS (Hons), FRACP", "MBBS, FRACGP", "MB ChB", "MBChB, MRCGP",
    "M.B., Ch.B.", "BM BCh, FRCP", "BMBCh", "MB BCh BAO, MRCPI", "MB, BCh, BAO", "BMBS", "BM", "MB BChir",
    "MBBCh", "MBBS, FRANZCOG", "MBChB, FRANZCP", "FRCPI", "MRCPsych", "MBBS, FRCS", "FAAP", "MD, FACOG",
])
def test_a_physicians_credentials_give_the_regions_title(credentials):
    partner = Partner(name="Oluwaseun Adeyemi", credentials=credentials, specialty="x", practice="y",
                      region_title="Dr")
    assert partner.physician, credentials
    assert (partner.salutation, partner.display_name) == ("Dr Adeyemi", "Dr Oluwaseun Adeyemi")


@pytest.mark.parametrize(("credentials", "salutation", "physician"), [
    ("NP", "Dana Cole", False), ("FNP-BC", "Dana Cole", False), ("PA-C", "Dana Cole", False),
    ("RN, BSN", "Dana Cole", False), ("LCSW", "Dana Cole", False), ("DNP, APRN", "Dana Cole", False),
    # a psychologist, a dentist: addressed "Dr." in the US, but not physicians
    ("PhD", "Dr. Cole", False), ("PsyD", "Dr. Cole", False), ("DDS", "Dr. Cole", False),
])
def test_other_clinicians_keep_their_name_and_doctorates_their_title(credentials, salutation, physician):
    partner = Partner(name="Dana Cole", credentials=credentials, specialty="x", practice="y", region_title="Dr.")
    assert (partner.salutation, partner.physician) == (salutation, physician)


@pytest.mark.parametrize(("name", "title", "salutation", "display"), [
    ("Thomas Reid", "Mr", "Mr Reid", "Mr Thomas Reid"),      # a UK surgeon
    ("Helen Wu", "Prof", "Prof Wu", "Prof Helen Wu"),
    ("Helen Wu", "", "Helen Wu", "Helen Wu"),                # no title at all
    ("Dr. Jane Smith", None, "Dr Smith", "Dr. Jane Smith"),  # written with the title: kept as written
    ("Dr. Jane Smith", "Prof", "Prof Smith", "Prof Jane Smith"),
])
def test_a_title_in_the_partner_file_wins(name, title, salutation, display):
    partner = Partner(name=name, credentials="MBBS, FRCS", specialty="x", practice="y", title=title,
                      region_title="Dr")
    assert (partner.salutation, partner.display_name) == (salutation, display)


# --- what `kitgen check` says ------------------------------------------------------------------------------------

def problems_of(project) -> list[str]:
    """Every problem `load_kit` finds, errors and warnings, as `check` prints them."""
    try:
        _, found = load_kit(project.root)
    except ContentError as error:
        found = error.problems
    return [str(p) for p in found]


def test_credentials_kitgen_does_not_know_warn_at_their_line_with_how_to_set_the_title(project):
    project.write("content/partners/jane-smith.yaml", "name: Jane Smith\ncredentials: Consultant Physician\n"
                  "specialty: ob-gyn\npractice: Lakeside Women's Health\n")
    assert problems_of(project) == [
        "content/partners/jane-smith.yaml:2: credentials: warning: kitgen does not recognise 'Consultant "
        "Physician', so it prints the name without a title (\"Dear Jane Smith,\"); if Jane Smith is addressed as "
        "Dr, add `title: Dr.` to this file (or the title they use, e.g. `title: Prof`; `title: \"\"` for none)"]
    project.write("content/partners/jane-smith.yaml", "name: Jane Smith\ncredentials: Consultant Physician\n"
                  "title: Dr.\nspecialty: ob-gyn\npractice: Lakeside Women's Health\n")
    kit, warnings = load_kit(project.root)
    assert not warnings and kit.partners[0].salutation == "Dr. Smith"


def test_title_none_and_a_title_that_is_not_one(project):
    project.write("content/partners/jane-smith.yaml", 'name: Jane Smith\ncredentials: MD\ntitle: ""\n'
                  "specialty: ob-gyn\npractice: Lakeside Women's Health\n")
    kit, warnings = load_kit(project.root)
    assert not warnings and (kit.partners[0].salutation, kit.partners[0].display_name) == ("Jane Smith",) * 2
    project.write("content/partners/jane-smith.yaml", "name: Jane Smith\ncredentials: MD\ntitle: Dr 2\n"
                  "specialty: ob-gyn\npractice: Lakeside Women's Health\n")
    assert problems_of(project) == [
        "content/partners/jane-smith.yaml:3: title: 'Dr 2' is not a title; write the word before the name, e.g. "
        "Prof, Mr, Ms, Dr (or \"\" for none)"]


def test_specialties_of_services_must_be_slugs_each_located_with_the_fix(project):
    project.write("content/practice.yaml", PRACTICE.replace(
        "    specialties: [family-medicine]", "    specialties: [Pediatrics, family medicine]").replace(
        "    specialties: [ob-gyn, pediatrics]", "    specialties:\n      - ob-gyn\n      - Family Med"))
    project.write("content/partners/sam-lee.yaml", "name: Sam Lee\ncredentials: DO\nspecialty: family-medicine\n"
                  "practice: Eastside Family Medicine\n")
    assert problems_of(project) == [
        "content/practice.yaml:24: services[0].specialties[0]: 'Pediatrics' is not a slug (lowercase letters, "
        "digits and hyphens, as a partner's `specialty`): write pediatrics",
        "content/practice.yaml:24: services[0].specialties[1]: 'family medicine' is not a slug (lowercase letters, "
        "digits and hyphens, as a partner's `specialty`): write family-medicine",
        "content/practice.yaml:29: services[1].specialties[1]: 'Family Med' is not a slug (lowercase letters, "
        "digits and hyphens, as a partner's `specialty`): did you mean family-medicine?"]


def test_specialties_of_talks_are_checked_too_and_a_near_miss_warns(project):
    talk = (project.root / "content/talks/perinatal-screening.md").read_text(encoding="utf-8")
    project.write("content/talks/perinatal-screening.md", talk.replace("specialties: [ob-gyn]",
                                                                       "specialties: [OB-GYN, obgyn]"))
    assert problems_of(project) == [
        "content/talks/perinatal-screening.md:6: specialties[0]: 'OB-GYN' is not a slug (lowercase letters, digits "
        "and hyphens, as a partner's `specialty`): write ob-gyn",
        "content/talks/perinatal-screening.md:6: specialties[1]: warning: 'obgyn' is no partner's specialty, so it "
        "features this talk for nobody; did you mean 'ob-gyn'?"]


@pytest.mark.parametrize(("languages", "message"), [
    ("[English, Spansh]", "clinicians[0].languages[1]: 'Spansh' is no language kitgen knows; did you mean Spanish "
     "(es)? Write its English name (Vietnamese), its own name (Tiếng Việt) or its tag (vi)"),
    ("[English, Xyzzy]", "clinicians[0].languages[1]: 'Xyzzy' is no language kitgen knows; write its "
     "English name (Vietnamese), its own name (Tiếng Việt) or its tag (vi)"),
])
def test_a_clinicians_language_kitgen_does_not_know_is_a_located_error(project, languages, message):
    project.write("content/practice.yaml", PRACTICE.replace("languages: [English, Spanish]",
                                                            f"languages: {languages}"))
    assert problems_of(project) == [f"content/practice.yaml:35: {message}"]


def test_a_clinicians_language_by_name_own_name_or_tag_is_one_language(project):
    project.write("content/practice.yaml", PRACTICE.replace(
        "languages: [English, Spanish]", "languages: [English, Español, es, Tiếng Việt, zh-Hant, Farsi]"))
    kit, warnings = load_kit(project.root)
    assert not warnings
    assert kit.practice.languages == ["English", "Spanish", "Vietnamese", "Chinese", "Persian"]


# --- clinicians' languages on the patients' pieces -------------------------------------------------------------

GROUP = PRACTICE.replace("""\
    languages: [English, Spanish]
""", """\
    languages: [English, Spanish]
  - name: Luis Ortega
    credentials: LPC
    focus: Anxiety in teens and adults
    languages: [Español, en]
""")


def test_languages_print_once_each_in_each_pieces_language(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", CONFIG + "patient_languages: [en, es]\n")
    project.write("content/practice.yaml", GROUP)
    build(project.root, jobs=1)
    site = project.out / "site/jane-smith"
    for name in ("cards.pdf", "patient-leaflet.pdf"):
        assert "Sessions in English and Spanish." in pdf_text(site / name), name
    for name in ("cards-es.pdf", "patient-leaflet-es.pdf"):
        assert "Sesiones en inglés y español." in pdf_text(site / name), name
    assert "(English and Spanish)" in pdf_text(site / "one-pager.pdf")
