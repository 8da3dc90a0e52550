"""One voice: kitgen's words speak for the practice as `voice` says (`we`, the default, or `I`), whether it has one
clinician or several, on every file of each kit read back (PDF text with pypdf, pages as parsed HTML, the e-mail),
with the practice's own words written without any pronoun so that whatever "we" or "I" is left is kitgen's. How many
clinicians only decides "Your therapist" or "Our therapists", and whether "I listen" can be said of the therapist a
patient will see. `check` warns, at the line, where the practice's own texts use the other voice."""

from __future__ import annotations

import re

import pytest
from conftest import PARTNER, PRACTICE, make_project
from readback import kitgen_check
from test_promises import file_texts

from kitgen.pipeline.pipeline import build

PLAIN = PRACTICE.replace("steps: [Hand your patient our card., Call us while the patient is in your office.]",
                         "steps: [Hand your patient the card., Call while the patient is in your office.]")
TEAM = PLAIN.replace("""\
    languages: [English, Spanish]
""", """\
    languages: [English, Spanish]
  - name: Ben Cole
    credentials: PsyD
    focus: Anxiety and panic
""")
PLURAL = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)
SINGULAR = re.compile(r"\b(?:I|me|my|mine)\b")
# "we" for "you and I", said to the reader: not the practice speaking as a group
YOU_AND_I = ("Could we meet", "suggested we talk")
# the signer of a letter or an e-mail is one person in either voice
SIGNER = ("I am writing from", "May I call")
PIECES = ["site/jane-smith/index.html", "site/jane-smith/one-pager.pdf", "site/jane-smith/lunch-and-learn.pdf",
          "site/jane-smith/fax-referral-form.pdf", "site/jane-smith/patient-leaflet.pdf", "site/jane-smith/cards.pdf",
          "desk/jane-smith/intro-letter.pdf", "desk/jane-smith/intro-email.eml", "desk/jane-smith/thank-you-cards.pdf"]


@pytest.fixture(scope="module", params=[("solo", "we"), ("solo", "I"), ("team", "we"), ("team", "I")],
                ids=lambda p: "-".join(p))
def kit(request, tmp_path_factory):
    size, voice = request.param
    project = make_project(tmp_path_factory.mktemp(f"{size}-{voice}") / "kit")
    assert "our" not in PLAIN.split("referral:")[1].split("availability:")[0].lower().split()
    practice = PLAIN if size == "solo" else TEAM
    project.write("content/practice.yaml", practice + ("voice: I\n" if voice == "I" else ""))
    project.write("content/partners/jane-smith.yaml", PARTNER.replace("Thank you for meeting with us.",
                                                                      "Thank you for the meeting."))
    build(project.root, jobs=2)
    texts = {rel: t for rel, t in file_texts(project.out).items() if not rel.endswith((".vcf", ".ics"))}
    return size, voice, texts


def said(texts: dict[str, str], pronouns: re.Pattern, spared: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for rel, text in texts.items():
        for phrase in spared:
            text = text.replace(phrase, "")
        found[rel] = sorted({m.lower() for m in pronouns.findall(text)})
    return found


def test_kitgens_words_follow_the_voice_on_every_piece(kit):
    _, voice, texts = kit
    assert set(PIECES) <= set(texts)
    if voice == "I":
        assert {rel: f for rel, f in said(texts, PLURAL, YOU_AND_I).items() if f} == {}
        for rel in PIECES[:5] + PIECES[6:8]:
            assert said(texts, SINGULAR, ())[rel], f"{rel}: says I"
    else:
        assert {rel: f for rel, f in said(texts, SINGULAR, SIGNER).items() if f} == {}
        for rel in PIECES[:5] + PIECES[6:]:
            assert said(texts, PLURAL, YOU_AND_I)[rel], f"{rel}: says we"


def test_the_clinicians_count_decides_your_therapist_or_ours_and_the_voice_the_headings(kit):
    size, voice, texts = kit
    page, one_pager = texts["site/jane-smith/index.html"], texts["site/jane-smith/one-pager.pdf"]
    leaflet = texts["site/jane-smith/patient-leaflet.pdf"]
    heading = {("solo", "I"): "About me", ("solo", "we"): "About us", ("team", "I"): "Clinicians",
               ("team", "we"): "Our clinicians"}[size, voice]
    assert heading in page and heading in one_pager
    assert ("Insurance I accept" if voice == "I" else "Insurance we accept") in one_pager
    assert ("How to refer to me" if voice == "I" else "How to refer to us") in texts["site/jane-smith/lunch-and-learn.pdf"]
    if size == "solo":
        assert "Your therapist Ana Ruiz, LCSW" in leaflet
    else:
        assert ("The therapists" if voice == "I" else "Our therapists") in leaflet
    # "I listen" only of the one therapist a patient will see: a group's patient may see another
    assert ("I listen and ask questions" in leaflet) is ((size, voice) == ("solo", "I"))
    assert ("Your therapist listens" in leaflet) is ((size, voice) != ("solo", "I"))


def check(project) -> list[str]:
    result = kitgen_check(project.root)
    assert result.exit_code == 0, result.output
    return result.stderr.splitlines()


def test_check_warns_at_the_line_where_the_practices_own_words_use_the_other_voice(tmp_path):
    project = make_project(tmp_path / "kit")
    assert check(project) == [], "the fixture says 'our card', 'Call us' and speaks as we: nothing to say"
    project.write("content/practice.yaml", PRACTICE + "voice: I\n")
    warned = check(project)
    assert warned == [
        "content/practice.yaml:11: referral.steps.0: warning: says 'our', but kitgen's words on every piece speak for "
        "the practice as \"I\" (voice: I); remove `voice: I` from practice.yaml so they say \"we\" too, or reword "
        "this text",
        "content/practice.yaml:11: referral.steps.1: warning: says 'us', but kitgen's words on every piece speak for "
        "the practice as \"I\" (voice: I); remove `voice: I` from practice.yaml so they say \"we\" too, or reword "
        "this text"], warned
    project.write("content/practice.yaml", PRACTICE.replace(
        "tagline: Counseling for anxiety and depression, usually within a week",
        "tagline: I see adults with anxiety, usually within a week").replace(
        "Call us while", "Call me while").replace("Hand your patient our card.", "Hand your patient the card."))
    warned = check(project)
    assert [w.split(": warning: ")[0] for w in warned] == ["content/practice.yaml:2: tagline",
                                                           "content/practice.yaml:11: referral.steps.1"], warned
    assert warned[0].endswith("says 'I', but kitgen's words on every piece speak for the practice as \"we\" "
                              "(voice: we); set `voice: I` in practice.yaml so they say \"I\" too, or reword this text")
    project.write("content/practice.yaml", PRACTICE.replace("Call us while", "Call the US office while")
                  .replace("Hand your patient our card.", "Say your doctor suggested we talk.") + "voice: I\n")
    assert check(project) == [], "'US' is a country, 'suggested we talk' is you and I"
