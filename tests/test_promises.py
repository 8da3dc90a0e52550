"""Only promises the practice wrote: every file of a kit built without `acknowledge_within_hours` or `commitments`
is read back (PDF text with pypdf, pages as parsed HTML, the e-mail, the vCard and the calendar) and holds none
of the promises kitgen used to add; with them, each is printed as written on every piece that promises."""

from __future__ import annotations

import email
import email.policy
import re

import pypdf
import pytest
from conftest import PRACTICE, make_project
from htmlpage import Page, text

from kitgen.pipeline.pipeline import build

# What kitgen once said on its own, or could: a promise is a sentence that commits the practice to an action.
PROMISES = re.compile(r"confirm every referral|tell you if|never books|call (?:the|your) patient|we call|"
                      r"\bfree\b|\bI will\b|\bwe will\b|\bwe'll\b|\bI'll\b|guarantee", re.IGNORECASE)
COMMITMENTS = ["We send you a one-page summary after the first visit.",
               "We tell you within a week if a patient you referred has not booked."]


def file_texts(out) -> dict[str, str]:
    found = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".pdf":
            found[rel] = " ".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)
        elif path.suffix == ".html":
            found[rel] = text(Page(path).root)
        elif path.suffix == ".eml":
            found[rel] = email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_content()
        elif path.suffix in (".vcf", ".ics"):
            found[rel] = path.read_text(encoding="utf-8")
    return {rel: " ".join(t.split()) for rel, t in found.items()}


@pytest.fixture(scope="module")
def unpromised(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("promises") / "kit")
    project.write("content/practice.yaml", PRACTICE.replace("  acknowledge_within_hours: 48\n", ""))
    build(project.root, jobs=2)
    return project


@pytest.mark.pdf
def test_a_kit_without_commitments_promises_nothing_anywhere(unpromised):
    texts = file_texts(unpromised.out)
    assert len([r for r in texts if r.endswith(".pdf")]) >= 7 and any(r.endswith(".eml") for r in texts)
    said = {rel: PROMISES.findall(t) for rel, t in texts.items() if PROMISES.search(t)}
    assert said == {}


@pytest.mark.pdf
def test_the_practices_commitments_are_printed_as_written_where_it_promises(tmp_path):
    project = make_project(tmp_path / "kit")
    listed = "".join(f"    - {c}\n" for c in COMMITMENTS)
    project.write("content/practice.yaml", PRACTICE.replace("  acknowledge_within_hours: 48\n",
                                                            "  acknowledge_within_hours: 48\n  commitments:\n" + listed))
    build(project.root, jobs=2)
    texts = file_texts(project.out)
    for rel in ("site/jane-smith/index.html", "site/jane-smith/one-pager.pdf", "site/jane-smith/lunch-and-learn.pdf",
                "site/jane-smith/fax-referral-form.pdf"):
        assert "We confirm every referral within 48 hours." in texts[rel], rel  # voice: we, the default
        for commitment in COMMITMENTS:
            assert commitment in texts[rel], (rel, commitment)
    items = [text(li) for li in Page(project.out / "site/jane-smith/index.html").one("ul", class_="promises")]
    assert items == ["We confirm every referral within 48 hours.", *COMMITMENTS]


@pytest.mark.pdf
def test_with_only_an_acknowledgement_time_that_is_the_only_promise(tmp_path):
    project = make_project(tmp_path / "kit")  # the fixture sets acknowledge_within_hours: 48, no commitments
    build(project.root, jobs=2)
    said = {rel: sorted({m.lower() for m in PROMISES.findall(t)}) for rel, t in file_texts(project.out).items()
            if PROMISES.search(t)}
    assert said and all(found == ["confirm every referral"] for found in said.values()), said
