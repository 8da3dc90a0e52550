"""Every PDF kitgen makes is PDF/UA-1 (ISO 14289-1), as a screen reader's user and HHS's Section 504 rule need:
one partner's complete set built with each theme, in every shipped language (English, Spanish, French), checked by
a real validator (`page-validation`, a Rust PDF/UA and PDF/A checker that passes the veraPDF corpus), zero failed
rules."""

from __future__ import annotations

import page
import pytest
from conftest import make_project

from kitgen.pipeline.pipeline import build


@pytest.mark.parametrize("theme", ["default", "warm", "quiet"])
def test_every_pdf_of_every_theme_passes_pdf_ua_1(tmp_path, theme):
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", (project.root / "kitgen.yaml").read_text()
                  + f"theme: {theme}\npatient_languages: [en, es, fr]\n")
    project.write("content/images/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">'
                  '<rect width="40" height="20" fill="#0e5f63"/></svg>')
    project.write("content/practice.yaml", (project.root / "content/practice.yaml").read_text()
                  .replace("tagline:", "logo: images/logo.svg\ntagline:", 1))
    build(project.root, jobs=1)
    pdfs = sorted(project.out.rglob("*.pdf"))
    kinds = {p.name for p in pdfs}
    assert {"one-pager.pdf", "cards.pdf", "cards-es.pdf", "cards-fr.pdf", "patient-leaflet.pdf",
            "patient-leaflet-es.pdf", "patient-leaflet-fr.pdf",
            "fax-referral-form.pdf", "lunch-and-learn.pdf", "intro-letter.pdf", "thank-you-cards.pdf",
            "report-back.pdf"} <= kinds
    failed = {}
    for pdf in pdfs:
        report = page.validate_pdf(pdf, profile="ua1")
        if not report.is_compliant:
            failed[str(pdf.relative_to(project.out))] = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
    assert failed == {}
