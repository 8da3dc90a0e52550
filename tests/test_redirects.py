"""Printed QR codes that outlive a form vendor (issue 24, item 5): every code in every piece holds an address of the
kit's own site, whose page (and the hosts' `_redirects`) forwards to the current form with the partner's `?ref=`.
The browser tests serve the built site and a fake form on loopback servers and follow a decoded code in Chromium,
with JavaScript on and off."""

from __future__ import annotations

import html
import http.server
import json
import re

import pytest
from conftest import copy_project, make_project
from readback import qr_codes

from kitgen.content import codes
from kitgen.pipeline.pipeline import build

BASE = "https://refer.example.org/"
FORM = "https://secure.harborlight.example/refer?src=kit&ref=jane-smith"
PATIENT = "https://harborlight.example/first-visit?ref=jane-smith"
CODE = codes.candidate("jane-smith", 0)


def refresh_target(page: str) -> str:
    found = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    assert found, page
    return html.unescape(found.group(1))


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("redirects") / "kit")
    build(project.root, project.out)
    return project


def test_every_qr_code_in_every_piece_holds_the_kits_own_address(kit):
    """The one-pager, handout, fax form, intro letter and thank-you cards hold r/<code>/; the cards and the
    leaflet p/<code>/; no piece holds the form's address, which a new vendor would kill."""
    held: dict[str, list[str]] = {}
    for path in sorted(kit.out.rglob("*.pdf")):
        held[str(path.relative_to(kit.out))] = qr_codes(path)
    assert held["site/jane-smith/one-pager.pdf"] == [f"{BASE}r/{CODE}/"]
    assert held["site/jane-smith/patient-leaflet.pdf"] == [f"{BASE}p/{CODE}/"]
    assert set(held["site/jane-smith/cards.pdf"]) == {f"{BASE}p/{CODE}/"}
    every = [c for found in held.values() for c in found]
    assert every and all(c in (f"{BASE}r/{CODE}/", f"{BASE}p/{CODE}/") for c in every), held
    manifest = json.loads((kit.out / "manifest.json").read_text())["partners"][0]
    assert manifest["qr_url"] == f"{BASE}r/{CODE}/" and manifest["patient_qr_url"] == f"{BASE}p/{CODE}/"
    assert manifest["referral_url"] == FORM
    assert f"{BASE}r/{CODE}/".encode() in (kit.out / "site/jane-smith/qr.svg").read_bytes()


def test_the_pages_forward_without_scripts_loads_or_health_information(kit):
    site = kit.out / "site"
    for folder, to, words in (("r", FORM, "Open the secure referral form"), ("p", PATIENT, "Request an appointment")):
        page = (site / folder / CODE / "index.html").read_text()
        assert refresh_target(page) == to
        assert f'<a href="{html.escape(to)}">{words}</a>' in page, "a visible link where refreshes are off"
        assert '<meta name="robots" content="noindex, nofollow">' in page and '<html lang="en">' in page
        assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["../../assets/redirect.js", html.escape(to)], "nothing else"
        assert "jane-smith" not in page.replace(to, "").replace(html.escape(to), "")
    assert (site / "_redirects").read_text().splitlines()[1:] == [f"/r/{CODE}/ {FORM} 302", f"/p/{CODE}/ {PATIENT} 302"]
    assert b"location.replace" in (site / "assets/redirect.js").read_bytes()


def test_a_new_form_url_moves_every_printed_code_and_leaves_the_codes_alone(kit, tmp_path):
    """Changing form_url changes the forwarding only: the QR image is byte for byte the one already printed."""
    copy = copy_project(kit, tmp_path)
    moved, out = copy.root, copy.out
    practice = moved / "content/practice.yaml"
    practice.write_text(practice.read_text().replace("https://secure.harborlight.example/refer?src=kit",
                                                     "https://forms.newvendor.example/h/12"))
    build(moved, out)
    new = "https://forms.newvendor.example/h/12?ref=jane-smith"
    assert refresh_target((out / f"site/r/{CODE}/index.html").read_text()) == new
    assert f"/r/{CODE}/ {new} 302" in (out / "site/_redirects").read_text()
    assert (out / "site/jane-smith/qr-print.svg").read_bytes() == (kit.out / "site/jane-smith/qr-print.svg").read_bytes()
    assert qr_codes(out / "site/jane-smith/one-pager.pdf") == [f"{BASE}r/{CODE}/"]


def test_private_urls_use_the_token_and_write_no_list_of_partners(tmp_path):
    project = make_project(tmp_path / "kit")
    config = project.root / "kitgen.yaml"
    config.write_text(config.read_text() + "private_urls: true\n")
    build(project.root, project.out)
    manifest = json.loads((project.out / "manifest.json").read_text())["partners"][0]
    token = manifest["path"].rstrip("/").rsplit("-", 1)[1]
    assert manifest["qr_url"] == f"{BASE}r/{token}/"
    assert qr_codes(project.out / manifest["files"]["one_pager"]) == [f"{BASE}r/{token}/"]
    assert not (project.out / "site/_redirects").exists() and not (project.out / f"site/r/{CODE}").exists()
    assert refresh_target((project.out / f"site/r/{token}/index.html").read_text()) == FORM


def test_a_partner_file_named_like_the_redirect_folders_is_refused(tmp_path):
    from conftest import PARTNER

    from kitgen.problems import ContentError
    project = make_project(tmp_path / "kit")
    project.write("content/partners/r.yaml", PARTNER)
    with pytest.raises(ContentError, match="reserved"):
        build(project.root, project.out)


# --- in Chromium -------------------------------------------------------------------------------------------------

FAKE_FORM = b"<!DOCTYPE html><html lang='en'><title>Fake form</title><h1 id='form'>Fake referral form</h1></html>"


class _Form(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(FAKE_FORM)

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A kit whose base_url is a loopback server's, built into the folder that server serves, and a fake form
    server the form's https address is routed to (the form must be https; the browser never leaves 127.0.0.1)."""
    from chromium import CHROMIUM, loopback, missing_tools, serve
    if "the Python package playwright" in missing_tools() or not CHROMIUM.is_file():
        pytest.fail(f"the browser tests need {', '.join(missing_tools())}", pytrace=False)
    project = make_project(tmp_path_factory.mktemp("served") / "kit")
    site = project.out / "site"
    site.mkdir(parents=True)
    with serve(site) as root, loopback(_Form) as form:
        config = project.root / "kitgen.yaml"
        config.write_text(config.read_text().replace(BASE, root))
        build(project.root, project.out)
        yield project, root, form


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("piece,to", [("one-pager.pdf", FORM), ("cards.pdf", PATIENT)])
def test_a_scanned_code_reaches_the_form_with_the_partners_ref(served, javascript, piece, to):
    from chromium import chromium
    project, root, form = served
    scanned = qr_codes(project.out / "site/jane-smith" / piece)[0]
    assert scanned.startswith(root), "the code holds the kit's own address"
    with chromium() as browser:
        context = browser.new_context(java_script_enabled=javascript)
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))

        def fake_form(route):  # the https form address, answered by the loopback form server
            route.fulfill(response=route.fetch(url=form + route.request.url.split("/", 3)[3]))
        context.route(re.compile(r"^https://"), fake_form)
        page = context.new_page()
        page.goto(scanned)
        page.wait_for_url(to, timeout=5000)
        assert page.locator("#form").inner_text() == "Fake referral form"
        own = [u for u in requests if u.startswith(root)]
        assert [u for u in requests if u not in own] == [to], "nothing but the form is loaded from elsewhere"
        assert (root + "assets/redirect.js" in own) == javascript
        context.close()
