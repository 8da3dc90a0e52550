"""A solo practice (one clinician) speaks in the singular on every piece, and a group practice as "we": every file
of each kit read back (PDF text with pypdf, pages as parsed HTML, the e-mail), with the practice's own words
written without any pronoun so that whatever "we", "our" or "us" is left is kitgen's."""

from __future__ import annotations

import re

import pytest
from conftest import PARTNER, PRACTICE, make_project
from test_promises import file_texts

from kitgen.build.pipeline import build

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
# "we" for "you and I", said to the reader: not the practice speaking as a group
YOU_AND_I = ("Could we meet", "suggested we talk")


@pytest.fixture(scope="module", params=["solo", "team"])
def kit(request, tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp(request.param) / "kit")
    assert "our" not in PLAIN.split("referral:")[1].split("availability:")[0].lower().split()
    project.write("content/practice.yaml", PLAIN if request.param == "solo" else TEAM)
    project.write("content/partners/jane-smith.yaml", PARTNER.replace("Thank you for meeting with us.",
                                                                      "Thank you for the meeting."))
    build(project.root, jobs=2)
    return request.param, file_texts(project.out)


def test_a_solo_practice_says_i_and_a_group_we(kit):
    who, texts = kit
    texts = {rel: t for rel, t in texts.items() if not rel.endswith((".vcf", ".ics"))}
    said = {}
    for rel, text in texts.items():
        for phrase in YOU_AND_I:
            text = text.replace(phrase, "")
        said[rel] = sorted({m.lower() for m in PLURAL.findall(text)})
    if who == "solo":
        assert {rel: found for rel, found in said.items() if found} == {}
        assert "About me" in texts["site/jane-smith/index.html"] and "Insurance I accept" in \
            texts["site/jane-smith/one-pager.pdf"]
    else:
        group = ["site/jane-smith/index.html", "site/jane-smith/one-pager.pdf", "site/jane-smith/lunch-and-learn.pdf",
                 "site/jane-smith/fax-referral-form.pdf", "site/jane-smith/patient-leaflet.pdf",
                 "desk/jane-smith/intro-letter.pdf", "desk/jane-smith/intro-email.eml",
                 "desk/jane-smith/thank-you-cards.pdf"]
        assert [rel for rel in group if not said[rel]] == []
        assert "Our clinicians" in texts["site/jane-smith/index.html"]
