"""Authoring: `kitgen serve` over real HTTP with real file edits, `kitgen new partner` and `kitgen list`."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner
from conftest import make_project, terminal_signals

from kitgen.commands.cli import main
from kitgen.content.partners import Partner
from kitgen.pipeline.pipeline import build

NOTE = "Thank you for meeting with us."


class Preview:
    """`kitgen serve --port 0` in a subprocess, its terminal lines collected as they come."""

    def __init__(self, project):
        self.project = project
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "kitgen", "serve", "--project", str(project.root),
                                      "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env, preexec_fn=terminal_signals)
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=lambda s=stream, ls=lines: ls.extend(iter(s.readline, "")), daemon=True).start()
        first = self.wait(lambda: self.out and self.out[0], 20, "the address line")
        self.url = re.search(r"http://\S+/", first).group(0)

    @staticmethod
    def wait(condition, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}")

    def get(self, path: str) -> tuple[int, str, bytes]:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()

    def text(self, path: str) -> str:
        return self.get(path)[2].decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.text("/__kitgen/status.json"))

    def stop(self, sig=signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(15)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("serve") / "kit")
    server = Preview(project)
    server.wait(lambda: any(line.startswith("kitgen: PDFs") for line in server.out), 120, "the first build")
    yield server
    server.stop(signal.SIGKILL)


def test_serve_binds_to_loopback_and_the_index_lists_every_partner_with_documents(preview):
    assert preview.url.startswith("http://127.0.0.1:")
    status, kind, body = preview.get("/")
    index = body.decode()
    assert status == 200 and kind.startswith("text/html")
    assert 'href="/jane-smith/"' in index and "Dr. Jane Smith" in index and "ob-gyn" in index
    for pdf in ("one-pager.pdf", "cards.pdf", "lunch-and-learn.pdf"):
        assert f'href="/jane-smith/{pdf}"' in index
        status, kind, data = preview.get(f"/jane-smith/{pdf}")
        assert kind == "application/pdf" and data.startswith(b"%PDF-")
    assert not (preview.project.out / "site" / "index.html").exists(), "the index is served, never built"
    letter = re.search(r'href="(/__kitgen/desk/jane-smith/intro-letter.pdf)"', index)
    assert letter, "the therapist's own documents (desk/) are listed too"
    assert preview.get(letter.group(1))[2].startswith(b"%PDF-")
    assert (preview.project.out / "desk/jane-smith/intro-letter.pdf").is_file()
    with pytest.raises(urllib.error.HTTPError) as outside:
        preview.get("/__kitgen/desk/../manifest.json")
    assert outside.value.code == 404


def test_pages_are_served_with_the_reload_script_and_built_files_are_not_touched(preview):
    page = preview.text("/jane-smith/")
    on_disk = (preview.project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert "__kitgen" not in on_disk
    build_id = preview.status()["build"]
    tags = re.findall(r"<script\b[^>]*>", page)
    assert tags == [f'<script src="/__kitgen/reload.js" data-build="{build_id}" data-errors="" defer>'], \
        "one same-origin script, nothing inline (the page's CSP allows scripts from 'self' only)"
    assert "script-src 'self'" in page
    assert page.replace(re.search(r'<link rel="stylesheet" href="/__kitgen/preview.css">.*?</script>', page)
                        .group(0), "") == on_disk, "the injected tags are the only difference"
    _status, kind, script = preview.get("/__kitgen/reload.js")
    assert kind.startswith("text/javascript") and b'new EventSource("/__kitgen/events")' in script
    assert b"location.reload()" in script


def _events(preview):
    """Messages from the Server-Sent Events stream, read in a thread as they arrive."""
    messages: list[dict] = []
    response = urllib.request.urlopen(preview.url + "__kitgen/events", timeout=30)

    def read():
        try:
            for raw in response:
                line = raw.decode().strip()
                if line.startswith("data: "):
                    messages.append(json.loads(line[6:]))
        except OSError:
            pass
    threading.Thread(target=read, daemon=True).start()
    return messages, response


def test_an_edit_is_rebuilt_and_announced_to_open_tabs_within_seconds(preview):
    messages, stream = _events(preview)
    before = preview.wait(lambda: messages and messages[0]["build"], 5, "the first event")
    partner = preview.project.root / "content/partners/jane-smith.yaml"
    start = time.monotonic()
    partner.write_text(partner.read_text().replace(NOTE, "Lovely to meet your team on Tuesday."))
    preview.wait(lambda: "Lovely to meet your team" in preview.text("/jane-smith/"), 30, "the rebuilt page")
    seen = time.monotonic() - start
    preview.wait(lambda: any(m["build"] != before for m in messages), 5, "a new build id on the event stream")
    stream.close()
    assert seen < 10, f"the edit took {seen:.1f} s to reach the browser"
    assert "Lovely to meet your team" in (preview.project.out / "site/jane-smith/index.html").read_text()
    assert any("rebuilt after content/partners/jane-smith.yaml" in line for line in preview.out)

    # the PDFs follow, without a second reload of the page
    preview.wait(lambda: any(line.startswith("kitgen: PDFs after content/partners/jane-smith.yaml")
                             for line in preview.out), 60, "the PDFs to be rebuilt")
    from pypdf import PdfReader
    _status, _kind, data = preview.get("/jane-smith/one-pager.pdf")
    import io
    assert "Lovely to meet your team" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert preview.status()["build"] == messages[-1]["build"] != before


def test_a_broken_save_keeps_the_last_good_page_shows_the_located_error_and_the_fix_recovers(preview):
    partner = preview.project.root / "content/partners/jane-smith.yaml"
    good = partner.read_text()
    last_good = preview.text("/jane-smith/")
    partner.write_text(good.replace("specialty: ob-gyn", "specialty: OB/GYN"))
    errors = preview.wait(lambda: preview.status()["errors"], 30, "the error to be reported")
    message = "content/partners/jane-smith.yaml:3: specialty: 'OB/GYN' is not a slug"
    assert any(e.startswith(message) for e in errors)
    assert message in preview.text("/__kitgen/errors")
    assert message in preview.text("/"), "the index shows it too"
    assert preview.text("/jane-smith/") == last_good, "the last good build is still served"
    preview.wait(lambda: any(line.startswith(message) for line in preview.err), 5, "the error in the terminal")

    partner.write_text(re.sub(r"^note: .*$", "note: Fixed and saved.", good, flags=re.MULTILINE))
    preview.wait(lambda: not preview.status()["errors"], 30, "recovery")
    preview.wait(lambda: "Fixed and saved." in preview.text("/jane-smith/"), 30, "the fixed page")
    assert "No errors" in preview.text("/__kitgen/errors")


def test_a_broken_theme_template_is_reported_at_its_line(preview):
    override = preview.project.write("themes/default/templates/landing.html",
                                     '{% extends "!default/landing.html" %}\n{% block title %}{{ oops( {% endblock %}\n')
    errors = preview.wait(lambda: preview.status()["errors"], 30, "the template error")
    assert errors[0].startswith("themes/default/templates/landing.html:2: "), errors
    override.unlink()
    preview.wait(lambda: not preview.status()["errors"], 30, "recovery after the override is removed")


def test_a_partner_added_with_new_partner_appears_in_the_served_index(preview):
    result = CliRunner().invoke(main, ["new", "partner", "Sam Rivera", "--specialty", "pediatrics", "--practice",
                                       "Northside Pediatrics", "--project", str(preview.project.root)])
    assert result.exit_code == 0, result.output
    preview.wait(lambda: 'href="/sam-rivera/"' in preview.text("/"), 30, "the new partner in the index")
    assert "Northside Pediatrics" in preview.text("/sam-rivera/")


@pytest.mark.browser
def test_an_open_tab_reloads_on_save_and_shows_errors_over_the_last_good_page_in_chromium(preview):
    """Debian's Chromium (as in test_browser.py) with the page's own Content-Security-Policy in force."""
    from chromium import SETUP, chromium, missing_tools
    missing = missing_tools()
    if missing:
        pytest.fail(f"this test needs {', '.join(missing)}: {SETUP}", pytrace=False)
    partner = preview.project.root / "content/partners/jane-smith.yaml"
    good = partner.read_text()
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        problems = []
        page.on("console", lambda m: problems.append(m.text)  # failed loads: see "response" below
                if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        page.goto(preview.url + "jane-smith/")
        page.wait_for_load_state("load")

        start = time.monotonic()
        partner.write_text(re.sub(r"^note: .*$", "note: Seen in the browser.", good, flags=re.MULTILINE))
        # polled from here: Playwright's wait_for_function evaluates a string, which the page's CSP refuses
        def note():
            try:
                return page.text_content(".note", timeout=1000) or ""
            except Exception:  # between two documents while the tab reloads
                return ""
        preview.wait(lambda: "Seen in the browser" in note(), 20, "the tab to reload")
        reloaded = time.monotonic() - start

        index = context.new_page()
        index.goto(preview.url)
        index.wait_for_load_state("load")

        def index_problems() -> bool | None:
            try:
                return index.query_selector(".problems") is not None
            except Exception:  # reloading
                return None
        assert index_problems() is False
        partner.write_text(good.replace("specialty: ob-gyn", "specialty: OB/GYN"))
        banner = page.wait_for_selector("#kitgen-errors", timeout=20_000)
        preview.wait(lambda: index_problems() is True, 20, "the index to reload with the error")
        index.wait_for_timeout(300)
        assert index.query_selector("#kitgen-errors") is None, "the index lists errors itself, without the banner"
        assert banner.get_attribute("role") == "alert"
        assert "content/partners/jane-smith.yaml:3: specialty: 'OB/GYN' is not a slug" in banner.text_content()
        assert "Seen in the browser" in note(), "the last good page stays under the banner"
        assert banner.evaluate("e => getComputedStyle(e).position") == "fixed", "preview.css applies under the CSP"

        partner.write_text(re.sub(r"^note: .*$", "note: Fixed in the browser.", good, flags=re.MULTILINE))
        preview.wait(lambda: "Fixed in the browser" in note() and page.query_selector("#kitgen-errors") is None,
                     20, "the tab to recover")
        preview.wait(lambda: index_problems() is False, 20, "the index to recover")
    assert not problems, f"the page logged errors (a CSP refusal would show here): {problems}"
    assert reloaded < 10, f"save to reloaded tab took {reloaded:.1f} s"
    print(f"save to reloaded tab: {reloaded:.2f} s")


def test_serve_refuses_a_busy_port_and_a_folder_that_is_not_a_kit_in_one_line(preview, tmp_path):
    port = preview.url.rsplit(":", 1)[1].strip("/")
    busy = CliRunner().invoke(main, ["serve", "--project", str(preview.project.root), "--port", port])
    assert busy.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in busy.output
    nowhere = CliRunner().invoke(main, ["serve", "--project", str(tmp_path)])
    assert nowhere.exit_code == 1 and "--project: not a kit project (no kitgen.yaml here)" in nowhere.output
    assert preview.proc.poll() is None, "the running preview is unaffected"


def test_ctrl_c_stops_the_preview_with_one_line_and_ends_by_sigint(preview):
    assert preview.stop(signal.SIGINT) == -signal.SIGINT  # a shell shows $? 130
    preview.wait(lambda: preview.err and preview.err[-1] == "kitgen: stopped\n", 5, "the closing line")
    assert not any("Traceback" in line for line in preview.err)


# --- kitgen new partner ------------------------------------------------------------------------------------------

def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_new_partner_writes_every_field_and_passes_check(project):
    result = _run("new", "partner", "Tomás Álvarez", "--specialty", "family-medicine", "--practice",
                  "O'Neil & Sons: \"Family\" Care", "--project", project.root)
    assert result.exit_code == 0, result.output
    path = project.root / "content/partners/tomas-alvarez.yaml"
    text = path.read_text(encoding="utf-8")
    fields = [f.name for f in dataclasses.fields(Partner) if not f.metadata.get("derived")]
    for name in fields:
        assert re.search(rf"^(# )?{name}:", text, re.MULTILINE), f"{name} is missing from the template"
    for line in text.splitlines():
        assert len(line) <= 200 and (line.startswith("#") or "  # " in line), f"uncommented line: {line!r}"
    check = _run("check", "--strict", "--project", project.root)
    assert check.exit_code == 0, check.output
    from kitgen.content.load import load_kit
    kit, _ = load_kit(project.root)
    new = next(p for p in kit.partners if p.slug == "tomas-alvarez")
    assert (new.name, new.specialty, new.practice, new.credentials) == \
        ("Tomás Álvarez", "family-medicine", "O'Neil & Sons: \"Family\" Care", "MD")
    assert new.talk is None and new.note is None, "optional fields stay commented out"

    path.write_text(re.sub(r"^# (?!url_token)(\w+: )", r"\1", text, flags=re.MULTILINE), encoding="utf-8")
    every = _run("check", "--strict", "--project", project.root)
    assert every.exit_code == 0, f"every example, uncommented, is valid too:\n{every.output}"


def test_new_partner_refuses_to_overwrite_and_rejects_a_bad_specialty(project):
    before = (project.root / "content/partners/jane-smith.yaml").read_text()
    result = _run("new", "partner", "Jane Smith", "--specialty", "ob-gyn", "--project", project.root)
    assert result.exit_code == 1
    assert "content/partners/jane-smith.yaml: file: already exists" in result.output
    assert (project.root / "content/partners/jane-smith.yaml").read_text() == before
    bad = _run("new", "partner", "Ann Lee", "--specialty", "OB/GYN", "--project", project.root)
    assert bad.exit_code == 2 and "not a slug" in bad.output and "e.g. ob-gyn" in bad.output
    assert not (project.root / "content/partners/ann-lee.yaml").exists()
    nowhere = _run("new", "partner", "Ann Lee", "--specialty", "ob-gyn", "--project", project.root / "missing")
    assert nowhere.exit_code == 1 and "--project: not a kit project (no such folder)" in nowhere.output


def test_new_partner_without_practice_leaves_a_todo_that_check_and_build_refuse(project):
    result = _run("new", "partner", "Li Wei", "--specialty", "cardiology", "--credentials", "DO",
                  "--project", project.root)
    assert result.exit_code == 0 and "fill in practice" in result.output
    text = (project.root / "content/partners/li-wei.yaml").read_text()
    assert re.search(r"^practice: TODO", text, re.MULTILINE) and re.search(r"^credentials: DO", text, re.MULTILINE)
    line = text.splitlines().index(next(t for t in text.splitlines() if t.startswith("practice: TODO"))) + 1
    for command in ("check", "build"):  # a TODO is never published (it was, with a warning)
        refused = _run(command, "--project", project.root)
        assert refused.exit_code == 1
        assert f"content/partners/li-wei.yaml:{line}: practice: is still a placeholder (TODO)" in refused.output
    assert not project.out.exists()


# --- kitgen list ---------------------------------------------------------------------------------------------------

def _table(output: str) -> dict[str, list[str]]:
    lines = output.splitlines()
    assert lines[0].split() == ["slug", "name", "specialty", "talk", "page", "built", "status", "standing"]
    starts = [m.start() for m in re.finditer(r"\S+", lines[0])]
    rows = {}
    for line in lines[1:]:
        cells = [line[a:b].strip() for a, b in zip(starts, starts[1:] + [None])]
        rows[cells[0]] = cells
    return rows


def test_list_shows_talk_page_url_and_when_each_kit_was_built(project):
    project.write("content/partners/ann-lee.yaml", "name: Ann Lee\ncredentials: NP\nspecialty: cardiology\n"
                  "practice: Heart Partners\n")
    rows = _table(_run("list", "--project", project.root).stdout)  # warnings go to stderr
    assert rows["jane-smith"][1:5] == ["Dr. Jane Smith", "ob-gyn", "perinatal-screening (by specialty)",
                                       "https://refer.example.org/jane-smith/"]
    assert rows["ann-lee"][1] == "Ann Lee", "no 'Dr.' for a nurse practitioner"
    assert rows["jane-smith"][5:] == ["never", "never built", "prospect"], "no contact logged yet: a prospect"

    build(project.root, jobs=1)
    rows = _table(_run("list", "--project", project.root).stdout)  # warnings go to stderr
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows["jane-smith"][5])
    assert rows["jane-smith"][6] == rows["ann-lee"][6] == "current"

    project.write("content/partners/ann-lee.yaml", "name: Ann Lee\ncredentials: NP\nspecialty: cardiology\n"
                  "practice: Heart Partners of Portland\n")
    rows = _table(_run("list", "--project", project.root).stdout)  # warnings go to stderr
    assert rows["ann-lee"][6] == "out of date" and rows["jane-smith"][6] == "current"


def test_list_reports_content_errors_like_check(project):
    project.write("content/partners/jane-smith.yaml", "name: Jane Smith\ncredentials: MD\nspecialty: OB/GYN\n"
                  "practice: Lakeside\n")
    result = _run("list", "--project", project.root)
    assert result.exit_code == 1 and "content/partners/jane-smith.yaml:3: specialty:" in result.output


# --- docs ----------------------------------------------------------------------------------------------------------

def _documented_names(cls, prefix: str = "") -> list[str]:
    """Every field a user can write, as docs/format.md names it: `contact.phone`, `services[].name`."""
    import typing
    names = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if f.metadata.get("derived"):
            continue
        name, hint = prefix + f.name, hints[f.name]
        names.append(name)
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if dataclasses.is_dataclass(hint):
            names += _documented_names(hint, name + ".")
        elif typing.get_origin(hint) is list and args and dataclasses.is_dataclass(args[0]):
            names += _documented_names(args[0], name + "[].")
    return names


def test_format_reference_documents_every_field_of_the_model_in_its_file():
    from pathlib import Path

    from kitgen.content.config import Config
    from kitgen.content.model import Practice
    from kitgen.content.partners import Partner, Talk
    doc = (Path(__file__).parent.parent / "docs/format.md").read_text(encoding="utf-8")
    doc = re.sub(r"^```.*?^```", "", doc, flags=re.MULTILINE | re.DOTALL)  # examples hold headings of their own
    sections = dict(re.findall(r"^## (\S+)[^\n]*\n(.*?)(?=^## |\Z)", doc, re.MULTILINE | re.DOTALL))
    files = {"kitgen.yaml": Config, "content/practice.yaml": Practice, "content/partners/&lt;slug&gt;.yaml": Partner,
             "content/talks/&lt;slug&gt;.md": Talk}
    missing = [f"{file}: {name}" for file, cls in files.items() for name in _documented_names(cls)
               if not re.search(rf"^\| `{re.escape(name)}` \|", sections[file], re.MULTILINE)]
    assert not missing, "add a row to docs/format.md for: " + ", ".join(missing)


def test_the_theming_guide_recipes_work_as_written(project):
    """The files docs/theming.md tells a user to write (each a code block under a `path`: line) do what it says."""
    from pathlib import Path

    import pdfplumber

    guide = (Path(__file__).parent.parent / "docs/theming.md").read_text(encoding="utf-8")
    recipes = re.findall(r"^`(themes/[^`]+)`:\n\n```\w*\n(.*?)^```", guide, re.MULTILINE | re.DOTALL)
    assert {path for path, _ in recipes} == {"themes/default/assets/colors.css",
                                             "themes/default/templates/landing.html",
                                             "themes/default/templates/print.css"}
    for path, text in recipes:
        project.write(path, text)
    build(project.root, jobs=1)
    page = (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert page.index('href="../assets/brand.css"') < page.index('href="../assets/site.css"') \
        < page.index('href="../assets/colors.css"')
    assert "--wash: #fbf3e9" in (project.out / "site/assets/colors.css").read_text()
    with pdfplumber.open(project.out / "site/jane-smith/one-pager.pdf") as pdf:
        fills = {tuple(round(v * 255) for v in r["non_stroking_color"]) for r in pdf.pages[0].rects
                 if r["non_stroking_color"] and r["width"] > 50}
    assert (0xFB, 0xF3, 0xE9) in fills, f"the print.css recipe tints the one-pager's referral box: {fills}"


def test_privacy_and_deploying_guides_quote_the_headers_kitgen_writes():
    from pathlib import Path

    from kitgen.documents.privacy import CSP, headers_file
    docs = Path(__file__).parent.parent / "docs"
    privacy = (docs / "privacy.md").read_text(encoding="utf-8")
    quoted = re.search(r"```\n(default-src[^`]*)```", privacy).group(1)
    assert " ".join(quoted.split()) == CSP, "privacy.md quotes the Content-Security-Policy kitgen sends"
    written = headers_file().decode()
    deploying = (docs / "deploying.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(/\*\n.*?)```", deploying, re.DOTALL).group(1)
    for line in block.splitlines():
        if "…" in line:
            name, value = line.split(": ", 1)
            head, tail = value.split(" … ")
            assert any(w.startswith(name + ": " + head) and w.endswith(tail) for w in written.splitlines()), line
        else:
            assert line in written.splitlines(), f"deploying.md shows a header kitgen does not write: {line!r}"
