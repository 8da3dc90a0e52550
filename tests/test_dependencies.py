"""Recorded dependencies: a document is rebuilt when, and only when, a file it was made from changes.

What a document is made from is recorded while it renders (kitgen/record.py), so these tests change real files
the way a user would (a project theme override, a content edit) and read back which files the next build
rewrote (content hash and mtime) and what they now say.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import Project, copy_project, make_project
from readback import pdf_text

from kitgen.kinds import KINDS, Kind
from kitgen.pipeline.pipeline import build
from kitgen.render.themes import builtin_dir

SECOND = "name: Omar Haddad\ncredentials: DO\nspecialty: family-medicine\npractice: Eastside Family Medicine\n"
TEMPLATED = [k for k in KINDS if k.template and k.per_partner]


def snapshot(out: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(out).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def rewritten(project: Project, **options) -> set[str]:
    """What a build made again (a file made again with the same bytes keeps its mtime: the build's list tells)."""
    before = snapshot(project.out)
    result = build(project.root, jobs=2, **options)
    after = snapshot(project.out)
    moved = {k for k in (before.keys() | after.keys()) - {".kitgen-state.json"} if before.get(k) != after.get(k)}
    assert moved <= {*result.written, *result.removed}, "nothing else moves"
    return {*result.written, *result.removed} - {"manifest.json"}


def files_of(*names: str, slugs: tuple[str, ...] = ("jane-smith", "omar-haddad")) -> set[str]:
    return {KINDS[n].path(slug) for n in names for slug in slugs}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """The fixture kit with two partners, built once for the module."""
    project = make_project(tmp_path_factory.mktemp("deps") / "kit")
    project.write("content/partners/omar-haddad.yaml", SECOND)
    build(project.root, jobs=2)
    return project


@pytest.fixture
def kit(built, tmp_path) -> Project:
    return copy_project(built, tmp_path)


def override(project: Project, template: str, old: str | None = None, new: str | None = None) -> None:
    """Copy a built-in template into the project's theme, optionally changing one piece of its text (everywhere:
    a sentence may be written once per case, as the intro's closing is)."""
    text = (builtin_dir("themes", "default", "templates") / template).read_text(encoding="utf-8")
    if old is not None:
        assert old in text, f"{old!r} is not in {template}"
        text = text.replace(old, new or "")
    project.write(f"themes/default/templates/{template}", text)


def test_a_copied_template_that_drops_a_line_still_rebuilds_from_the_text_it_includes(kit):
    """Issue 10, defect 1: copy intro_letter.html and intro_body.txt into the project's theme, change a word in
    the body: the intro letters and e-mails are rebuilt and say the new word."""
    override(kit, "intro_letter.html")
    override(kit, "intro_body.txt")
    assert rewritten(kit) == set(), "an identical override changes nothing"
    override(kit, "intro_body.txt", "Could we meet for 15 minutes", "Could we meet briefly")
    assert rewritten(kit) == files_of("intro_letter", "intro_email")
    letter = pdf_text(kit.out / KINDS["intro_letter"].path("jane-smith"))
    assert "Could we meet briefly to hear" in " ".join(letter.split())
    assert "Could we meet briefly to hear" in (kit.out / KINDS["intro_email"].path("jane-smith")).read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", TEMPLATED, ids=lambda k: k.name)
def test_changing_a_kinds_own_template_rebuilds_exactly_that_kind(kit, kind: Kind):
    """Made from its template: rebuilt. Every other kind was not made from it: untouched, mtime included."""
    assert kind.template
    override(kit, kind.template, "{% block body %}", "{% block body %}<!-- changed -->")
    assert rewritten(kit) == files_of(kind.name)


def test_a_partial_rebuilds_the_kinds_that_import_it_and_no_other(kit):
    override(kit, "partials/kit_extras.css", None)
    (kit.root / "themes/default/templates/partials/kit_extras.css").write_text(
        (builtin_dir("themes", "default", "templates") / "partials/kit_extras.css").read_text(encoding="utf-8")
        + "\n.changed { color: #123456 }\n", encoding="utf-8")
    users = {k.name for k in TEMPLATED
             if "kit_extras.css" in (builtin_dir("themes", "default", "templates") / str(k.template)).read_text()}
    assert users, "some kind includes the partial"
    assert rewritten(kit) == files_of(*users)


def test_the_print_stylesheet_is_part_of_every_pdf_and_of_no_page(kit):
    override(kit, "print.css", None)
    css = kit.root / "themes/default/templates/print.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    pdfs = [k.name for k in KINDS if k.format == "pdf"]
    assert rewritten(kit) == files_of(*pdfs)


def test_an_image_is_part_of_the_pdfs_that_embed_it_not_of_the_pages_that_link_it(kit):
    logo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
    kit.write("content/images/logo.svg", logo)
    text = (kit.root / "content/practice.yaml").read_text(encoding="utf-8")
    kit.write("content/practice.yaml", text.replace("tagline:", "logo: images/logo.svg\ntagline:"))
    first = rewritten(kit)
    assert "site/media/images/logo.svg" in first
    kit.write("content/images/logo.svg", logo.replace("<rect", '<rect fill="#2a6f6b"'))
    second = rewritten(kit)
    embedding = {rel for rel in second if rel.endswith(".pdf")}
    assert second == {"site/media/images/logo.svg"} | embedding
    assert embedding, "the PDFs that show the logo are rebuilt"
    assert not {rel for rel in second if rel.endswith(".html")}, "pages link the image, they do not embed it"
    state = json.loads((kit.out / ".kitgen-state.json").read_text(encoding="utf-8"))["files"]
    recorded = {rel for rel, entry in state.items() if "output:site/media/images/logo.svg" in entry["made_from"]}
    assert recorded == embedding


def test_another_partners_file_is_not_what_this_partners_documents_are_made_from(kit):
    kit.write("content/partners/omar-haddad.yaml", SECOND + "note: Thanks for the coffee.\n")
    changed = rewritten(kit)
    assert not {rel for rel in changed if "jane-smith" in rel}
    assert files_of("landing", slugs=("omar-haddad",)) <= changed


def test_the_build_moment_is_recorded(kit, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    changed = rewritten(kit)
    assert files_of("intro_letter") <= changed, "the letter is dated"
    assert rewritten(kit) == set()


def test_a_kind_is_one_row_and_one_template_even_when_it_fans_out(kit):
    """The extension point: a new kind (here a leaflet per patient language) added as one row in the table and one
    template in the theme is planned, rendered once per variant, listed in the manifest and linked from the page."""
    kit.write("themes/default/templates/leaflet.html",
              '{% extends "print_base.html" %}{% block title %}Leaflet{% endblock %}'
              "{% block body %}<h1>Leaflet ({{ variant }}) for {{ partner.practice }}</h1>{% endblock %}")
    row = Kind("leaflet", "leaflet-{variant}.pdf", "pdf", "leaflet.html", max_pages=1, link="Patient leaflet (PDF)",
               label="leaflet", fan_out=lambda kit, partner: ("en", "es"))
    KINDS.add(row)
    try:
        made = rewritten(kit)
    finally:
        KINDS.remove("leaflet")
    leaflets = {f"site/{slug}/leaflet-{lang}.pdf" for slug in ("jane-smith", "omar-haddad") for lang in ("en", "es")}
    assert leaflets <= made
    assert "Leaflet (es) for Lakeside Women's Health" in pdf_text(kit.out / "site/jane-smith/leaflet-es.pdf")
    manifest = json.loads((kit.out / "manifest.json").read_text(encoding="utf-8"))
    jane = next(p for p in manifest["partners"] if p["slug"] == "jane-smith")
    assert jane["files"]["leaflet"] == {"en": "site/jane-smith/leaflet-en.pdf", "es": "site/jane-smith/leaflet-es.pdf"}
    assert 'Patient leaflet (PDF)' in (kit.out / "site/jane-smith/index.html").read_text(encoding="utf-8")


def test_a_practice_wide_templated_kind_renders_and_follows_every_partner_file(kit):
    kit.write("themes/default/templates/directory.html",
              "<ul>{% for p in kit.partners %}<li>{{ p.name }}</li>{% endfor %}</ul>\n")
    KINDS.add(Kind("directory", "directory.html", "html", "directory.html", scope="practice"))
    try:
        assert "site/directory.html" in rewritten(kit)
        assert "Omar Haddad" in (kit.out / "site/directory.html").read_text(encoding="utf-8")
        kit.write("content/partners/omar-haddad.yaml", SECOND.replace("Omar Haddad", "Omar Haddad-Nasser"))
        assert "site/directory.html" in rewritten(kit)
        assert "Omar Haddad-Nasser" in (kit.out / "site/directory.html").read_text(encoding="utf-8")
    finally:
        KINDS.remove("directory")


def test_what_a_derived_value_of_the_kit_reads_is_recorded():
    """A property of the Kit (a value derived from its files) records the files it reads when a document uses it."""
    import dataclasses

    from kitgen import record
    from kitgen.content.model import Kit

    @dataclasses.dataclass(frozen=True)
    class Derived(Kit):
        @property
        def practice_name(self) -> str:
            return self.practice.name

    kit = Derived(Path("."), config=None, practice=type("P", (), {"name": "Harbor"})(), partners=[], talks=[])
    with record.recording() as keys:
        assert record.kit(kit).practice_name == "Harbor"
    assert set(keys) == {"file:content/practice.yaml"}
