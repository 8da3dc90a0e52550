"""Whom the patient pieces speak to (practice.yaml `patients`, else from the services' specialties): a child
practice's card backs and leaflet address the parent, in every patient language, read back from the built PDFs
with pypdf; a family practice addresses both; `sees_children`, the old setting, still counts, with a warning."""

from __future__ import annotations

import pypdf
import pytest
from click.testing import CliRunner
from conftest import CONFIG, PRACTICE, make_project
from readback import kitgen_check
from test_leaflet import MAX_GRADE, grade

from kitgen.commands.cli import main
from kitgen.pipeline.pipeline import build

# Every service for pediatricians: a child practice, derived (no `patients:`), with its texts in es and fr.
CHILD = PRACTICE.replace("""\
  - name: Anxiety and panic
    summary: Skills-based therapy for worry, panic and avoidance.
    specialties: [family-medicine]
  - name: Perinatal mental health
    summary: Support in pregnancy and the first year after birth.
    specialties: [ob-gyn, pediatrics]
""", """\
  - name: Anxiety and worry
    summary: Skills-based therapy for children who worry or panic.
    specialties: [pediatrics]
    for_patients:
      en: Children and teens who worry a lot
      es: Niños y adolescentes que se preocupan mucho
      fr: Enfants et ados très inquiets
  - name: School refusal
    summary: Help for children who will not go to school.
    specialties: [pediatrics, child-psychiatry]
    for_patients:
      en: Children who do not want to go to school
      es: Niños que no quieren ir a la escuela
      fr: Enfants qui ne veulent pas aller à l'école
""")
# What a parent reads, per language: the card back, then the leaflet's lead, headings and paragraphs.
PARENT = {
    "en": ("Your child's doctor suggested we talk.",
           ["Your child's doctor at Lakeside Women's Health thinks talking with a therapist could help your child.",
            "Children and teens we help", "Your child talks with the therapist about what is hard right now",
            "You have a part too: you and the therapist talk about how you can help at home.",
            "Parents usually come to the first visit.", "Your child's privacy",
            "What you are told, and what stays between your child and the therapist, depends on your child's age "
            "and the law where you live.", "if someone is in danger or a child is being hurt, the therapist must act"]),
    "es": ("El médico de su hijo sugirió que habláramos.",
           ["El médico de su hijo en Lakeside Women's Health cree que hablar con un terapeuta podría ayudar a su hijo.",
            "Niños y adolescentes a quienes ayudamos", "Su hijo habla con el terapeuta de lo que le cuesta ahora",
            "Usted también tiene un papel", "Los padres suelen venir a la primera cita.", "La privacidad de su hijo",
            "lo que queda entre su hijo y el terapeuta, depende de la edad de su hijo", "el terapeuta debe actuar"]),
    "fr": ("Le médecin de votre enfant a suggéré que nous nous parlions.",
           ["Le médecin de votre enfant à Lakeside Women's Health pense que parler avec un thérapeute pourrait aider "
            "votre enfant.", "Les enfants et les ados que nous aidons", "Votre enfant parle au thérapeute",
            "Vous avez aussi un rôle", "Les parents viennent en général au premier rendez-vous.",
            "La confidentialité pour votre enfant", "ce qui reste entre votre enfant et le thérapeute, dépend de son âge",
            "le thérapeute doit agir"]),
}
# The adult wording a parent must not meet
ADULT = {"en": ["Your doctor suggested", "What you say in therapy is private", "help you.", "Who we help"],
         "es": ["Su médico le sugirió", "Lo que usted dice en terapia es privado", "A quién ayudamos"],
         "fr": ["Votre médecin a suggéré", "Ce que vous dites en thérapie", "Les personnes que nous aidons"]}


def words(path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def suffix(lang: str) -> str:
    return "" if lang == "en" else f"-{lang}"


@pytest.fixture(scope="module")
def child(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("child") / "kit")
    project.write("kitgen.yaml", CONFIG + "patient_languages: [en, es, fr]\n")
    project.write("content/practice.yaml", CHILD)
    build(project.root, jobs=2)
    return project


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_child_practices_card_backs_address_the_parent(child, lang):
    reader = pypdf.PdfReader(child.out / f"site/jane-smith/cards{suffix(lang)}.pdf")
    back = " ".join(reader.pages[1].extract_text().split())
    ask = PARENT[lang][0]
    assert back.startswith(ask) and back.count(ask) == 10, back
    assert not any(adult in back for adult in ADULT[lang][:1]), back


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_child_practices_leaflet_addresses_the_parent_and_says_how_privacy_works_for_a_minor(child, lang):
    pages, text = words(child.out / f"site/jane-smith/patient-leaflet{suffix(lang)}.pdf")
    assert pages == 1
    for said in PARENT[lang][1]:
        assert said in text, (said, text)
    assert [adult for adult in ADULT[lang] if adult in text] == [], text
    if lang == "en":
        assert grade(text) <= MAX_GRADE


def test_a_family_practice_addresses_the_person_or_the_parent(tmp_path):
    """The fixture: one service for pediatricians of two, so "families" without `patients:`."""
    project = make_project(tmp_path / "kit")
    build(project.root, jobs=1)
    back = " ".join(pypdf.PdfReader(project.out / "site/jane-smith/cards.pdf").pages[1].extract_text().split())
    assert back.startswith("For you or your child: your doctor suggested we talk."), back
    pages, text = words(project.out / "site/jane-smith/patient-leaflet.pdf")
    assert pages == 1
    for said in ("thinks talking with a therapist could help you or your child.", "Who we help",
                 "With a child, parents have a part too", "If it is about your child, parents usually come to the "
                 "first visit.", "What you say in therapy is private.", "For a child, what parents are told depends "
                 "on the child's age and the law where you live."):
        assert said in text, said
    assert grade(text) <= MAX_GRADE


def check(project) -> list[str]:
    result = kitgen_check(project.root)
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()


@pytest.mark.parametrize("written, audience", [
    ("", "families"), ("patients: adults\n", "adults"), ("patients: children\n", "children"),
    ("sees_children: false\n", "adults"), ("sees_children: true\n", "families")])
def test_patients_is_the_one_setting_and_sees_children_still_counts(tmp_path, written, audience):
    from kitgen.content.load import load_kit
    project = make_project(tmp_path / "kit")
    project.write("content/practice.yaml", PRACTICE + written)
    kit, _ = load_kit(project.root)
    assert kit.practice.audience == audience and kit.practice.children == (audience != "adults")
    warned = check(project)
    if written.startswith("sees_children"):
        assert warned == [f"content/practice.yaml:36: sees_children: warning: is replaced by `patients:` (adults, "
                          f"children or families), which also sets whom the card backs and the patient leaflet "
                          f"address; write `patients: {audience}` instead"]
    else:
        assert warned == []


def test_derived_from_the_services_specialties(tmp_path):
    from kitgen.content.load import load_kit
    project = make_project(tmp_path / "kit")
    for practice, audience in ((CHILD, "children"), (PRACTICE, "families"),
                               (PRACTICE.replace("[ob-gyn, pediatrics]", "[ob-gyn]"), "adults")):
        project.write("content/practice.yaml", practice)
        assert load_kit(project.root)[0].practice.audience == audience


def test_an_unknown_audience_is_a_located_error(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("content/practice.yaml", PRACTICE + "patients: kids\n")
    result = CliRunner().invoke(main, ["check", "--no-layout", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "content/practice.yaml:36: patients: unknown value 'kids'; choose one of: adults, children, families" \
        in result.stderr, result.stderr


def test_whom_the_pieces_address_survives_a_missing_translation(project):
    """The audience is derived from the services; a piece in another language leaves out the services without
    a text in it. With no Spanish texts at all, the Spanish card of a family practice (a service for pediatrics)
    addressed adults only: it must still say "Para usted o su hijo"."""
    from kitgen.content.load import load_kit
    from kitgen.render.html import render_partner
    from kitgen.render.themes import Theme

    project.write("kitgen.yaml", CONFIG + "patient_languages: [en, es]\n")
    kit, _ = load_kit(project.root)
    theme = Theme(project.root, kit.config.theme)
    assert kit.practice.audience == "families"
    card = render_partner(kit, theme, "cards", kit.partners[0], variant="@es")
    leaflet = render_partner(kit, theme, "patient_leaflet", kit.partners[0], variant="@es")
    assert "Para usted o su hijo" in card
    assert "Si usted o su hijo están en crisis" in leaflet
