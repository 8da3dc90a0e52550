"""Incremental, reproducible and safe builds: what a rebuild touches, what it leaves alone."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from conftest import copy_project, make_project

from kitgen.kinds import KINDS
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError
from kitgen.project import RESERVED_SLUGS

SECOND = """\
name: Omar Haddad
credentials: DO
specialty: family-medicine
practice: Valley Family Practice
"""


def snapshot(out: Path) -> dict[str, tuple[str, int]]:
    """Every file under `out`: content hash and mtime."""
    return {p.relative_to(out).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def changed(before: dict, after: dict) -> set[str]:
    """Files added, removed or rewritten (mtime moved), state file aside."""
    keys = (before.keys() | after.keys()) - {".kitgen-state.json"}
    return {k for k in keys if before.get(k) != after.get(k)}


def docs(slug: str, *kinds: str) -> set[str]:
    return {KINDS[k].path(slug) for k in kinds}


def forwarding(*codes: str, listing: bool = True) -> set[str]:
    """The kit's own addresses the QR codes hold (documents/redirects.py): a page per code for the physicians'
    form and the patients' address, and the hosts' `_redirects` list of all of them."""
    return {f"site/{folder}/{code}/index.html" for code in codes for folder in ("r", "p")} | \
        ({"site/_redirects"} if listing else set())


# a partner's documents made from its file and the practice profile (not the QR codes: those follow the URL)
CONTENT = ("landing", "one_pager", "cards", "patient_leaflet", "handout", "fax_form", "intro_letter", "intro_email",
           "thank_you", "report_back")


@pytest.fixture(scope="module")
def built_two(tmp_path_factory):
    """The fixture kit with a second partner, built once for the module."""
    project = make_project(tmp_path_factory.mktemp("two") / "kit")
    project.write("content/partners/omar-haddad.yaml", SECOND)
    build(project.root, jobs=2)
    return project


@pytest.fixture
def two(built_two, tmp_path):
    """A copy of the built two-partner kit for one test to change."""
    return copy_project(built_two, tmp_path)


def rebuild(project) -> set[str]:
    """What a build made again: rendered (a file made again with the same bytes keeps its mtime), or removed."""
    before = snapshot(project.out)
    result = build(project.root, jobs=1)
    assert changed(before, snapshot(project.out)) <= {*result.written, *result.removed}, "nothing else moves"
    return {*result.written, *result.removed}


def test_a_second_build_writes_nothing_and_renders_nothing(two, monkeypatch):
    """Nothing written, and nothing rendered either: the checks that render a document (card text fitted, the
    intro e-mail's word count) run for the documents a build will render, and a no-op build renders none."""
    from kitgen.render import html
    rendered = []
    real = html.render_partner
    monkeypatch.setattr(html, "render_partner", lambda *a, **k: rendered.append(a[2]) or real(*a, **k))
    before = snapshot(two.out)
    result = build(two.root, jobs=1)
    assert result.written == [] and result.removed == []
    assert snapshot(two.out) == before
    assert rendered == []
    (two.root / "content/partners/omar-haddad.yaml").write_text(SECOND.replace("Omar", "Omer"), encoding="utf-8")
    build(two.root, jobs=1)
    assert {getattr(k, "name", k) for k in rendered} >= {"cards", "landing"}, "the edited partner's are checked"


def test_editing_a_partner_rebuilds_only_that_partners_documents(two):
    two.write("content/partners/omar-haddad.yaml", SECOND + "note: Thanks for the coffee.\n")
    # his talk is the fallback (the first), so his handout is rebuilt too: it is addressed to his practice
    # the follow-up calendar and the hosts' _redirects list every partner, so they are rewritten too
    assert rebuild(two) == docs("omar-haddad", *CONTENT) | {"desk/followups.ics", "site/_redirects"}


def test_editing_the_practice_rebuilds_every_partner_but_not_the_qr_codes(two):
    text = (two.root / "content/practice.yaml").read_text(encoding="utf-8")
    two.write("content/practice.yaml", text.replace("Aetna, Cigna", "Aetna, Cigna, Kaiser"))
    practice_wide = {"site/referrals.vcf", "desk/followups.ics"}
    # the QR code's SVG is titled with the practice's name (read by screen readers); the PNG is the URL alone
    # the forwarding pages name the practice
    assert rebuild(two) == docs("jane-smith", *CONTENT, "qr") | docs("omar-haddad", *CONTENT, "qr") | practice_wide \
        | forwarding("FEZV", "6SYJ", listing=False)


def test_changing_the_form_url_moves_the_forwarding_pages_not_the_printed_codes(two):
    text = (two.root / "content/practice.yaml").read_text(encoding="utf-8")
    two.write("content/practice.yaml", text.replace("refer?src=kit", "refer"))
    rebuilt = rebuild(two)
    assert forwarding("FEZV", "6SYJ") - {"site/p/FEZV/index.html", "site/p/6SYJ/index.html"} <= rebuilt
    assert not rebuilt & (docs("jane-smith", "qr_print") | docs("omar-haddad", "qr_print")), "cards already printed"
    page = (two.out / "site/r/FEZV/index.html").read_text(encoding="utf-8")
    assert "refer?ref=jane-smith" in page and "src=kit" not in page


def test_editing_a_talk_rebuilds_the_pages_and_handouts_that_use_it(two):
    text = (two.root / "content/talks/perinatal-screening.md").read_text(encoding="utf-8")
    two.write("content/talks/perinatal-screening.md", text + "\nOne more line.\n")
    # the only talk is the fallback for both partners; one-pagers and cards do not show it
    assert rebuild(two) == docs("jane-smith", "landing", "handout") | docs("omar-haddad", "landing", "handout")


def test_editing_a_template_rebuilds_only_documents_made_from_it(two):
    theme = two.root / "themes/default/templates"
    theme.mkdir(parents=True)
    (theme / "cards.html").write_text('{% extends "!default/cards.html" %}', encoding="utf-8")
    assert rebuild(two) == docs("jane-smith", "cards") | docs("omar-haddad", "cards")


def test_editing_a_theme_asset_rewrites_only_that_asset(two):
    assets = two.root / "themes/default/assets"
    assets.mkdir(parents=True)
    (assets / "site.css").write_text("body { color: black }\n", encoding="utf-8")
    assert rebuild(two) == {"site/assets/site.css"}
    assert (two.out / "site/assets/site.css").read_text(encoding="utf-8") == "body { color: black }\n"


def test_editing_the_config_rebuilds_every_document_that_reads_it(two):
    text = (two.root / "kitgen.yaml").read_text(encoding="utf-8")
    two.write("kitgen.yaml", text.replace("avery-5371", "avery-8869"))
    practice_wide = {"site/referrals.vcf", "desk/followups.ics", "site/assets/brand.css", "manifest.json"}
    # every document reads a setting (the e-mail draft formats phone numbers for the region in kitgen.yaml)
    assert rebuild(two) == docs("jane-smith", *CONTENT) | docs("omar-haddad", *CONTENT) \
        | practice_wide | forwarding("FEZV", "6SYJ")


def test_deleting_a_partner_removes_its_files_and_keeps_the_users_own(two):
    (two.out / "site/CNAME").write_text("refer.example.org\n", encoding="utf-8")
    (two.out / "site/omar-haddad/notes.txt").write_text("mine\n", encoding="utf-8")
    two.remove("content/partners/omar-haddad.yaml")
    result = build(two.root, jobs=1)
    assert set(result.removed) == docs("omar-haddad", "qr", "qr_print", "patient_qr_print", *CONTENT) \
        | forwarding("6SYJ", listing=False)
    assert (two.out / "site/CNAME").read_text(encoding="utf-8") == "refer.example.org\n"
    assert (two.out / "site/omar-haddad/notes.txt").exists(), "a file kitgen did not write is never deleted"
    assert not (two.out / "site/omar-haddad/index.html").exists()


def test_force_rebuilds_everything(two):
    before = snapshot(two.out)
    result = build(two.root, jobs=1, force=True)
    assert set(result.written) == set(before) - {".kitgen-state.json", "manifest.json"}
    assert changed(before, snapshot(two.out)) == set(), "made again with the same bytes: mtimes kept"


def test_two_clean_builds_are_byte_identical(project, tmp_path):
    build(project.root, tmp_path / "a", jobs=1)
    build(project.root, tmp_path / "b", jobs=2)
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert a.keys() == b.keys()
    assert {k: v[0] for k, v in a.items() if k != ".kitgen-state.json"} == \
        {k: v[0] for k, v in b.items() if k != ".kitgen-state.json"}


def test_source_date_epoch_sets_the_pdf_dates(project, tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")  # 2026-01-01
    subprocess.run([sys.executable, "-m", "kitgen", "build", "--project", str(project.root), "--out",
                    str(tmp_path / "o"), "-q", "-j", "1"], env=env, check=True)
    meta = pypdf.PdfReader(tmp_path / "o/site/jane-smith/one-pager.pdf").metadata
    assert (meta["/CreationDate"], meta["/ModDate"]) == ("D:20260101000000Z", "D:20260101000000Z")


def test_partner_and_shard_build_part_of_the_kit(two, tmp_path):
    build(two.root, tmp_path / "one", partners=["omar-haddad"], jobs=1)
    assert [p.name for p in (tmp_path / "one/site").iterdir() if p.is_dir() and p.name not in RESERVED_SLUGS] == \
        ["omar-haddad"]
    built = set()
    for k in (1, 2, 3):
        out = tmp_path / f"shard{k}"
        build(two.root, out, shard=(k, 3), jobs=1)
        mine = {p.name for p in (out / "site").iterdir() if p.is_dir()} - RESERVED_SLUGS
        assert not mine & built, "a partner is in exactly one shard"
        built |= mine
    assert built == {"jane-smith", "omar-haddad"}


def test_unknown_partner_is_a_located_error(project):
    with pytest.raises(ContentError) as err:
        build(project.root, partners=["nobody"], jobs=1)
    assert str(err.value) == "--partner: nobody: no partner file content/partners/nobody.yaml"


# --- a build with nothing to do (pipeline/inputs.py) ------------------------------------------------------------------

def test_a_build_with_nothing_to_do_loads_nothing_and_says_what_the_full_check_says(two, monkeypatch):
    """The same inputs as the last complete build and its output untouched: kitgen says so without loading the kit
    (0.1 s at 200 partners, benchmarks/bench.py), with the counts and warnings a full check gives."""
    monkeypatch.setenv("KITGEN_TODAY", "2027-01-15")  # availability.as_of is 61 days old: one warning
    redated = build(two.root, jobs=1)  # the letters are dated the day they are built: written again, once
    assert sorted(redated.written) == [f"desk/{slug}/{name}" for slug in ("jane-smith", "omar-haddad")
                                       for name in ("intro-email.eml", "intro-letter.pdf")]
    full = build(two.root, jobs=1)
    assert [w.field for w in full.warnings] == ["availability.as_of"] and full.written == []
    probe = ("import sys; from kitgen.pipeline.pipeline import build; r = build(sys.argv[1]); "
             "print(r.skipped, len(r.written), [str(w) for w in r.warnings]); "
             "print(sorted(m for m in sys.modules if m.startswith(('kitgen.content', 'kitgen.render', 'jinja2'))))")
    done = subprocess.run([sys.executable, "-c", probe, str(two.root)], capture_output=True, text=True, check=True)
    counts, loaded = done.stdout.splitlines()
    assert counts == f"{full.skipped} 0 {[str(w) for w in full.warnings]}"
    assert loaded == "[]", "the kit, its theme and Jinja stay unloaded"
    before = snapshot(two.out)
    os.utime(two.root / "content/practice.yaml")  # saved again, unchanged: the full path, which renders nothing
    again = build(two.root, jobs=1)
    assert (again.written, again.skipped, again.warnings) == ([], full.skipped, full.warnings)
    assert changed(before, snapshot(two.out)) == set()


def test_whatever_a_build_reads_takes_the_full_path_when_it_changes(two, monkeypatch):
    practice = two.root / "content/practice.yaml"
    os.utime(practice)  # saved just before the build
    build(two.root, jobs=1)
    text, st = practice.read_text(encoding="utf-8"), practice.stat()
    # edited again with the same size and mtime, as an edit within one tick of a coarse file-system clock leaves it
    practice.write_text(text.replace("Aetna, Cigna", "Cigna, Aetna"), encoding="utf-8")
    os.utime(practice, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "site/jane-smith/one-pager.pdf" in build(two.root, jobs=1).written
    (two.out / "site/omar-haddad/qr.svg").unlink()  # the output changed by hand
    assert build(two.root, jobs=1).written == ["site/omar-haddad/qr.svg"]
    monkeypatch.setenv("KITGEN_TODAY", "2027-01-15")  # a new day: the staleness check speaks
    assert [w.field for w in build(two.root, jobs=1).warnings] == ["availability.as_of"]
    with pytest.raises(ContentError):
        build(two.root, strict=True)
    theme = two.write("themes/default/templates/partials/kit_extras.css", "/* a project theme's own */\n")
    assert build(two.root, jobs=1).written, f"a new file in {theme.parent} is read"


def test_a_partial_build_leaves_no_record_that_the_whole_kit_is_current(two):
    text = (two.root / "content/practice.yaml").read_text(encoding="utf-8")
    two.write("content/practice.yaml", text.replace("Aetna, Cigna", "Aetna, Cigna, Kaiser"))
    build(two.root, partners=["jane-smith"], jobs=1)
    assert "site/omar-haddad/one-pager.pdf" in build(two.root, jobs=1).written
