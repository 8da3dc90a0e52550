"""The reader sweep: kits built across the combinations real practices have (tests/sweepkits.py: six regions, solo
and group, adults and children, patient languages, translations complete and partial, credentials as each country
writes them), and every rendered piece read as its reader gets it (PDF text with pypdf, pages as parsed HTML, the
intro e-mail, the vCard, QR codes decoded from the rendered page). Each check says the kit's combination, the file
and the text it found, so a failure points at its cause.

The checks are about what a reader meets, not about one fixture: no placeholder text ("None", "{{"), no English of
kitgen's on a Spanish or French piece (and the practice's own English there only with a located warning), every
physician called by the country's title and surname, links a phone can dial, a child practice's patient pieces
speaking to the parent, one voice, letters dated the build day, patient QR codes that never open the physicians'
form, no promise the practice did not make, and `kitgen init` for every region.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import phonenumbers
import pypdf
import pytest
import readback
import tinyhtml5
from babel.dates import format_date
from babel.messages.pofile import read_po
from click.testing import CliRunner
from htmlpage import NS, forwarded
from sweepkits import AS_OF, COMBOS, PHONES, TODAY, Combo, Names, Partner, english_texts, practice, resolve, write_kit
from test_promises import PROMISES, file_texts
from test_voice import YOU_AND_I

from kitgen.check.validate import validate
from kitgen.commands.cli import main
from kitgen.content import regions
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError, Problem

REPO = Path(__file__).resolve().parent.parent
LOCALE = REPO / "themes/default/locale"
KEYS = [c.key for c in COMBOS]
BY_KEY = {c.key: c for c in COMBOS}
PARTNERS = [(c.key, p.slug) for c in COMBOS for p in c.partners]

# What a template or a missing value leaves on a page: never text a reader should meet.
PLACEHOLDER = re.compile(r"\bNone\b|\bTODO\b|\{\{|\}\}|\[\]|\bnull\b|\bundefined\b|\bnan\b|\bNaN\b")
WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W\d_])?")


# --- reading the kit -----------------------------------------------------------------------------------------------

@dataclass
class Built:
    combo: Combo
    root: Path
    profile: dict
    warnings: list[Problem] = field(default_factory=list)
    error: str | None = None
    texts: dict[str, str] = field(default_factory=dict)      # rel -> what its reader reads, whitespace folded
    links: dict[str, list[str]] = field(default_factory=dict)  # rel -> link targets (href, PDF URI, vCard TEL)

    @property
    def out(self) -> Path:
        return self.root / "output"

    def partner_files(self, slug: str) -> dict[str, str]:
        return {rel: t for rel, t in self.texts.items() if f"/{slug}/" in rel}

    def patient_pieces(self, slug: str | None = None) -> dict[str, tuple[str, str]]:
        """rel -> (language, text) of every card sheet and patient leaflet (of one partner)."""
        found = {}
        for rel, text in self.texts.items():
            name = rel.rsplit("/", 1)[-1]
            if rel.endswith(".pdf") and name.startswith(("cards", "patient-leaflet")) and \
                    (slug is None or f"/{slug}/" in rel):
                found[rel] = (language_of(self.combo, name), text)
        return found

    def warned(self, path: str, field_path: str | None = None) -> list[Problem]:
        """Located warnings in `path` (a file of the project), on `field_path` if given."""
        return [w for w in self.warnings if w.level == "warning" and w.path == path and w.line > 0 and
                (field_path is None or w.field == field_path)]


def language_of(combo: Combo, name: str) -> str:
    stem = name.removesuffix(".pdf")
    return next((lang for lang in combo.other_languages if stem.endswith(f"-{lang}")), "en")


def norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("\u00a0", " ").split())


def page_text(path: Path) -> tuple[str, list[str]]:
    """A page as a browser shows it and a screen reader reads it: its text (no script or style) and its
    alternative texts, and its links."""
    root = tinyhtml5.parse(path.read_text(encoding="utf-8"))
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (NS + "script", NS + "style", NS + "template"):
                parent.remove(child)
    said = ["".join(root.itertext())]
    said += [el.get(a) for el in root.iter() for a in ("alt", "aria-label", "title") if el.get(a)]
    return norm(" ".join(said)), [a.get("href") for a in root.iter(NS + "a") if a.get("href")]


def pdf_links(path: Path) -> list[str]:
    found = []
    for page in pypdf.PdfReader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and action.get_object().get("/URI"):
                found.append(str(action.get_object()["/URI"]))
    return found


def read(built: Built) -> None:
    built.texts = {rel: norm(t) for rel, t in file_texts(built.out).items()}
    for path in sorted(built.out.rglob("*")):
        rel = path.relative_to(built.out).as_posix()
        if path.suffix == ".html":
            built.texts[rel], built.links[rel] = page_text(path)
        elif path.suffix == ".pdf":
            built.links[rel] = pdf_links(path)
        elif path.suffix == ".vcf":
            unfolded = re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8"))
            built.links[rel] = re.findall(r"(?:tel|sms):[^\s;,]+(?:;ext=\d+)?", unfolded)
        elif path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            headers = " ".join(f"{k}: {message[k]}" for k in ("To", "Subject") if message[k])
            built.texts[rel] = norm(headers + " " + built.texts[rel])
            built.links[rel] = re.findall(r"(?:tel|sms):\S+", message.get_content())


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> dict[str, Built]:
    """Every kit of the sweep, built once (the build day pinned: KITGEN_TODAY, no SOURCE_DATE_EPOCH)."""
    made = {}
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SOURCE_DATE_EPOCH", raising=False)
        env.setenv("KITGEN_TODAY", TODAY.isoformat())
        for combo in COMBOS:
            project = write_kit(combo, tmp_path_factory.mktemp(f"sweep-{combo.key}") / "kit")
            built = Built(combo, project.root, practice(combo))
            try:
                built.warnings = build(project.root, jobs=2).warnings
            except ContentError as exc:
                built.error = str(exc)
            else:
                read(built)
            made[combo.key] = built
    return made


def kit(kits: dict[str, Built], key: str) -> Built:
    built = kits[key]
    assert built.error is None, f"{built.combo}: the kit does not build:\n{built.error}"
    return built


def report(combo: Combo, what: str, found: list[str]) -> str:
    """The failure message: the combination, what is wrong, and each distinct finding (file: text) once."""
    return f"{combo}: {what}:\n  " + "\n  ".join(dict.fromkeys(found))


def around(text: str, start: int, end: int, width: int = 40) -> str:
    return "…" + text[max(0, start - width):end + width] + "…"


# --- the catalogs: kitgen's English words ----------------------------------------------------------------------------

def _strings(value) -> list[str]:
    return [v for v in (value if isinstance(value, (tuple, list)) else [value]) if v]


def _words(text: str) -> set[str]:
    text = re.sub(r"%\(\w+\)[sd]|\{\{?[^}]*\}?\}|<[^>]+>|https?://\S+", " ", text)
    return {w.lower().replace("’", "'") for w in WORD.findall(text)}


@cache
def catalog(name: str):
    with open(LOCALE / name / "LC_MESSAGES/messages.po", "rb") as f:
        return read_po(f)


@cache
def msgids() -> frozenset[str]:
    return frozenset(s for m in catalog("en_US") if m.id for s in _strings(m.id))


@cache
def english_only(language: str) -> frozenset[str]:
    """Words of kitgen's English (the en_US catalog's msgids) that the `language` catalog's msgstrs never use:
    any of them on a piece in that language is English that leaked."""
    english = set().union(*(_words(s) for s in msgids()))
    translated = set().union(*(_words(s) for m in catalog(language) if m.id for s in _strings(m.string)))
    return frozenset(english - translated)


def strip_names(built: Built, text: str) -> str:
    """The piece without what is printed as written in every language: names, plans, addresses, links, numbers."""
    names = [n for n in Names.of(built.combo, built.profile).texts if n not in msgids()]
    for name in names:
        text = text.replace(name.replace("’", "'"), " ")
    return re.sub(r"\S+@\S+|https?://\S+|\b\S+\.example\S*|[\d+()][\d\s().+-]*\d", " ", text)


# --- the checks ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", KEYS)
def test_no_placeholder_text_on_any_piece(kits, key):
    built = kit(kits, key)
    found = [f"{rel}: {m.group()!r} in {around(text, m.start(), m.end())!r}"
             for rel, text in built.texts.items() for m in PLACEHOLDER.finditer(text)]
    assert not found, report(built.combo, "placeholder text on a piece", found)


@pytest.mark.parametrize("key", [c.key for c in COMBOS if c.other_languages])
def test_no_english_of_kitgens_on_a_spanish_or_french_piece(kits, key):
    """kitgen's English words (in its en_US msgids, not in the piece's catalog) on a piece in another language,
    once the practice's own texts that the build warned about, and names, numbers and links, are taken out."""
    built = kit(kits, key)
    warned = [resolve(built.profile, w.field) for w in built.warned("content/practice.yaml")]
    warned_english = sorted({english_texts(v).get("", "") if isinstance(v, dict) else v
                             for v in warned if isinstance(v, (str, dict))} - {""}, key=len, reverse=True)
    found = []
    for rel, (language, text) in built.patient_pieces().items():
        if language == "en":
            continue
        left = text
        for own in warned_english:
            left = left.replace(own, " ")
        left = strip_names(built, left)
        for m in WORD.finditer(left):
            word = m.group()
            if word.lower().replace("’", "'") in english_only(language) and not word.isupper():
                found.append(f"{rel}: {word!r} in {around(left, m.start(), m.end())!r}")
    assert not found, report(built.combo, "English words of kitgen's on pieces in another language", found)


@pytest.mark.parametrize("key", [c.key for c in COMBOS if c.other_languages])
def test_the_practices_english_on_another_languages_piece_only_with_a_located_warning(kits, key):
    built = kit(kits, key)
    names = set(Names.of(built.combo, built.profile).texts)
    own = {path: text for path, text in english_texts(built.profile).items()
           if (len(WORD.findall(text)) >= 3 or path.startswith("insurance")) and text not in names
           and not path.startswith("contact.") and not text.startswith("http")}
    found = [f"{rel}: {path} {text!r}, with no warning at content/practice.yaml: {path}"
             for rel, (language, piece) in built.patient_pieces().items() if language != "en"
             for path, text in own.items() if text in piece and not built.warned("content/practice.yaml", path)]
    assert not found, report(built.combo, "the practice's English on a piece in another language, unwarned", found)


@pytest.mark.parametrize(("key", "slug"), PARTNERS)
def test_every_physician_is_called_by_title_and_surname_and_others_by_name(kits, key, slug):
    """'Dear Dr Adeyemi,' (Dr. in us and ca) on the letter and the thank-you cards, 'Dr Oluwaseun Adeyemi' on the
    one-pager and the page, or a located warning in the partner's file about the title; NP and PA-C by name."""
    built = kit(kits, key)
    combo = built.combo
    partner = next(p for p in combo.partners if p.slug == slug)
    t = built.partner_files(slug)
    site, desk = f"site/{slug}/", f"desk/{slug}/"
    name, surname = partner.name.replace("’", "'"), partner.surname.replace("’", "'")
    if partner.physician:
        called, full = f"{combo.title} {surname}", f"{combo.title} {name}"
        expected = {desk + "intro-letter.pdf": f"Dear {called},", desk + "thank-you-cards.pdf": f"Dear {called},",
                    site + "one-pager.pdf": f"Prepared for {full}", site + "index.html": full,
                    desk + "intro-email.eml": greeting(partner, called)}
        missing = [f"{rel}: no {want!r}; it reads {excerpt(t.get(rel, ''), want)!r}"
                   for rel, want in expected.items() if want not in t.get(rel, "")]
        titled = [str(w) for w in built.warned(f"content/partners/{slug}.yaml") if "title" in str(w).lower()]
        assert not missing or titled, report(combo, f"{partner.name} ({partner.credentials}) is not called "
                                                    f"{called!r} and no warning in content/partners/{slug}.yaml "
                                                    "says how to set the title", missing)
    else:
        wrong = re.compile(rf"\bDr\.? (?:{re.escape(name)}|{re.escape(surname)})\b")
        found = [f"{rel}: {m.group()!r}" for rel, text in t.items() for m in wrong.finditer(text)]
        if f"Dear {name}," not in t.get(desk + "intro-letter.pdf", ""):
            found.append(f"{desk}intro-letter.pdf: no 'Dear {name},'")
        assert not found, report(combo, f"{partner.name} ({partner.credentials}) is not a doctor", found)


def greeting(partner: Partner, called: str) -> str:
    """The e-mail opens with whom it is addressed to: the office contact when it goes to them, else the physician."""
    return f"Dear {partner.office_contact.split(',')[0].split()[0]}" if partner.office_contact else f"Dear {called},"


def excerpt(text: str, want: str) -> str:
    head = want.split()[0]
    at = text.find(head)
    return text[at:at + len(want) + 30] if at >= 0 else text[:80]


def dialled(link: str) -> str:
    return link.split(":", 1)[1].split(";")[0].split("?")[0]


@pytest.mark.parametrize("key", KEYS)
def test_every_tel_and_sms_link_dials_in_its_region(kits, key):
    """libphonenumber reads every tel: and sms: link as a valid number of the region (a short code as dialled at
    home, a + number only if it can be dialled from abroad), and every text line is an sms: link."""
    built = kit(kits, key)
    region = regions.REGIONS[built.combo.region]
    found = []
    for rel, links in built.links.items():
        for link in links:
            if not link.startswith(("tel:", "sms:")):
                continue
            number = dialled(link)
            try:
                parsed = phonenumbers.parse(number, region.country)
            except phonenumbers.NumberParseException as exc:
                found.append(f"{rel}: {link!r}: {exc}")
                continue
            if number.startswith("+"):
                ok = phonenumbers.is_valid_number_for_region(parsed, region.country) and \
                    phonenumbers.can_be_internationally_dialled(parsed)
            else:
                ok = phonenumbers.is_valid_number_for_region(parsed, region.country) or \
                    phonenumbers.shortnumberinfo.is_valid_short_number_for_region(parsed, region.country)
            if not ok:
                found.append(f"{rel}: {link!r} is not a number a phone in {region.country} can dial")
    for line in region.crisis_lines:
        for rel, links in built.links.items():
            if not rel.endswith("index.html") or rel.startswith(("site/r/", "site/p/")):  # forwarding pages
                continue
            national = {phonenumbers.parse(dialled(a), region.country).national_number: a for a in links
                        if a.startswith(("tel:", "sms:"))}
            # "call or text 988" prints the number once, linked to call; a text-only number or a second one is sms:
            if line.text and line.text != line.call and not any(a.startswith("sms:") and n == _national(line.text, region.country)
                                     for n, a in national.items()):
                found.append(f"{rel}: text {line.text} ({line.name}) is no sms: link; links: "
                             f"{sorted(set(national.values()))}")
            if line.call is None and line.text and any(a.startswith("tel:") and
                                                        n == _national(line.text, region.country)
                                                        for n, a in national.items()):
                found.append(f"{rel}: text-only line {line.text} ({line.name}) is a tel: link")
    assert not found, report(built.combo, "links a phone cannot dial as printed", found)


def _national(number: str, country: str) -> int:
    return phonenumbers.parse(number, country).national_number


PARENT = {"en": re.compile(r"\byour (?:child|children|son|daughter|teen|kid)", re.IGNORECASE),
          "es": re.compile(r"\bsus? (?:hij[oa]s?|niñ[oa]s?|adolescentes?)\b", re.IGNORECASE),
          "fr": re.compile(r"\b(?:votre|vos) (?:enfants?|fils|fille|ado(?:lescent)?e?s?)\b", re.IGNORECASE)}


@pytest.mark.parametrize("key", KEYS)
def test_a_child_practices_patient_pieces_speak_to_the_parent_and_an_adults_do_not(kits, key):
    built = kit(kits, key)
    combo = built.combo
    found = []
    for rel, (language, text) in built.patient_pieces().items():
        said = PARENT[language].findall(text)
        if combo.children and not said:
            found.append(f"{rel}: never addresses the parent ({PARENT[language].pattern}): {text[:160]!r}")
        elif not combo.children and said:
            found.append(f"{rel}: addresses a parent in an adult practice: {said}")
    assert not found, report(combo, "patient pieces address the wrong reader", found)


# A physician's word in each language: a nurse practitioner or a PA is none of these to their patient.
DOCTOR_WORD = {"en": re.compile(r"\b(?:doctor|physician|GP)\b"), "es": re.compile(r"\bm[ée]dic[oa]\b", re.IGNORECASE),
               "fr": re.compile(r"\bm[ée]decin\b|\bg[ée]n[ée]raliste\b", re.IGNORECASE)}


@pytest.mark.parametrize(("key", "slug"), [(k, p.slug) for c in COMBOS for p in c.partners if not p.physician
                                           for k in [c.key]])
def test_a_partner_who_is_no_doctor_is_not_called_one_on_the_patient_pieces(kits, key, slug):
    """An NP's or a PA's patient reads "your health care provider", never "your doctor" or "su médico"."""
    built = kit(kits, key)
    found = [f"{rel}: {DOCTOR_WORD[language].findall(text)}" for rel, (language, text)
             in built.patient_pieces(slug).items() if DOCTOR_WORD[language].search(text)]
    assert not found, report(built.combo, f"{slug} is called a doctor", found)


# What a patient in these regions does not say: a GP partner is "your GP" (a specialist stays "your doctor"), and
# what insurance pays is no US-style "plan".
YOUR_PLAN = re.compile(r"\byour (?:health )?plan\b", re.IGNORECASE)
YOUR_DOCTOR = re.compile(r"\byour (?:child's )?(?:doctor|physician)\b", re.IGNORECASE)


@pytest.mark.parametrize("key", [c.key for c in COMBOS if c.region in ("gb", "ie", "au", "nz")])
def test_patient_pieces_use_the_regions_words(kits, key):
    """"your GP" where patients say so, and the region's words for what insurance pays, not a US plan."""
    built = kit(kits, key)
    gps = {p.slug for p in built.combo.partners if p.specialty == "general-practice"}
    found = [f"{rel}: {m.group()!r} in {around(text, m.start(), m.end())!r}"
             for rel, (language, text) in built.patient_pieces().items() if language == "en"
             for words in (YOUR_PLAN, *([YOUR_DOCTOR] if rel.split("/")[1] in gps else []))
             for m in words.finditer(text)]
    assert not found, report(built.combo, "US wording on a patient piece", found)


# The other voice's pronouns, by the piece's language: kitgen's own (the practice's texts use its voice). French
# "nous" and Spanish "nos" are left out of the plural: a solo practice's "you and I" ("nous y travaillons
# ensemble", "que nous nous parlions") is worded with them.
SINGULAR = {"en": re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b"),
            "es": re.compile(r"\b(?:[Yy]o|[Mm]í|[Mm]is?|[Mm]e|[Cc]onmigo)\b"),
            "fr": re.compile(r"\b(?:[Jj]e|[Jj]['’]|[Mm]oi|[Mm]on|[Mm]a|[Mm]es)\b")}
PLURAL = {"en": re.compile(r"\b(?:[Ww]e|[Oo]urs?|[Uu]s)\b"),
          "es": re.compile(r"\b(?:[Nn]osotr[oa]s|[Nn]uestr[oa]s?)\b"),
          "fr": re.compile(r"\b(?:[Nn]otre|[Nn]os)\b")}
# Where another speaks in the first person: the referrer's attestation on the fax form (en_US and regional msgids).
NOT_THE_PRACTICE = ("I am the patient's GP", "at my practice or, if not, I am their usual medical practitioner")


@pytest.mark.parametrize("key", KEYS)
def test_one_voice_on_every_piece(kits, key):
    """A "we" practice (the default) reads "we" on every piece it hands out, and a `voice: I` practice "I"
    everywhere (letters and cards signed by a person may say "I" in a "we" practice)."""
    built = kit(kits, key)
    combo = built.combo
    found = []
    for rel, text in built.texts.items():
        if rel.endswith((".vcf", ".ics")) or (combo.we and rel.startswith("desk/")):
            continue
        name = rel.rsplit("/", 1)[-1]
        language = language_of(combo, name) if name.endswith(".pdf") else "en"
        for phrase in (*YOU_AND_I, *NOT_THE_PRACTICE):
            text = text.replace(phrase, "")
        text = strip_names(built, text)
        other = (SINGULAR if combo.we else PLURAL)[language]
        found += [f"{rel}: {m.group()!r} in {around(text, m.start(), m.end())!r}" for m in other.finditer(text)]
    assert not found, report(combo, f"kitgen's words in the other voice (the practice says "
                                    f"{'we' if combo.we else 'I'})", found)


@pytest.mark.parametrize("key", KEYS)
def test_letters_and_e_mails_are_dated_the_build_day(kits, key):
    built = kit(kits, key)
    locale = regions.REGIONS[built.combo.region].locale
    day, old = format_date(TODAY, "long", locale=locale), format_date(AS_OF, "long", locale=locale)
    found = []
    for p in built.combo.partners:
        letter = built.texts[f"desk/{p.slug}/intro-letter.pdf"]
        if day not in letter:
            found.append(f"desk/{p.slug}/intro-letter.pdf: not dated {day}" +
                         (f" (it says {old}, availability.as_of)" if old in letter else ""))
        message = email.message_from_bytes((built.out / f"desk/{p.slug}/intro-email.eml").read_bytes(),
                                           policy=email.policy.default)
        dated = email.utils.parsedate_to_datetime(message["Date"]).date()
        if dated != TODAY:
            found.append(f"desk/{p.slug}/intro-email.eml: Date: {message['Date']}, not {TODAY}")
    assert not found, report(built.combo, f"letters not dated the build day (KITGEN_TODAY={TODAY})", found)


def qr_codes(path: Path) -> list[str]:
    return readback.qr_codes(path, dpi=200)


@pytest.mark.parametrize("key", KEYS)
def test_patient_qr_codes_never_open_the_physicians_form(kits, key):
    """Without referral.patient_url a patient piece offers no way onto the physicians' referral form (and the
    build warns, naming the setting); with it, its QR codes open the patient's address."""
    built = kit(kits, key)
    referral = built.profile["referral"]
    found = []
    for rel in built.patient_pieces():
        printed = qr_codes(built.out / rel)
        base = json.loads((built.out / "manifest.json").read_text(encoding="utf-8"))["base_url"]
        found += [f"{rel}: QR code {c!r} is not an address of the kit's own site, so it dies with the form"
                  for c in printed if not c.startswith(base)]
        codes = [forwarded(built.out, c) for c in printed] + built.links.get(rel, [])
        if referral.get("patient_url"):
            found += [f"{rel}: QR code or link {c!r} is not referral.patient_url" for c in codes
                      if c.startswith(referral["form_url"])]
            if not any(c.startswith(referral["patient_url"]) for c in codes):
                found.append(f"{rel}: no QR code opens referral.patient_url ({codes})")
        else:
            found += [f"{rel}: QR code or link {c!r} opens the physicians' form (referral.form_url)" for c in codes
                      if c.startswith(referral["form_url"])]
    if not referral.get("patient_url") and not any("patient_url" in str(w) for w in built.warnings):
        found.append("no warning names referral.patient_url; the build said: "
                     + ("; ".join(str(w) for w in built.warnings) or "nothing"))
    assert not found, report(built.combo, "patient QR codes", found)


@pytest.mark.parametrize("key", KEYS)
def test_no_promise_the_practice_did_not_make(kits, key):
    built = kit(kits, key)
    allowed = {"confirm every referral"} if built.combo.promise else set()
    numbers = [n for line in regions.REGIONS[built.combo.region].crisis_lines for n in (line.call, line.text) if n]
    found = [f"{rel}: {m.group()!r} in {around(text, m.start(), m.end())!r}"
             for rel, text in built.texts.items() for m in PROMISES.finditer(text)
             if m.group().lower() not in allowed and not (m.group().lower() == "free" and
                                                          any(n in around(text, m.start(), m.end(), 12)
                                                              for n in numbers))]
    assert not found, report(built.combo, "promises practice.yaml does not make", found)


@pytest.mark.parametrize("key", [c.key for c in COMBOS if c.card_stock])
def test_the_regions_card_stock_takes_the_kit(tmp_path, key):
    """The kits above print on another stock where the region's own refuses them: on the region's default,
    the same kit must pass `check` too."""
    combo = BY_KEY[key]
    project = write_kit(combo, tmp_path / "kit")
    project.write("kitgen.yaml", "\n".join(line for line in (project.root / "kitgen.yaml").read_text().splitlines()
                                           if not line.startswith("card_stock:")) + "\n")
    try:
        validate(project.root)
    except ContentError as exc:
        pytest.fail(report(combo, f"refused on the region's default card stock "
                                  f"({regions.REGIONS[combo.region].card_stock})", [str(exc)]))


@pytest.mark.parametrize("region", list(regions.REGIONS))
def test_kitgen_init_takes_every_region(tmp_path, region):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "kit"), "--region", region, "--name",
                                       "Harbour Light Therapy", "--phone", PHONES[region][0], "--email",
                                       "referrals@harbourlight.example", "--form-url",
                                       "https://secure.harbourlight.example/refer", "--site-url",
                                       "https://refer.example.org/"])
    assert result.exit_code == 0, f"kitgen init --region {region}: exit {result.exit_code}: {result.output}"
    assert re.search(rf"^region: {region}\b", (tmp_path / "kit/kitgen.yaml").read_text(), re.MULTILINE), \
        f"kitgen init --region {region}: kitgen.yaml does not say region: {region}"
