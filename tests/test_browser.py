"""Every landing page of the example kit, opened in real headless Chromium (Debian's) as a physician would.

The repository's own content/ is built once into a temp folder and served from 127.0.0.1. Each page must pass
axe-core's WCAG 2.2 A/AA rules on a phone and a desktop, the Nu Html Checker, fit a 320 px screen, offer
targets of at least 24 x 24 px, print without its screen-only parts, and load nothing from another host.
Missing tools fail these tests (with the command that installs them): CI installs everything.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import statistics
import subprocess
from urllib.parse import urlsplit

import pytest
from chromium import AXE_JS, CHROMIUM, FLAGS, HOST, LIGHTHOUSE, ROOT, SETUP, VNU_JAR, chromium, missing_tools, serve
from pypdf import PdfReader

from kitgen.pipeline.pipeline import build

pytestmark = pytest.mark.browser

SLUGS = sorted(p.stem for p in (ROOT / "content" / "partners").glob("*.yaml"))
WCAG22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
DESKTOP = dict(viewport={"width": 1280, "height": 900})
# A4 (the narrower paper) less site.css's 12 mm @page margins, in CSS px: 186 mm * 96 / 25.4.
PRINT_WIDTH = 703
AXE_PATH = "__axe.js"  # served by a route on the page's own origin, so the page's CSP stays in force


@pytest.fixture(scope="module")
def tools():
    missing = missing_tools(java=True)
    if missing:
        pytest.fail(f"the browser tests need {', '.join(missing)}: {SETUP}", pytrace=False)


@pytest.fixture(scope="module")
def kit(tools, tmp_path_factory):
    """The example kit built from the repository's content/; returns (site folder, manifest partners by slug)."""
    out = tmp_path_factory.mktemp("browser") / "out"
    build(ROOT, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out / "site", {p["slug"]: p for p in manifest["partners"]}


@pytest.fixture(scope="module")
def base_url(kit):
    with serve(kit[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tools):
    with chromium() as b:
        yield b


class Visit:
    """One page load in a fresh context, with every request the page made and every error it logged."""

    def __init__(self, browser, base_url: str, slug: str, **context):
        self.context = browser.new_context(**context)
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.responses: list = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("response", lambda r: self.responses.append(r))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        self.url = f"{base_url}{slug}/"
        self.response = self.page.goto(self.url, wait_until="networkidle")

    def _route(self, route):
        """Record every request; let through only those to 127.0.0.1, so a leak is caught, never sent."""
        url = route.request.url
        self.requests.append(url)
        if urlsplit(url).hostname == HOST:
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)


@pytest.fixture
def visit(browser, base_url):
    opened = []

    def open_(slug: str, **context) -> Visit:
        v = Visit(browser, base_url, slug, **context)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.context.close()


def test_every_partner_has_a_landing_page(kit):
    site, partners = kit
    assert SLUGS and sorted(partners) == SLUGS
    for slug in SLUGS:
        assert (site / slug / "index.html").is_file()


@pytest.mark.parametrize("slug", SLUGS)
def test_page_loads_only_from_localhost_with_its_qr_and_referral_link(visit, kit, slug):
    v = visit(slug, **PHONE)
    assert v.response.status == 200
    assert v.outside == [], "the page asked another host for something"
    assert all(urlsplit(u).hostname == HOST for u in v.requests)
    assert any(u.endswith("/assets/site.css") for u in v.requests)
    assert v.errors == []

    qr = v.page.locator("img.qr")
    assert qr.get_attribute("src") == "qr.svg"
    assert v.js("img => img.complete && img.naturalWidth > 0", qr.element_handle()), "the QR image did not load"
    assert any(u == f"{v.url}qr.svg" for u in v.requests)
    box = qr.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150, "the QR code is too small to scan from a screen"

    referral = kit[1][slug]["referral_url"]
    assert referral.endswith(f"ref={slug}")
    refer = v.page.get_by_role("link", name="Refer a patient", exact=True)
    assert refer.get_attribute("href") == referral
    assert refer.is_visible()
    assert v.page.get_by_role("link", name="Open the secure referral form").get_attribute("href") == referral


@pytest.mark.parametrize("slug", SLUGS)
def test_each_leaflet_is_linked_in_its_own_language(visit, kit, slug):
    """The example kit sees patients in English and Spanish: the page links each leaflet named in its language,
    with lang and hreflang, and the file is there."""
    v = visit(slug, **PHONE)
    spanish = v.page.get_by_role("link", name="Folleto para pacientes en español (PDF)", exact=True)
    assert (spanish.get_attribute("href"), spanish.get_attribute("lang"), spanish.get_attribute("hreflang")) == \
        ("patient-leaflet-es.pdf", "es", "es")
    assert spanish.is_visible()
    english = v.page.get_by_role("link", name="Patient leaflet in English (PDF)", exact=True)
    assert english.get_attribute("href") == "patient-leaflet.pdf" and english.get_attribute("lang") is None
    assert v.page.locator('p.languages span[lang="es"]').inner_text() == "Se habla español."
    assert (kit[0] / slug / "patient-leaflet-es.pdf").is_file()


def _axe(v: Visit) -> dict:
    v.page.route(f"{v.url.rsplit('/', 2)[0]}/{AXE_PATH}",
                 lambda r: r.fulfill(path=AXE_JS, content_type="application/javascript"))
    v.page.add_script_tag(url=f"/{AXE_PATH}")
    return v.js("opts => axe.run(document, opts)",
                {"runOnly": {"type": "tag", "values": WCAG22_AA}, "resultTypes": ["violations"]})


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"[{x['impact']}] {x['id']}: {x['help']}: " +
                     "; ".join(" ".join(map(str, n["target"])) for n in x["nodes"][:5]) for x in violations)


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("slug", SLUGS)
def test_axe_finds_no_wcag22_aa_violation(visit, slug, size):
    v = visit(slug, **(PHONE if size == "phone" else DESKTOP))
    results = _axe(v)
    ran = {r["id"] for kind in ("passes", "violations", "incomplete") for r in results[kind]}
    assert {"color-contrast", "target-size", "html-has-lang", "link-name", "image-alt"} <= ran
    assert "valid-lang" in ran, "the links to the Spanish leaflet and 'Se habla español' carry lang=\"es\""
    assert results["violations"] == [], _describe(results["violations"])
    unsure = [r for r in results["incomplete"] if r["id"] == "color-contrast"]
    assert unsure == [], "axe could not decide some contrast: " + _describe(unsure)


@pytest.fixture(scope="module")
def vnu(kit):
    """The Nu Html Checker's messages for every landing page, from one run of vnu.jar."""
    site = kit[0]
    pages = [str(site / slug / "index.html") for slug in SLUGS]
    run = subprocess.run(["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *pages],
                         capture_output=True, text=True, timeout=300)
    assert run.stdout.strip(), f"vnu.jar printed nothing (exit {run.returncode}): {run.stderr[-2000:]}"
    messages = json.loads(run.stdout)["messages"]
    by_page = {slug: [] for slug in SLUGS}
    for m in messages:
        slug = m.get("url", "").rstrip("/").split("/")[-2]
        by_page.setdefault(slug, []).append(m)
    return by_page


@pytest.mark.parametrize("slug", SLUGS)
def test_nu_html_checker_finds_no_error(vnu, slug):
    errors = [m for m in vnu[slug] if m["type"] in ("error", "non-document-error")]
    assert errors == [], "\n".join(f"{m.get('lastLine')}: {m['message']} {m.get('extract', '')!r}" for m in errors)
    assert set(vnu) == set(SLUGS), f"messages for files that were not checked: {set(vnu) - set(SLUGS)}"
    # vnu reads the pages as file: URLs, where it does not count ../assets/ as 'self' under the page's CSP; over
    # http the browser loads them (test_page_loads_only_from_localhost... sees no CSP error). Nothing else.
    warnings = [m for m in vnu[slug] if m["type"] == "info" and m.get("subType") == "warning"
                and not m["message"].startswith("Resource violates Content Security Policy")]
    assert warnings == [], "\n".join(f"{m.get('lastLine')}: {m['message']}" for m in warnings)


# Elements whose right edge passes the viewport (clipped or scrolled), and the document's scroll width.
OVERFLOW = """() => {
  const d = document.documentElement, limit = d.clientWidth + 0.5;
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > limit;
  }).map(el => el.outerHTML.slice(0, 100));
  return {scroll: d.scrollWidth, client: d.clientWidth, body: document.body.scrollWidth, wide};
}"""


@pytest.mark.parametrize("width", [390, 320])
@pytest.mark.parametrize("slug", SLUGS)
def test_no_horizontal_scrolling_on_a_phone(visit, slug, width):
    v = visit(slug, viewport={"width": width, "height": 844}, is_mobile=True, has_touch=True)
    fit = v.js(OVERFLOW)
    assert fit["client"] == width
    assert fit["scroll"] <= fit["client"] and fit["body"] <= fit["client"], fit
    assert fit["wide"] == []


# Every target's size; for one smaller than 24 x 24, whether WCAG 2.5.8's "inline" exception covers it: it
# is laid out inline (its height set by the line, not by the control) and its line box holds non-target
# text with a word in it, i.e. it sits in a sentence. Stricter than WCAG: the "spacing" exception is not used.
TARGETS = """() => {
  const SEL = 'a[href], button, input, select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  return [...document.querySelectorAll(SEL)].filter(el => el.getClientRects().length).map(el => {
    const r = el.getBoundingClientRect(), display = getComputedStyle(el).display;
    let block = el.parentElement;
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let other = '';
    for (let n; (n = walk.nextNode());) if (!n.parentElement.closest(SEL)) other += n.data;
    const inSentence = display === 'inline' && /\\p{L}{2,}/u.test(other);
    return {html: el.outerHTML.slice(0, 100), w: r.width, h: r.height, display, inSentence};
  });
}"""


def test_target_check_exempts_only_links_in_a_sentence(browser):
    """The check above, on a page made to hold one target of each kind, so its verdicts are known."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.set_content("""<!DOCTYPE html><html lang="en"><title>t</title><body style="font: 14px/1.2 sans-serif">
          <p>Read <a id="sentence" href="#a">the guide</a> before you call.</p>
          <p><a id="alone" href="#b">555-0100</a> · <a id="alone2" href="#c">site</a></p>
          <p><a id="block" href="#d" style="display:inline-block; min-height:24px; min-width:24px">ok</a></p>
          <p>Small <a id="tiny-box" href="#e" style="display:inline-block; font-size:9px">x</a> in text.</p>
          <button id="hidden" style="display:none">no</button></body></html>""")
        verdict = {t["html"].split('"')[1]: (t["w"] >= 24 and t["h"] >= 24) or t["inSentence"]
                   for t in page.evaluate(TARGETS)}
    finally:
        context.close()
    assert verdict == {"sentence": True, "alone": False, "alone2": False, "block": True, "tiny-box": False}


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("slug", SLUGS)
def test_targets_are_at_least_24px_unless_inline_in_a_sentence(visit, slug, size):
    v = visit(slug, **(PHONE if size == "phone" else DESKTOP))
    targets = v.js(TARGETS)
    assert len(targets) >= 8
    small = [t for t in targets if (t["w"] < 24 or t["h"] < 24) and not t["inSentence"]]
    assert small == [], "\n".join(f"{t['w']:.1f}x{t['h']:.1f} {t['display']}: {t['html']}" for t in small)
    buttons = [t for t in targets if 'class="button' in t["html"]]
    assert len(buttons) == 3 and all(t["w"] >= 44 and t["h"] >= 44 for t in buttons), buttons


@pytest.mark.parametrize("slug", SLUGS)
def test_print_hides_screen_only_parts_and_fits_the_paper(visit, kit, slug):
    v = visit(slug, viewport={"width": PRINT_WIDTH, "height": 1000})
    v.page.emulate_media(media="print")
    page = v.page
    for selector in (".skip", ".actions", ".button", ".downloads"):
        assert page.locator(selector).count() and not any(
            el.is_visible() for el in page.locator(selector).all()), f"{selector} is printed"
    referral = kit[1][slug]["referral_url"]
    assert page.locator(".scan .url").inner_text() == referral and page.locator(".scan .url").is_visible()
    qr = page.locator("img.qr").bounding_box()
    assert 140 <= qr["width"] <= 160, "the printed QR code is about 40 mm"
    assert page.locator(".crisis").is_visible()
    fit = v.js(OVERFLOW)
    assert fit["scroll"] <= fit["client"] and fit["wide"] == [], fit
    ink = v.js("() => getComputedStyle(document.querySelector('.masthead')).backgroundColor")
    assert ink in ("rgba(0, 0, 0, 0)", "transparent"), "no solid colour band on paper"


@pytest.mark.parametrize("slug", SLUGS)
def test_printed_page_carries_the_referral_url_and_phone_not_the_buttons(visit, kit, slug):
    v = visit(slug)
    v.page.emulate_media(media="print")
    for paper, (width_pt, height_pt) in {"A4": (595, 842), "Letter": (612, 792)}.items():
        pdf = PdfReader(io.BytesIO(v.page.pdf(format=paper)))
        assert 1 <= len(pdf.pages) <= 4, f"{paper}: {len(pdf.pages)} pages"
        box = pdf.pages[0].mediabox
        assert abs(float(box.width) - width_pt) < 2 and abs(float(box.height) - height_pt) < 2, box
        words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())  # no-break spaces too
        assert kit[1][slug]["referral_url"] in words
        assert "(541) 555-0142" in words and "988" in words
        assert "Refer a patient" not in words and "Skip to content" not in words


# --- the brand of kitgen.yaml, as Chromium paints it -------------------------------------------------------------

BROWN = "rgb(138, 59, 18)"  # brand.primary "#8a3b12"


@pytest.fixture(scope="module")
def branded_url(tools, tmp_path_factory):
    """The example kit with `brand: {primary: "#8a3b12"}` (pages only), served."""
    root = tmp_path_factory.mktemp("branded")
    shutil.copytree(ROOT / "content", root / "content")
    config = re.sub(r"(?m)^brand:.*(\n[ #].*)*", 'brand: {primary: "#8a3b12"}', (ROOT / "kitgen.yaml").read_text())
    assert 'brand: {primary: "#8a3b12"}' in config
    (root / "kitgen.yaml").write_text(config, encoding="utf-8")
    build(root, root / "out", formats={"html", "code"})
    with serve(root / "out" / "site") as url:
        yield url


def test_the_brand_colours_the_headings_masthead_and_buttons_in_chromium(browser, branded_url):
    v = Visit(browser, branded_url, SLUGS[0], **PHONE)
    try:
        assert v.errors == [] and v.outside == []
        headings = v.js("() => [...document.querySelectorAll('h1, h2, h3')].map(h => getComputedStyle(h).color)")
        assert len(headings) >= 8 and set(headings) == {BROWN}
        paint = v.js("""() => ({
            masthead: getComputedStyle(document.querySelector('.masthead')).backgroundColor,
            button: getComputedStyle(document.querySelector('.button.primary')).backgroundColor,
            buttonText: getComputedStyle(document.querySelector('.button.primary')).color,
            link: getComputedStyle(document.querySelector('.contact a')).color,
            font: getComputedStyle(document.body).fontFamily})""")
        assert paint == {"masthead": BROWN, "button": BROWN, "buttonText": "rgb(255, 255, 255)", "link": BROWN,
                         "font": "Inter, system-ui, sans-serif"}
        results = _axe(v)
        assert results["violations"] == [], _describe(results["violations"])
    finally:
        v.context.close()


# --- a light page: what a phone downloads on first load, and Lighthouse's verdict ---------------------------------

PAGE_BUDGET = 100_000  # bytes, every response of the first load: HTML, CSS, fonts, images, the QR code


@pytest.mark.parametrize("slug", SLUGS)
def test_the_first_load_of_a_page_is_at_most_100_kb_with_woff2_subsets_only(visit, slug):
    v = visit(slug, **PHONE)
    assert v.errors == []
    loaded = {urlsplit(r.url).path.rsplit("/", 1)[-1] or "index.html": len(r.body()) for r in v.responses}
    total = sum(len(r.body()) for r in v.responses)
    assert total <= PAGE_BUDGET, f"{total} bytes: {loaded}"
    fonts = sorted(name for name in loaded if name.endswith((".woff2", ".otf", ".ttf", ".woff")))
    assert fonts == ["Inter-Bold.woff2", "Inter-Regular.woff2", "Inter-SemiBold.woff2"]
    assert {"index.html", "brand.css", "site.css", "qr.svg", "logo.svg"} <= set(loaded)
    used = v.js("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.weight + ' ' + f.style).sort(); }""")
    assert used == ["400 normal", "600 normal", "700 normal"], "the page renders in the subsets it downloads"


def _lighthouse_on_a_phone(page: str, served_from: str, label: str) -> list[float]:
    """Lighthouse's performance scores for `page`: one run when it scores >= 0.95 (a loaded machine lowers a score,
    it never raises one), else three, whose median counts. Each run is asserted a phone run of this server with
    accessibility 1.0 (the failing audits named otherwise)."""
    performance: list[float] = []
    while not performance or (performance[0] < 0.95 and len(performance) < 3):
        report = _lighthouse(page)
        assert report["configSettings"]["formFactor"] == "mobile" and report["finalDisplayedUrl"].startswith(
            served_from)
        scores = {name: category["score"] for name, category in report["categories"].items()}
        failing = [a["id"] for a in report["audits"].values()
                   if a["id"] in {r["id"] for r in report["categories"]["accessibility"]["auditRefs"]}
                   and a["score"] is not None and a["score"] < 1]
        assert scores["accessibility"] == 1.0, failing
        performance.append(scores["performance"])
        metrics = report["audits"]["metrics"]["details"]["items"][0]
        print(label, scores, {k: metrics[k] for k in ("firstContentfulPaint", "largestContentfulPaint", "speedIndex",
                                                      "totalBlockingTime", "cumulativeLayoutShift")})
    return performance


def _lighthouse(url: str) -> dict:
    """One Lighthouse run (its default: a phone, simulated slow 4G and a 4x slower CPU) in Debian's Chromium,
    which may reach nothing but the test's own server."""
    flags = [*FLAGS, "--headless=new", f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}"]
    run = subprocess.run([str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
                          "--only-categories=performance,accessibility", f"--chrome-flags={' '.join(flags)}"],
                         capture_output=True, text=True, timeout=300, env=dict(os.environ, CHROME_PATH=str(CHROMIUM)))
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


@pytest.mark.parametrize("slug", SLUGS)
def test_lighthouse_scores_performance_at_least_095_and_accessibility_1_on_a_phone(base_url, slug):
    """Scores move with the machine's load, so a run below 0.95 is followed by two more and their median counts,
    as Lighthouse advises (https://github.com/GoogleChrome/lighthouse/blob/main/docs/variability.md)."""
    performance = _lighthouse_on_a_phone(f"{base_url}{slug}/", base_url, slug)
    assert statistics.median(performance) >= 0.95, performance
