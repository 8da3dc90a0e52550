"""Patients who read another language (kitgen.yaml `patient_languages`): their cards and leaflet in that language,
read back from the built PDFs. The example kit (`[en, es]`) is built once per module; a Canadian kit with
`[en, fr]` once too. No English sentence on a Spanish piece: no word of kitgen's English on it at all."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pypdf
import pytest
import textstat
from conftest import CONFIG, PRACTICE, copy_project, make_project
from htmlpage import NS, Page

from kitgen.check.validate import validate
from kitgen.content.load import load_kit
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

REPO = Path(__file__).resolve().parent.parent

# Words of kitgen's English that no practice name, address or insurance plan in these kits contains: any one of
# them on a Spanish or French piece is English that leaked (kitgen's wording or a practice text in English).
ENGLISH = {"the", "and", "your", "you", "we", "our", "call", "text", "with", "for", "what", "who", "how", "book",
           "appointment", "therapy", "sessions", "therapist", "visit", "privacy", "cost",
           "emergencies", "emergency", "scan", "mention", "request", "suggested", "talk", "help", "hours", "is",
           "are", "spoken", "leaflet", "patients", "worry", "feeling", "children", "press", "lifeline", "usually",
           "within", "days", "take", "self-pay", "sliding", "scale", "not", "find", "us", "first",
           "helpline", "suicide", "when", "code", "to", "in", "or", "of"}
FRENCH_OK = {"code", "patients", "suicide", "therapy"}  # French words spelled like English ones; the name "Harbor Light Therapy"


def pdf(path: Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(path)


def words_of(path: Path) -> str:
    reader = pdf(path)
    return " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())


def english_words(text: str, allowed: set[str] = frozenset()) -> set[str]:
    """kitgen's English words in `text` (in capitals, "OR" is Oregon in an address, not a word)."""
    return {w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", text) if w.lower() in ENGLISH - allowed and not w.isupper()}


def lang_of(path: Path) -> str:
    return str(pdf(path).trailer["/Root"].get("/Lang"))


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example kit (patient_languages: [en, es]), built once."""
    root = tmp_path_factory.mktemp("languages") / "kit"
    root.mkdir()
    shutil.copy(REPO / "kitgen.yaml", root / "kitgen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    result = build(root, jobs=2)
    return root, result


# --- the tags ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("setting, expected", [
    ("patient_languages: [en, spanish]\n",
     "kitgen.yaml:4: patient_languages: 'spanish' is not a language tag; did you mean 'es' (Spanish)? Use a BCP 47 "
     "tag such as en, es, fr-CA or zh-Hant"),
    ("language: Français\n",
     "kitgen.yaml:4: language: 'Français' is not a language tag; did you mean 'fr' (French)? Use a BCP 47 tag such "
     "as en, es, fr-CA or zh-Hant"),
    ("patient_languages: [en, es, es]\n", "kitgen.yaml:4: patient_languages: 'es' is listed twice"),
])
def test_a_language_by_name_is_a_located_error_with_the_tag_to_write(project, setting, expected):
    project.write("kitgen.yaml", CONFIG + setting)
    with pytest.raises(ContentError) as error:
        load_kit(project.root)
    assert expected in [str(p) for p in error.value.problems]


def test_a_text_per_language_needs_the_kits_own_language(project):
    project.write("content/practice.yaml", PRACTICE.replace(
        "tagline: Counseling for anxiety and depression, usually within a week",
        "tagline: {es: Terapia para la ansiedad}"))
    with pytest.raises(ContentError) as error:
        load_kit(project.root)
    assert [str(p) for p in error.value.problems] == [
        "content/practice.yaml:2: tagline: has no version in the kit's language (en, kitgen.yaml `language`), which "
        "physicians' pieces print; add en: ..."]


def test_a_language_without_a_catalog_is_an_error_naming_where_to_add_one(project):
    project.write("kitgen.yaml", CONFIG + "patient_languages: [en, vi]\n")
    with pytest.raises(ContentError) as error:
        validate(project.root)
    assert "kitgen.yaml:4: patient_languages: kitgen has no catalog of its wording in Vietnamese (vi); add your own " \
           "as themes/default/locale/vi/LC_MESSAGES/messages.po (see docs/theming.md)" in map(str, error.value.problems)


def test_a_kit_without_patient_languages_makes_what_it_made_before(project):
    """No new files, no new names, the manifest as it was, no language line on the physicians' pieces."""
    build(project.root, jobs=1, formats={"html", "code"})
    files = sorted(p.relative_to(project.out).as_posix() for p in project.out.rglob("*") if p.is_file())
    assert not [f for f in files if re.search(r"-(en|es)\.", f)]
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    assert "patient_languages" not in json.dumps(manifest)
    page = (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert 'class="languages"' not in page and "hreflang" not in page
    assert 'href="patient-leaflet.pdf">Leaflet for your patients: what to expect and how to book (PDF)</a>' in page


# --- the example kit in Spanish ------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("slug", ["jane-smith", "helen-zhou"])
def test_spanish_cards_and_leaflet_have_no_english_and_say_what_a_patient_needs(example, slug):
    root, _ = example
    for name in ("cards-es.pdf", "patient-leaflet-es.pdf"):
        path = root / f"output/site/{slug}/{name}"
        text = words_of(path)
        assert english_words(text) == set(), (name, english_words(text))
        assert lang_of(path) == "es"
        assert "(541) 555-0142" in text, "the practice's phone"
        assert "marque 2" in text and "AYUDA" in text and "988" in text, "988's Spanish option"
        assert "Emergencias: 911" in text or "llame al 911" in text
    leaflet = words_of(root / f"output/site/{slug}/patient-leaflet-es.pdf")
    assert "Línea 988 de Prevención del Suicidio y Crisis" in leaflet
    assert "Sesiones en inglés, español y francés." in leaflet, "the clinicians' languages named in Spanish"
    assert "También puede pagar las sesiones por su cuenta, sin seguro." in leaflet and "Aetna" in leaflet  # fees:
    assert "Hablar con alguien puede ayudar" in leaflet
    assert len(pdf(root / f"output/site/{slug}/patient-leaflet-es.pdf").pages) == 1


@pytest.mark.slow
def test_the_english_pieces_stay_english_and_keep_their_names(example):
    root, _ = example
    leaflet = root / "output/site/jane-smith/patient-leaflet.pdf"
    assert lang_of(leaflet) == "en"
    text = words_of(leaflet)
    assert "Talking with someone can help" in text and "Tristeza" not in text
    assert "call or text 988 (Suicide & Crisis Lifeline)" in text


@pytest.mark.slow
def test_the_spanish_leaflet_reads_easily(example):
    """Fernández-Huerta reading ease (the Spanish Flesch formula): 70 or more is 'fairly easy', about US grades
    6-8; Crawford's grade level for Spanish as a second figure."""
    root, _ = example
    text = words_of(root / "output/site/jane-smith/patient-leaflet-es.pdf")
    textstat.set_lang("es")
    try:
        ease, grade = textstat.fernandez_huerta(text), textstat.crawford(text)
    finally:
        textstat.set_lang("en_US")
    assert ease >= 70, ease
    assert grade <= 8, grade


@pytest.mark.slow
def test_the_manifest_lists_each_patient_piece_with_its_language(example):
    root, _ = example
    manifest = json.loads((root / "output/manifest.json").read_text(encoding="utf-8"))
    jane = next(p for p in manifest["partners"] if p["slug"] == "jane-smith")
    assert manifest["language"] == "en"  # the plain keys, as a kit without patient_languages has them
    assert jane["files"]["patient_leaflet"] == "site/jane-smith/patient-leaflet.pdf"
    assert jane["files"]["cards"] == "site/jane-smith/cards.pdf"
    assert jane["files"]["languages"] == {"es": {"patient_leaflet": "site/jane-smith/patient-leaflet-es.pdf",
                                                 "cards": "site/jane-smith/cards-es.pdf"}}
    assert jane["files"]["one_pager"] == "site/jane-smith/one-pager.pdf"


@pytest.mark.slow
def test_the_landing_page_links_each_leaflet_named_in_its_language(example):
    root, _ = example
    page = Page(root / "output/site/jane-smith/index.html")
    links = {a.get("href"): a for a in page.all("a")}
    spanish = links["patient-leaflet-es.pdf"]
    assert "".join(spanish.itertext()) == "Folleto para pacientes en español (PDF)"
    assert spanish.get("lang") == "es" and spanish.get("hreflang") == "es"
    assert "".join(links["patient-leaflet.pdf"].itertext()) == "Patient leaflet in English (PDF)"
    line = page.one("p", **{"class": "languages"})
    assert "".join(line.itertext()).startswith("We see patients in English, Spanish, and French. The cards and the patient leaflet come in English and Spanish.")
    said = next(s for s in line.iter(NS + "span"))
    assert (said.get("lang"), said.text) == ("es", "Se habla español.")


@pytest.mark.slow
def test_the_one_pager_says_which_languages_patients_are_seen_in(example):
    root, _ = example
    text = words_of(root / "output/site/jane-smith/one-pager.pdf")
    # the clinicians' languages, as the cards say "Sessions in English, Spanish, and French"; then the pieces'
    assert ("We see patients in English, Spanish, and French. The cards and the patient leaflet come in English "
            "and Spanish. Se habla español.") in text, text
    cards = words_of(root / "output/site/jane-smith/cards.pdf")
    assert "Sessions in English, Spanish, and French." in cards
    assert lang_of(root / "output/site/jane-smith/one-pager.pdf") == "en"
    assert len(pdf(root / "output/site/jane-smith/one-pager.pdf").pages) == 1


@pytest.mark.slow
def test_one_missing_spanish_text_is_one_located_warning_and_absent_from_the_spanish_pieces(example, tmp_path):
    root, first = example
    assert [p for p in first.warnings if "Spanish" in p.message] == []
    project = copy_project(type("Built", (), {"root": root})(), tmp_path)
    practice = project.root / "content/practice.yaml"
    text = practice.read_text(encoding="utf-8")
    spanish = "      es: Preocupación que no para, ataques de pánico, miedo por su salud\n"
    assert spanish in text
    practice.write_text(text.replace(spanish, ""), encoding="utf-8")
    line = text[:text.index(spanish)].count("\n") - 1  # the field's own line, above its versions
    expected = (f"content/practice.yaml:{line}: services[1].for_patients: warning: has no Spanish version (es), so "
                "the Spanish patient pieces leave it out; write it as {es: ..., ...} beside the others")
    checked = validate(project.root)
    assert [str(p) for p in checked.warnings] == [expected]
    built = build(project.root, jobs=2, partners=["jane-smith"])
    assert [str(p) for p in built.warnings] == [expected]
    leaflet = words_of(project.root / "output/site/jane-smith/patient-leaflet-es.pdf")
    assert "ataques de pánico" not in leaflet and "panic" not in leaflet
    assert "Tristeza, preocupación o miedo" in leaflet, "the other services stay"
    assert english_words(leaflet) == set()


# --- a Canadian kit in French --------------------------------------------------------------------------------------

FRENCH = {
    "  - name: Anxiety and panic\n": "  - name: {en: Anxiety and panic, fr: Anxiété et panique}\n",
    "  - name: Perinatal mental health\n": "  - name: {en: Perinatal mental health, fr: Santé mentale périnatale}\n",
    '  phone: "+1 503-555-0100"': '  phone: "+1 613-555-0100"',
    '  fax: "+1 503-555-0101"': '  fax: "+1 613-555-0101"',
    "    languages: [English, Spanish]": "    languages: [English, French]",
}


@pytest.fixture(scope="module")
def canadian(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("canada") / "kit")
    project.write("kitgen.yaml", CONFIG + "region: ca\npatient_languages: [en, fr]\n")
    practice = PRACTICE
    for old, new in FRENCH.items():
        assert old in practice
        practice = practice.replace(old, new)
    project.write("content/practice.yaml", practice)
    result = build(project.root, jobs=2)
    return project, result


@pytest.mark.slow
def test_a_canadian_kit_builds_french_cards_and_leaflet(canadian):
    project, result = canadian
    assert [str(p) for p in result.warnings if "French" in p.message] == []
    for name in ("cards-fr.pdf", "patient-leaflet-fr.pdf"):
        path = project.out / f"site/jane-smith/{name}"
        text = words_of(path)
        assert lang_of(path) == "fr"
        assert english_words(text, FRENCH_OK) == set(), (name, english_words(text, FRENCH_OK))
        assert "(613) 555-0100" in text and "9-8-8" in text and "911" in text
    leaflet = words_of(project.out / "site/jane-smith/patient-leaflet-fr.pdf")
    assert "appelez ou textez le 9-8-8 (Ligne d'aide en cas de crise de suicide)" in leaflet
    assert "Anxiété et panique" in leaflet and "Langues des séances : anglais et français." in leaflet
    assert "Parler à quelqu'un peut aider" in leaflet
    assert lang_of(project.out / "site/jane-smith/patient-leaflet.pdf") == "en"
    page = (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert 'hreflang="fr" lang="fr">Dépliant pour les patients en français (PDF)</a>' in page
    assert '<span lang="fr">Ici, on parle français.</span>' in page


@pytest.fixture(scope="module")
def australian_french(tmp_path_factory):
    """The Canadian kit's practice in Sydney: its French pieces are for francophones from France, Belgium,
    Switzerland, West Africa or New Caledonia, so they read fr (Babel has no fr_AU), not the fr_CA overlay."""
    project = make_project(tmp_path_factory.mktemp("australia") / "kit")
    project.write("kitgen.yaml", CONFIG + "region: au\npatient_languages: [en, fr]\n")
    practice = PRACTICE
    for old, new in {**FRENCH, '  phone: "+1 503-555-0100"': '  phone: "+61 2 9555 0187"',
                     '  fax: "+1 503-555-0101"': '  fax: "+61 2 9555 0188"'}.items():
        assert old in practice
        practice = practice.replace(old, new)
    project.write("content/practice.yaml", practice.replace("Call or text 988, or go", "Go"))
    build(project.root, jobs=2)
    return project


@pytest.mark.slow
def test_french_pieces_read_canadian_in_canada_and_international_elsewhere(canadian, australian_french):
    """One French catalog read as Québécois French everywhere ("balayez le code", "textez le 0477 13 11 14", "En
    date du", "en tout temps"). A Canadian kit's French pieces keep the Canadian words (fr_CA over fr); an Australian
    kit's say what a reader from France or Belgium says."""
    canada, _ = canadian
    ca_cards = words_of(canada.out / "site/jane-smith/cards-fr.pdf")
    ca_leaflet = words_of(canada.out / "site/jane-smith/patient-leaflet-fr.pdf")
    assert "balayez le code" in ca_cards + ca_leaflet
    assert "appelez ou textez le 9-8-8" in ca_leaflet
    assert "en tout temps" in ca_leaflet and "En date du" in ca_leaflet + ca_cards
    sydney = words_of(australian_french.out / "site/jane-smith/cards-fr.pdf") + " " + words_of(
        australian_french.out / "site/jane-smith/patient-leaflet-fr.pdf")
    assert "scannez le code" in sydney
    assert "appelez Lifeline au 13 11 14 ou envoyez un SMS au 0477 13 11 14" in sydney
    assert "à tout moment" in sydney and "À jour au" in sydney
    assert not re.search(r"balay|textez|[Ee]n date du|en tout temps|courriel|télécop|cellulaire", sydney), sydney


def test_a_language_babel_aliases_keeps_the_name_the_practice_wrote(project):
    """Twi is a language of its own to a Ghanaian patient; Babel's locale for its tag `tw` is Akan's (`ak`), and the
    cards said "Sessions in English and Akan"."""
    from kitgen.render.html import render_partner
    from kitgen.render.themes import Theme

    project.write("content/practice.yaml", PRACTICE.replace("languages: [English, Spanish]", "languages: [English, Twi]"))
    kit, _ = load_kit(project.root)
    html = render_partner(kit, Theme(project.root, kit.config.theme), "cards", kit.partners[0])
    assert "Sessions in English and Twi." in html and "Akan" not in html
