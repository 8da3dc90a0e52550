"""Partner pages are public files naming real physicians: kept out of search engines, optionally unguessable."""

from __future__ import annotations

import json

from htmlpage import Page

from kitgen.pipeline.pipeline import build


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


def test_a_token_that_would_not_read_back_is_asked_for_and_no_partner_file_is_touched(project):
    """A valid partner file that ends with `...` or is one {...} mapping cannot take an appended line: check and
    build both say where the line goes, and neither writes a token into any partner file (all or none)."""
    from click.testing import CliRunner

    from kitgen.commands.cli import main
    project.write("kitgen.yaml", (project.root / "kitgen.yaml").read_text() + "private_urls: true\n")
    project.write("content/partners/omar-haddad.yaml", "{name: Omar Haddad, credentials: DO, specialty: "
                  "family-medicine, practice: Eastside Family Medicine}\n")
    project.write("content/partners/lee-park.yaml", "name: Lee Park\ncredentials: MD\nspecialty: family-medicine\n"
                  "practice: Northside Pediatrics\n...\n")
    files = sorted((project.root / "content/partners").glob("*.yaml"))
    before = {f: f.read_bytes() for f in files}
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(project.root)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        for name, line in (("lee-park", 5), ("omar-haddad", 1)):
            assert f"content/partners/{name}.yaml:{line}: url_token: private_urls: true needs a url_token" in \
                result.output, result.output
        assert "add the line `url_token: " in result.output
        assert {f: f.read_bytes() for f in files} == before, "no partner file gets a token unless all do"
    project.write("content/partners/lee-park.yaml", before[project.root / "content/partners/lee-park.yaml"]
                  .decode().replace("...\n", "url_token: abcdefghijklmnopqrstuvwxyz\n"))
    project.write("content/partners/omar-haddad.yaml", "name: Omar Haddad\ncredentials: DO\nspecialty: "
                  "family-medicine\npractice: Eastside Family Medicine\n")
    build(project.root, jobs=1)
    assert (project.out / "site/lee-park-abcdefghijklmnopqrstuvwxyz/index.html").is_file()
    assert "url_token: " in (project.root / "content/partners/omar-haddad.yaml").read_text()
