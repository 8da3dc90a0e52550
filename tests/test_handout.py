"""The lunch-and-learn handout keeps to one page when condensing gets it there, and otherwise never leaves its second
page mostly blank: the vertical extent of the text on each page, measured with pdfplumber, for talks of lengths
that used to spill a box or a paragraph onto page 2."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import TALK, copy_project, make_project

from kitgen.pipeline.pipeline import build

MM = 72 / 25.4
MARGINS = (14, 18)  # mm, the handout's top and bottom page margins (print.css); the footer sits in the bottom one
FAIR = 0.35         # a page whose text takes less of it than this is mostly blank
PARA = "Screening works best when every visit asks the same two questions, and staff know what comes next. "
HANDOUT = "site/jane-smith/lunch-and-learn.pdf"


def talk(parts: int, sentences: int = 3, extra: int = 0) -> str:
    return TALK + "".join(f"\n## Part {i}\n\n{PARA * sentences}\n" for i in range(parts)) + "\n" + PARA * extra


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("handout") / "kit")
    build(project.root, jobs=2)
    return project


def pages(project) -> list[dict]:
    """Per page: how much of the area between the margins the text takes (top of the first line to the bottom of
    the last), the smallest body type, and the words."""
    found = []
    with pdfplumber.open(project.out / HANDOUT) as pdf:
        for page in pdf.pages:
            usable = page.height - sum(MARGINS) * MM
            chars = [c for c in page.chars if c["top"] < page.height - MARGINS[1] * MM]  # not the running footer
            extent = (max(c["bottom"] for c in chars) - min(c["top"] for c in chars)) / usable
            sizes = [round(c["size"], 1) for c in chars]
            found.append({"fill": extent, "smallest": min(sizes), "body": max(set(sizes), key=sizes.count),
                          "text": " ".join((page.extract_text() or "").split())})
    return found


def with_talk(built, tmp_path, text: str):
    project = copy_project(built, tmp_path)
    project.write("content/talks/perinatal-screening.md", text)
    build(project.root, jobs=1)
    return project


def test_a_short_talk_is_one_page_at_full_size(built):
    (page,) = pages(built)
    assert page["body"] == 10.0 and "How to refer to us" in page["text"]


def test_a_talk_a_little_too_long_is_condensed_onto_one_page(built, tmp_path):
    (page,) = pages(with_talk(built, tmp_path, talk(3, extra=2)))
    assert page["body"] == 9.0 and page["smallest"] >= 8 - 0.01, "condensed: body text 9 pt, nothing below 8"
    assert "Part 2" in page["text"] and "How to refer to us" in page["text"]


@pytest.mark.parametrize(("parts", "sentences"), [(3, 6), (4, 4), (4, 5), (5, 4)])
def test_a_two_page_handout_shares_its_content_fairly(built, tmp_path, parts, sentences):
    found = pages(with_talk(built, tmp_path, talk(parts, sentences)))
    assert len(found) == 2
    assert [p["fill"] >= FAIR for p in found] == [True, True], [round(p["fill"], 2) for p in found]
    words = " ".join(p["text"] for p in found)
    assert all(f"Part {i}" in words for i in range(parts)) and "How to refer to us" in words
