"""The report as the therapist opens it: report.html in Debian's Chromium (axe-core WCAG 2.2 AA, the Nu Html
Checker, no request beyond the file itself, no horizontal scrolling on a phone) and report.pdf read back (its
text, its drawn charts), both made from the repository's example kit and a referrals file with every case."""

from __future__ import annotations

import csv
import datetime
import json
import logging
import random
import subprocess
from urllib.parse import urlsplit

import pdfplumber
import pypdf
import pytest
from chromium import AXE_JS, HOST, ROOT, SETUP, VNU_JAR, chromium, missing_tools, serve
from click.testing import CliRunner

from kitgen.commands.cli import main

WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = dict(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True)
DESKTOP = dict(viewport={"width": 1280, "height": 900})
SOURCES = ["jane-smith", "Dr. Jane Smith", "TOMÁS ÁLVAREZ, MD", "Helen Zhou DO", "Psychology Today", "Google", "",
           "school counselor", "Dr. Tomas Alvarez (McKenzie)"]


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """report.html, .pdf and .csv for the example kit and 600 referrals over two years."""
    work = tmp_path_factory.mktemp("report-output")
    rng = random.Random(15)
    with open(work / "referrals.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["referred_on", "source", "first_session_on", "sessions", "status"])
        for _ in range(600):
            day = datetime.date(2024, 12, 1) + datetime.timedelta(days=rng.randrange(700))
            booked = rng.random() < 0.7 and day < datetime.date(2026, 10, 30)
            first = (day + datetime.timedelta(days=rng.randrange(1, 20))).isoformat() if booked else ""
            writer.writerow([day, rng.choice(SOURCES), first, rng.randrange(1, 20) if booked else "", "active"])
    result = CliRunner().invoke(main, ["report", str(work / "referrals.csv"), "--project", str(ROOT),
                                       "--out", str(work / "out")])
    assert result.exit_code == 0, result.output
    return work / "out/desk"


# --- the PDF -----------------------------------------------------------------------------------------------------

def test_the_pdf_opens_with_the_reports_text_and_its_charts(desk):
    reader = pypdf.PdfReader(desk / "report.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in ("Referrals received", "Thank-you due", "Visited twice or more, no referral yet",
                     "Not contacted for three months", "Other sources, ranked", "Dr. Jane Smith, Lakeside Women's "
                     "Health", "Psychology Today", "school counselor", "unknown", "Referrals received",
                     "Contacts made", "From partners", "Hours logged"):
        assert expected in text, expected
    assert "2025 Q1" in text, "the charts' quarter labels are text"
    with pdfplumber.open(desk / "report.pdf") as pdf:
        bars = [r for page in pdf.pages for r in page.rects if r["height"] > 2 and r["width"] < 60
                and r.get("non_stroking_color") not in (None, (1, 1, 1), [1, 1, 1], (1,), [1])]
        assert len(bars) >= 20, "the bar charts are drawn as filled shapes"
        assert pdf.pages[0].width == pytest.approx(612)  # the example kit prints on letter paper


def test_the_pdf_is_tagged_and_each_chart_is_a_figure_with_its_text_alternative(desk):
    reader = pypdf.PdfReader(desk / "report.pdf")
    figures = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    html = (desk / "report.html").read_text(encoding="utf-8")
    assert len(figures) == html.count('<img class="chart"') >= 5
    assert all(alt.startswith("Chart: ") for alt in figures)
    assert any("Dr. Jane Smith, referrals received and contacts made per quarter" in alt for alt in figures)


def test_weasyprint_has_nothing_to_warn_about_in_the_report(desk, caplog):
    """A warning (an unsupported CSS property, a resource it could not load) would reach the user's terminal."""
    from kitgen.report.pdf import report_pdf
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        report_pdf((desk / "report.html").read_text(encoding="utf-8"))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


# --- the page in a browser ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tools():
    missing = missing_tools()
    if missing:
        pytest.fail(f"the browser tests need {', '.join(missing)}: {SETUP}", pytrace=False)


@pytest.fixture(scope="module")
def browser(tools):
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def url(desk):
    with serve(desk) as base:
        yield base + "report.html"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_page_loads_nothing_but_itself_and_fits_a_phone(browser, url, size):
    context = browser.new_context(**(PHONE if size == "phone" else DESKTOP))
    requests, errors = [], []

    def route(r):
        requests.append(r.request.url)
        r.continue_() if urlsplit(r.request.url).hostname == HOST else r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        response = page.goto(url, wait_until="networkidle")
        assert response.status == 200
        assert requests == [url], "the report asked for something besides itself"
        assert errors == []
        charts = page.locator("img.chart")
        assert charts.count() >= 4
        assert all(src.startswith("data:image/svg+xml;base64,") for src in charts.evaluate_all(
            "els => els.map(e => e.getAttribute('src'))"))
        assert charts.evaluate_all("els => els.every(e => e.complete && e.naturalWidth > 300)"), "a chart is broken"
        assert all(alt.startswith("Chart: ") and len(alt) > 40 for alt in charts.evaluate_all(
            "els => els.map(e => e.alt)"))
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "scrolls sideways"
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_axe_finds_no_wcag22_aa_violation(browser, url, size):
    """axe needs a script in a page whose policy allows none: this context alone bypasses the CSP to inject it."""
    context = browser.new_context(bypass_csp=True, **(PHONE if size == "phone" else DESKTOP))
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
        results = page.evaluate("opts => axe.run(document, opts)",
                                {"runOnly": {"type": "tag", "values": WCAG22_AA}, "resultTypes": ["violations"]})
    finally:
        context.close()
    ran = {r["id"] for kind in ("passes", "violations", "incomplete") for r in results[kind]}
    assert {"color-contrast", "html-has-lang", "image-alt", "document-title", "th-has-data-cells"} <= ran
    assert results["violations"] == [], json.dumps(results["violations"], indent=1)[:3000]
    unsure = [r for r in results["incomplete"] if r["id"] == "color-contrast"]
    assert unsure == [], json.dumps(unsure, indent=1)[:3000]


def test_the_page_has_no_content_security_gap(desk):
    html = (desk / "report.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/", "")
    assert "https://" not in html.replace("https://kitgen.invalid", "")


def test_nu_html_checker_finds_no_error(tools, desk):
    if not VNU_JAR.is_file():
        pytest.fail(f"the Nu Html Checker is missing: {SETUP}", pytrace=False)
    run = subprocess.run(["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout",
                          str(desk / "report.html")], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stdout)["messages"]
    errors = [m for m in messages if m["type"] == "error"]
    assert errors == [], json.dumps(errors, indent=1)[:3000]
