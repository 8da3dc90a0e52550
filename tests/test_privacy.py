"""Partner pages are public files naming real physicians: kept out of search engines, optionally unguessable."""

from __future__ import annotations

import json

from htmlpage import Page

from kitgen.build.pipeline import build


def test_every_file_is_noindex_and_nothing_blocks_crawlers_from_seeing_it(project):
    build(project.root, jobs=1)
    headers = (project.out / "site/_headers").read_text(encoding="utf-8").splitlines()
    assert headers[0] == "/*" and "  X-Robots-Tag: noindex, nofollow" in headers
    vcf = headers.index("/*.vcf")  # phones open a contact card only when it is served as one
    assert headers[vcf + 1] == "  Content-Type: text/vcard; charset=utf-8"
    assert not (project.out / "site/robots.txt").exists(), "a robots.txt block would hide the noindex"
    page = Page(project.out / "site/jane-smith/index.html")
    assert "noindex" in page.meta("robots")
    csp = next(m.get("content") for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'self'" in csp and "form-action 'none'" in csp
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["headers"] == "site/_headers"
    assert not list((project.out / "site").rglob("*.json")), "nothing that lists partners is deployed"


def test_private_urls_put_each_partner_under_a_stable_random_token(project):
    project.write("kitgen.yaml", (project.root / "kitgen.yaml").read_text() + "private_urls: true\n")
    partner_file = project.root / "content/partners/jane-smith.yaml"
    original = partner_file.read_text(encoding="utf-8")
    build(project.root, jobs=1)
    text = partner_file.read_text(encoding="utf-8")
    assert text.startswith(original), "the user's own lines and comments are kept as they were"
    token = text.splitlines()[-1].split()[1]
    assert len(token) >= 16 and set(token) <= set("abcdefghijklmnopqrstuvwxyz234567")
    assert "jane" not in token and "smith" not in token
    folder = project.out / f"site/jane-smith-{token}"
    assert (folder / "index.html").is_file() and not (project.out / "site/jane-smith").exists()
    manifest = json.loads((project.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["partners"][0]["page_url"] == f"https://refer.example.org/jane-smith-{token}/"
    build(project.root, jobs=1)
    assert partner_file.read_text(encoding="utf-8") == text, "the token is written once and kept"
    assert (folder / "index.html").is_file()


def test_tokens_differ_for_the_same_physician_in_two_kits(project, tmp_path):
    from conftest import make_project
    other = make_project(tmp_path / "other")
    for p in (project, other):
        p.write("kitgen.yaml", (p.root / "kitgen.yaml").read_text() + "private_urls: true\n")
        build(p.root, jobs=1)
    tokens = {(p.root / "content/partners/jane-smith.yaml").read_text().splitlines()[-1] for p in (project, other)}
    assert len(tokens) == 2
