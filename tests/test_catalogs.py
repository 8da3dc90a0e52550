"""kitgen's own wording goes through gettext: the shipped catalogs are complete and checked, and no word kitgen
writes on a page, a PDF, the intro e-mail or the contact card bypasses them (a catalog that replaces every message
with a marker leaves no English of kitgen's in the built kit)."""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po
from conftest import make_project
from htmlpage import Page, text

from kitgen.content import phones, regions
from kitgen.content.load import load_kit
from kitgen.pipeline.pipeline import build
from kitgen.project import build_day
from kitgen.render.filters import longdate, plain_url

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "themes/default/locale"
SHIPPED = ["en_US", "en_CA", "en_GB", "en_AU", "en_NZ", "es", "fr"]
OVERLAYS = {"fr_CA": "fr"}  # scripts/catalogs.py's: only the messages whose wording differs from the base's
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def template_ids() -> set:
    return {m.id for m in read(LOCALE / "messages.pot") if m.id}


def test_the_message_template_is_what_the_templates_and_code_say_now():
    run = subprocess.run([sys.executable, str(REPO / "scripts/catalogs.py"), "--check"], capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr
    assert len(template_ids()) > 150


def checked(locale: str, m) -> tuple[tuple, tuple]:
    """Asserts one catalog entry is checked (not fuzzy), translated, and has its source's placeholders; gives its
    (strings, ids), plural forms included."""
    assert not m.fuzzy, f"{locale}: {m.id!r} is marked fuzzy (not checked yet)"
    strings = m.string if isinstance(m.string, tuple) else (m.string,)
    ids = m.id if isinstance(m.id, tuple) else (m.id,)
    assert all(strings), f"{locale}: {m.id!r} is not translated"
    assert all(sorted(PLACEHOLDER.findall(s)) == sorted(PLACEHOLDER.findall(ids[0])) for s in strings), m.id
    return strings, ids


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_message_in_a_shipped_catalog_is_translated_and_checked(locale):
    catalog = read(LOCALE / locale / "LC_MESSAGES/messages.po")
    messages = [m for m in catalog if m.id]
    assert {m.id for m in messages} == template_ids(), "run scripts/catalogs.py"
    for m in messages:
        strings, ids = checked(locale, m)
        if locale == "en_US":
            assert strings == ids, "the source language translates every message as itself"


def test_the_shipped_catalogs_are_the_complete_ones_and_the_overlays():
    shipped = {p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/messages.po")}
    assert shipped == {*SHIPPED, *OVERLAYS}
    script = subprocess.run([sys.executable, "-c", "import catalogs; print(catalogs.OVERLAYS)"], cwd=REPO / "scripts",
                            capture_output=True, text=True, check=True)
    assert script.stdout.strip() == str(OVERLAYS)


@pytest.mark.parametrize("locale", list(OVERLAYS))
def test_an_overlay_holds_only_checked_messages_that_differ_from_its_base(locale):
    """A message an overlay lacks falls through to its base at run time, so it may hold few; each it holds must
    still be one of the template's (not dropped wording), checked, with the source's placeholders, and differ."""
    base = {m.id: m.string for m in read(LOCALE / OVERLAYS[locale] / "LC_MESSAGES/messages.po") if m.id}
    messages = [m for m in read(LOCALE / locale / "LC_MESSAGES/messages.po") if m.id]
    assert messages and {m.id for m in messages} <= template_ids(), "run scripts/catalogs.py"
    for m in messages:
        checked(locale, m)
        assert m.string != base[m.id], f"{locale}: {m.id!r} is worded as in {OVERLAYS[locale]}: leave it out"


def test_canadian_french_falls_through_to_french_for_what_it_does_not_hold(tmp_path):
    """A French piece in a Canadian kit reads fr_CA, then fr: its own wording where it has one; fr's for the rest,
    and for a message a project's fr_CA marks fuzzy or leaves empty (never the English source)."""
    from kitgen.project import builtin_dir
    from kitgen.render import i18n
    from kitgen.render.themes import BUILTIN

    assert i18n.candidates("fr_CA", regions.get("ca")) == ["fr_CA", "fr"]
    builtin = builtin_dir("themes", BUILTIN)
    chain = i18n.translations([builtin], "fr_CA", regions.get("ca"))
    assert chain.gettext("text %(text)s") == "textez le %(text)s"
    assert chain.gettext("Patient name") == "Nom du patient"  # not in fr_CA: from fr
    theme = tmp_path / "themes/default"
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (theme / "locale/fr_CA/LC_MESSAGES").mkdir(parents=True)
    (theme / "locale/fr_CA/LC_MESSAGES/messages.po").write_text(
        header + '#, fuzzy\nmsgid "Patient phone"\nmsgstr "Cellulaire du patient"\n\n'
                 'msgid "Patient address"\nmsgstr ""\n', encoding="utf-8")
    chain = i18n.translations([theme, builtin], "fr_CA", regions.get("ca"))
    assert chain.gettext("Patient phone") == "Téléphone du patient"
    assert chain.gettext("Patient address") == "Adresse du patient"
    assert chain.gettext("text %(text)s") == "textez le %(text)s"


US_ONLY_SPELLING = re.compile(r"\b(authoriz\w*|pediatric\w*|behavior\w*|organiz\w*|recogniz\w*|color\w*|waitlist)\b",
                              re.IGNORECASE)


@pytest.mark.parametrize("locale", ["en_GB", "en_AU", "en_NZ"])
def test_british_spelling_catalogs_have_no_american_spelling(locale):
    catalog = read(LOCALE / locale / "LC_MESSAGES/messages.po")
    american = [m.string for m in catalog if m.id and US_ONLY_SPELLING.search(str(m.string))]
    assert american == []
    strings = {m.id: m.string for m in catalog if m.id}
    assert strings["Sincerely,"] == "Yours sincerely,"
    assert strings["Insurer's authorization code"] == "Insurer's authorisation code"


# --- no wording bypasses the catalogs ----------------------------------------------------------------------------

MARK = "¤"


def marker_catalog() -> str:
    """Every message of the template replaced by the marker and its placeholders only: what survives a build in
    English is kitgen's wording that no catalog can reach."""
    entries = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
               '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n']
    for m in read(LOCALE / "messages.pot"):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        marked = MARK + " " + " ".join(f"%({name})s" for name in PLACEHOLDER.findall(ids[0]))
        quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
        if len(ids) == 2:
            entries.append(f"msgid {quote(ids[0])}\nmsgid_plural {quote(ids[1])}\n"
                           f"msgstr[0] {quote(marked)}\nmsgstr[1] {quote(marked)}\n")
        else:
            entries.append(f"msgid {quote(ids[0])}\nmsgstr {quote(marked)}\n")
    return "\n".join(entries)


def pdf_words(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    labels = " ".join(str(f.get("/TU", "")) for f in (reader.get_fields() or {}).values())
    return " ".join(p.extract_text() or "" for p in reader.pages) + " " + labels + " " + str(reader.metadata.title)


def page_words(path: Path) -> str:
    page = Page(path)
    attributes = [el.get(a) for el in page.root.iter() for a in ("alt", "title", "aria-label") if el.get(a)]
    return text(page.root) + " " + " ".join(attributes)


def content_phrases(root: Path) -> list[str]:
    """Everything the practice wrote (and what kitgen derives from it, or takes from the region table, Babel's
    locale data and phonenumbers), longest first, to be blanked out of the built text."""
    kit, _ = load_kit(root)
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))
        elif value is not None and not isinstance(value, bool):
            found.append(str(value))

    walk(kit.practice)
    for partner in kit.partners:
        walk(partner)
        found += [partner.display_name, partner.salutation, kit.referral_code(partner), kit.referral_url(partner),
                  kit.page_url(partner)]
    for talk in kit.talks:
        walk([talk.title, talk.audience, talk.objectives, talk.duration_minutes])
        found += re.sub(r"<[^>]+>", "\n", talk.body_html).splitlines()
    contact, region = kit.practice.contact, kit.config.regional
    for number in (contact.phone, contact.fax):
        found += [phones.display(number, region.code), phones.international(number, region.code)]
    found += [plain_url(contact.website or ""), longdate(kit.practice.availability.as_of, region.locale),
              longdate(build_day(), region.locale)]  # the letters' date: Babel's month names
    # kitgen's own, but not catalog wording: service names and numbers (regions.py), the title ("Dr."),
    # Babel's list words ("or", "and")
    for line in region.crisis_lines:
        found += [line.name, line.call or "", line.text or ""]
    found += [*region.emergency, region.title]
    return sorted({p.strip() for p in found if p and p.strip()}, key=len, reverse=True)


def leftover_words(body: str, phrases: list[str]) -> set[str]:
    """Words left once the content is blanked out (in any case: the intro lowercases a tagline, the handout's
    kicker is upper case), except pieces of a web address a PDF line broke apart."""
    body = " ".join(body.replace("\u00a0", " ").split())
    urls = re.findall(r"https?://\S+|\S+@\S+", body)
    for phrase in phrases:
        body = re.sub(re.escape(" ".join(phrase.split())), " ", body, flags=re.IGNORECASE)
    words = set(re.findall(r"[A-Za-z][A-Za-z'’-]+", body)) - {"or", "and"}
    return {w for w in words if not any(w.lower() in url.lower() for url in urls + phrases if "/" in url)}


@pytest.mark.parametrize("region", list(regions.REGIONS))
def test_no_wording_of_kitgen_bypasses_the_catalogs(tmp_path, region):
    """Every region, so each fax form's own fields are rendered too. The project's theme catalog comes before the
    built-in one: the marker catalog stands in for the region's."""
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", (project.root / "kitgen.yaml").read_text(encoding="utf-8") + f"region: {region}\n")
    project.write(f"themes/default/locale/{regions.get(region).catalog}/LC_MESSAGES/messages.po", marker_catalog())
    build(project.root, jobs=1)
    out = project.out
    texts = {p.relative_to(out).as_posix(): pdf_words(p) for p in out.rglob("*.pdf")}
    texts |= {p.relative_to(out).as_posix(): page_words(p) for p in out.rglob("*.html")}
    msg = email.message_from_bytes(next(out.rglob("*.eml")).read_bytes(), policy=email.policy.default)
    texts["intro-email.eml"] = str(msg["Subject"]) + " " + msg.get_content()
    card = (out / "site/referrals.vcf").read_bytes().decode("utf-8").replace("\r\n ", "")
    texts["referrals.vcf"] = next(line for line in card.splitlines() if line.startswith("NOTE:"))[5:]
    assert len(texts) == 13
    phrases = content_phrases(project.root)
    found = {name: leftover_words(body, phrases) for name, body in texts.items()}
    assert {name: sorted(words) for name, words in found.items() if words} == {}, "\n".join(f"{n}: {sorted(w)}" for n, w in found.items() if w)
    assert all(MARK in body for body in texts.values()), "each file has kitgen's wording, all of it marked"


def test_a_region_picks_its_catalog(tmp_path):
    """The same kit in gb: British spelling and sign-off from en_GB; in ie, en_IE falls back to en_GB."""
    for region in ("gb", "ie"):
        project = make_project(tmp_path / region)
        config = (project.root / "kitgen.yaml").read_text(encoding="utf-8")
        project.write("kitgen.yaml", config + f"region: {region}\n")
        text = (project.root / "content/practice.yaml").read_text(encoding="utf-8")
        project.write("content/practice.yaml", text.replace("Call or text 988, or go", "Go"))
        build(project.root, jobs=1)
        letter = " ".join(pdf_words(project.out / "desk/jane-smith/intro-letter.pdf").split())
        assert "Yours sincerely," in letter, region
        assert regions.get(region).title + " Smith," in letter


def test_editing_a_catalog_rebuilds_what_it_words(tmp_path):
    """A project theme's catalog is part of every document's fingerprint: a changed word is not left stale."""
    project = make_project(tmp_path / "kit")
    build(project.root, jobs=1)
    cards = project.out / "site/jane-smith/cards.pdf"
    assert "For you or your child: your doctor suggested we talk." in " ".join(pdf_words(cards).split())
    project.write("themes/default/locale/en_US/LC_MESSAGES/messages.po",
                  'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "For you or your child: your doctor suggested we talk."\nmsgstr "Your doctor sent you."\n')
    build(project.root, jobs=1)
    assert "Your doctor sent you." in " ".join(pdf_words(cards).split())
    msg = email.message_from_bytes((project.out / "desk/jane-smith/intro-email.eml").read_bytes(),
                                   policy=email.policy.default)
    assert msg["Subject"].startswith("Referral collaboration"), "the rest from the built-in catalog"
