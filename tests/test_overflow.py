"""Page limits: `kitgen check` lays out the PDFs whose content changed and reports every document that cannot keep
to its limit, located, exactly as `kitgen build` refuses them; after a build it lays out only what changed."""

from __future__ import annotations

import re

from click.testing import CliRunner
from conftest import PARTNER, TALK
from test_build import SECOND

from kitgen.commands.cli import main
from kitgen.pipeline.pipeline import build

LONG_TALK = TALK + "".join(f"\n## Part {i}\n\n" + "Screening matters for every new parent. " * 30 + "\n"
                           for i in range(60))
LONG_ADDRESS = "address: " + " ".join(f"Building {i}, Floor {i}, Wing {i}, Suite {i}," for i in range(150)) + "\n"


def run(project, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def problems(result) -> list[str]:
    """stderr without the progress lines ("kitgen: 3/12 ...") a long layout prints."""
    return [line for line in result.stderr.splitlines() if not re.match(r"kitgen: \d+/\d+ ", line)]


def test_every_document_over_its_page_limit_is_found_by_check_and_build_alike(project):
    """Defect 3: page overflow (a talk that needs 40 pages, letters that need 2) was found only by build, and
    only the first one was reported."""
    project.write("content/talks/perinatal-screening.md", LONG_TALK)
    project.write("content/partners/jane-smith.yaml", PARTNER + LONG_ADDRESS)
    project.write("content/partners/omar-haddad.yaml", SECOND)
    checked = run(project, "check", "-j", "2")
    assert checked.exit_code == 1
    lines = problems(checked)
    handout = r"content/talks/perinatal-screening\.md:8: body: the lunch-and-learn handout for {} needs \d+ pages " \
              r"\(the limit is 2\); shorten the talk"
    mine = r"content/partners/jane-smith\.yaml: {0}: the {0} for jane-smith needs \d+ pages even condensed \(the " \
           r"limit is 1\); shorten this partner's address, note or practice name, or the practice's tagline and address"
    assert re.fullmatch(mine.format("fax-form"), lines[0])
    assert re.fullmatch(mine.format("intro-letter"), lines[1])
    assert re.fullmatch(mine.format("report-back"), lines[2])
    assert re.fullmatch(handout.format("jane-smith"), lines[3])
    assert re.fullmatch(handout.format("omar-haddad"), lines[4])
    assert lines[5:] == ["kitgen: 5 errors; nothing was written"]
    assert not project.out.exists()
    built = CliRunner().invoke(main, ["build", "--project", str(project.root), "-j", "2"])
    assert built.exit_code == 1
    assert [re.sub(r"needs \d+ pages", "needs N pages", line) for line in problems(built)] == \
        [re.sub(r"needs \d+ pages", "needs N pages", line) for line in lines]
    assert not project.out.exists()


def test_check_lays_out_only_the_pdfs_changed_since_the_last_build(project):
    build(project.root, jobs=1)
    assert run(project, "check").stdout == "kitgen: 1 partners, 1 talks: ok\n"
    project.write("content/partners/jane-smith.yaml", PARTNER + "office_contact: Dana Lee\n")
    assert run(project, "check").stdout == "kitgen: 1 partners, 1 talks: ok (8 changed PDFs laid out)\n"
    assert run(project, "check", "--no-layout").stdout == "kitgen: 1 partners, 1 talks: ok\n"


def test_check_lays_out_every_pdf_with_the_files_it_embeds(project, caplog):
    """Check's layouts ran without the patients' QR code (patient-qr.svg, on the cards and the leaflet): WeasyPrint
    logged it missing and laid the cards out without it. Every file a build writes before its PDFs is there."""
    from kitgen.pipeline.pipeline import Options, run
    from kitgen.project import Project

    with caplog.at_level("WARNING", logger="weasyprint"):
        rehearsed = run(Project.at(project.root), Options(dry_run=True, jobs=1))
    assert sum(rel.endswith(".pdf") for rel in rehearsed.written) == 8
    assert not project.out.exists()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_a_word_longer_than_its_column_wraps_inside_the_page(project):
    """Long unbroken text (a pasted tracking link, a code) ran off the page edge and was cut there, while the page
    limits passed: every word of the one-pager and the leaflet now lies inside the paper."""
    import pdfplumber
    from conftest import PRACTICE

    word = "Sessionsforanxietypanicandavoidance" * 4  # 140 letters, no break
    project.write("content/practice.yaml", PRACTICE.replace("Skills-based therapy for worry, panic and avoidance.",
                                                            f"Skills-based therapy, {word}."))
    build(project.root, jobs=1)
    for name in ("one-pager.pdf", "patient-leaflet.pdf"):
        with pdfplumber.open(project.out / "site/jane-smith" / name) as pdf:
            page = pdf.pages[0]
            words = page.extract_words()
            assert "".join(w["text"] for w in words).count("Sessionsforanxiety") >= 1 or name == "patient-leaflet.pdf"
            outside = [w["text"] for w in words if w["x1"] > page.width + 0.5 or w["x0"] < -0.5]
            assert outside == [], (name, outside)
