"""Languages: the kit's (`language`, what physicians and office staff read) and the patients' (`patient_languages`,
each patient piece is made once per language). Tags are BCP 47 (`es`, `fr-CA`, `zh-Hant`), read with Babel's
locale parser; a language's name (`Spanish`, `español`) is a located error with the tag to write instead.

Practice text fields that patient pieces show may be written per language (`tagline: {en: ..., es: ...}`): such a
value is a `Words`, a str in the kit's language that keeps its other versions, so every document that reads the
field as before keeps reading the kit's language, and a patient piece in another language reads `localized()`.

Babel is imported inside the functions that read a locale: `kitgen prospect` loads this module's rules, never Babel.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from functools import lru_cache
from typing import Any

from kitgen.content.regions import N_

# kitgen's words about a language, each from that language's own catalog (render/html.py)
SPOKEN_HERE = N_("%(language)s spoken here.")  # "Se habla español." on physicians' pieces
LEAFLET_IN = N_("Patient leaflet in %(language)s (PDF)")  # the landing page's link to each language's leaflet

# Fields that may be written per language: the prose fields of practice.yaml (not names, numbers or addresses).
TRANSLATABLE = frozenset({
    "tagline", "insurance.*", "availability.hours", "services.*.name", "services.*.summary",
    "services.*.for_patients", "not_a_fit.*.who", "not_a_fit.*.instead", "clinicians.*.focus",
    "referral.steps.*", "referral.what_to_send.*", "referral.commitments.*", "crisis.lines.*.name",
})


class Words(str):
    """A practice text in the kit's language (the str itself) with its versions in other languages, keyed by
    normalized tag; `where` is (file, line, dotted field) for messages."""

    versions: dict[str, str]
    where: tuple[str, int, str]

    def __new__(cls, text: str, versions: dict[str, str], where: tuple[str, int, str]) -> Words:
        made = super().__new__(cls, text)
        made.versions, made.where = versions, where
        return made

    def __reduce__(self) -> Any:  # pickled into the rendering processes with its versions
        return (Words, (str(self), self.versions, self.where))

    def version(self, tag: str) -> str | None:
        """The text in `tag` ('es', 'es-US'): exact, else the same language ('es' for 'es-US' and the reverse)."""
        if tag in self.versions:
            return self.versions[tag]
        if "*" in self.versions:  # the same in every language: an insurance plan's name
            return self.versions["*"]
        base = primary(tag)
        return next((text for key, text in self.versions.items() if primary(key) == base), None)


def primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def same_language(a: str, b: str) -> bool:
    return primary(a) == primary(b)


@lru_cache(maxsize=256)
def _parse(tag: str) -> Any:
    from babel import Locale
    return Locale.parse(tag.strip().replace("-", "_"))


def normalize(tag: str) -> str:
    """The tag as BCP 47 writes it: 'es_us' -> 'es-US', 'zh-hant' -> 'zh-Hant'."""
    locale = _parse(tag)
    return "-".join(p for p in (locale.language, locale.script, locale.territory, locale.variant) if p)


def problem(value: str) -> str | None:
    """Why `value` is not a language tag kitgen can use (a sentence for a located message), or None."""
    from babel.core import UnknownLocaleError
    try:
        _parse(value)
        return None
    except (UnknownLocaleError, ValueError, TypeError):
        pass
    guess = suggestion(value)
    hint = f"did you mean '{guess}' ({english_name(guess)})? " if guess else ""
    return f"{value!r} is not a language tag; {hint}{'Use' if hint else 'use'} a BCP 47 tag such as en, es, fr-CA " \
        "or zh-Hant"


def suggestion(value: str) -> str | None:
    """The tag of a language written by name: 'spanish' -> 'es', 'Español' -> 'es', 'francais' -> 'fr'."""
    wanted = _fold(value)
    if wanted in _english_names():  # the usual case ('Spanish'), without loading fifteen locales' data
        return _english_names()[wanted]
    names = _names()
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.8)
    return names[close[0]] if close else None


@lru_cache(maxsize=1)
def _english_names() -> dict[str, str]:
    """Languages' English names, folded (lower case, no accents), to their codes."""
    from babel import Locale
    names: dict[str, str] = {}
    for code, name in Locale("en").languages.items():
        if "_" not in code:
            names.setdefault(_fold(name), code)
    return names


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """English names, and a few languages' own names (español, français), folded, to their codes."""
    from babel import Locale
    names = dict(_english_names())
    for code in ("es", "fr", "de", "pt", "it", "vi", "zh", "ko", "ru", "ar", "pl", "ja", "hi", "fa", "so"):
        names.setdefault(_fold(Locale(code).languages.get(code, code)), code)
    return names


# Names people write for a language that Babel files under another name (Babel: "Persian", "Chinese", ...).
_ALIASES = {"farsi": "fa", "mandarin": "zh", "mandarin chinese": "zh", "asl": "ase", "haitian": "ht",
            "kreyol": "ht", "creole haitian": "ht"}


@lru_cache(maxsize=1)
def _own_names() -> dict[str, str]:
    """Every language Babel has a locale for, named in itself and folded ('tieng viet' -> 'vi', '中文' -> 'zh'):
    read only when a clinician's language is neither a tag nor an English name (it loads 300 locales, 0.6 s)."""
    from babel import Locale, localedata
    names: dict[str, str] = {}
    for code in localedata.locale_identifiers():
        if "_" in code:
            continue
        try:
            name = Locale.parse(code).languages.get(code)
        except (ValueError, TypeError):
            continue
        if name:
            names.setdefault(_fold(name) or name.lower(), code)
    return names


def exact_code(name: str) -> str | None:
    """The language of a clinician's `languages` entry written exactly: a BCP 47 tag ('es', 'zh-Hant'), a name in
    English ('Spanish', 'Haitian Creole'), or in the language itself ('Español', 'Tiếng Việt'); else None (a
    typo such as 'Spansh' is not guessed: `name_problem` suggests)."""
    from babel.core import UnknownLocaleError
    if len(name.strip()) > 2 and _fold(name) in _english_names():  # 'Twi' is 'tw', not a tag Babel reads as Akan;
        return _english_names()[_fold(name)]                         # two letters stay a tag ('ga' is Irish)
    if len(name.strip()) <= 3 or "-" in name or "_" in name:
        try:
            language: str = _parse(name).language  # Babel ships no types
            return language
        except (UnknownLocaleError, ValueError, TypeError):
            pass
    wanted = _fold(name) or name.strip().lower()
    for table in (_english_names, lambda: _ALIASES, _names, _own_names):
        if wanted in table():
            return table()[wanted]
    return None


def name_problem(name: str) -> str | None:
    """Why a clinician's language is none kitgen knows, with the closest it knows, or None."""
    if exact_code(name) is not None:
        return None
    guess = suggestion(name)
    hint = f"did you mean {english_name(guess)} ({guess})? " if guess else ""
    return f"{name!r} is no language kitgen knows; {hint}{'Write' if hint else 'write'} its English name " \
        "(Vietnamese), its own name (Tiếng Việt) or its tag (vi)"


def named(practice: Any, config: Any) -> Any:
    """The practice with each clinician's languages named in the kit's language ('Español' and 'es' both become
    'Spanish' in an English kit, 'español' in a Spanish one), each once, and their tags kept for the pieces in
    other languages (`localized`). Entries kitgen does not know are left out (`check` said so, as an error)."""
    locale = babel_locale(config.language, config.regional.country)
    clinicians = []
    for clinician in practice.clinicians:
        tags = tuple(dict.fromkeys(t for t in (exact_code(v) for v in clinician.languages) if t))
        clinicians.append(dataclasses.replace(clinician, languages=[name_in(t, locale) for t in tags],
                                              language_tags=tags))
    return dataclasses.replace(practice, clinicians=clinicians)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text.strip().lower()).encode("ascii", "ignore").decode()


def english_name(tag: str) -> str:
    return name_in(tag, "en")


def name_in(tag: str, locale: str) -> str:
    """The language of `tag` named in `locale`'s language: ('es', 'es_US') -> 'español', ('es', 'en') ->
    'Spanish'. Babel's name of the bare language: a Spanish piece says 'español', not 'español (Estados Unidos)'."""
    from babel import Locale
    from babel.core import UnknownLocaleError
    names = _parse(locale).languages
    written = primary(tag)
    if "-" not in tag.replace("_", "-") and names.get(written):  # as written: 'tw' is Twi, though Babel's
        return str(names[written])                                # locale for it is Akan's ('ak')
    try:
        language = _parse(tag).language
    except (UnknownLocaleError, ValueError):  # a language Babel names but has no locale for: 'tlh' (Klingon)
        language = written
    return str(names.get(language) or Locale("en").languages.get(language) or tag)


def own_name(tag: str) -> str:
    """The language named in itself, as its speakers write it at the start of a line: 'Español', 'Français'."""
    name = name_in(tag, tag)
    return name[:1].upper() + name[1:]


def code_of(name: str) -> str | None:
    """The language tag of a clinician's language as written in practice.yaml ('Spanish', 'es'), a near miss
    included ('Spansh'), or None."""
    return exact_code(name) or suggestion(name)


def babel_locale(tag: str, country: str) -> str:
    """The Babel locale a document in `tag` uses in the region's `country` (dates, lists, its catalog):
    ('es', 'US') -> 'es_US'; ('fr', 'US') -> 'fr' (Babel has no fr_US); ('fr-CA', 'US') -> 'fr_CA'."""
    from babel import localedata
    locale = _parse(tag)
    if locale.territory:
        return str(locale)
    with_country = "_".join(p for p in (locale.language, locale.script, country) if p)
    return with_country if localedata.exists(with_country) else str(locale)


def kit_locale(config: Any) -> str | None:
    """The Babel locale of the kit's own pieces when its language is not the region's catalog's (a practice
    writing in Spanish: es_US), else None: the region's locale, as always."""
    if same_language(config.language, config.regional.catalog):
        return None
    return babel_locale(config.language, config.regional.country)


def file_part(tag: str) -> str:
    """The tag in file names: 'es', 'zh-hant'."""
    return normalize(tag).lower()


# --- the practice as a piece in another language reads it ----------------------------------------------------

# Required texts an item is kept without in another language, as patient pieces do not show them: a clinician stays
# on the leaflet without their focus, a service without its summary (physicians' pieces are in the kit's language).
KEPT_WITHOUT = {("Clinician", "focus"), ("Service", "summary")}


def localized(obj: Any, tag: str) -> Any:
    """`obj` (the practice, or any part of it) with every `Words` replaced by its version in `tag` (None where it
    has none: optional fields print nothing, list items are left out), and clinicians' languages named in `tag`.
    An item whose required text has no version is left out whole (a service, a not_a_fit entry, a crisis line), as
    `missing()` warns, so no piece prints "None"; a service shown by its for_patients text is kept by it."""
    if isinstance(obj, Words):
        return obj.version(tag)
    if isinstance(obj, list):
        items = [localized(item, tag) for item in obj]
        return [item for item in items if item is not None]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            if not f.init:
                continue
            value = getattr(obj, f.name)
            if f.name == "languages" and isinstance(value, list):
                codes = getattr(obj, "language_tags", ()) or dict.fromkeys(code_of(v) for v in value)
                changed: Any = [name_in(code, tag) for code in codes if code]
            else:
                changed = localized(value, tag)
            if changed is not value:
                changes[f.name] = changed
        kind = type(obj).__name__
        if kind == "Service" and changes.get("name", "") is None and getattr(obj, "for_patients", None) is not None:
            if changes.get("for_patients", "") is None:
                return None
            changes["name"] = changes.get("for_patients", obj.for_patients)  # type: ignore[attr-defined]
        required = [f.name for f in dataclasses.fields(obj) if f.init and f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING and (kind, f.name) not in KEPT_WITHOUT]
        if any(name in changes and changes[name] is None for name in required):
            return None
        return dataclasses.replace(obj, **changes) if changes else obj
    return obj


def missing(practice: Any, doc: Any, tag: str) -> list[tuple[str, int, str, str]]:
    """Each practice text a patient piece (business cards, patient leaflet) shows that has no version in `tag`:
    (file, line, field, message). Those texts are a service's for_patients (else its name), the insurance plans,
    the hours and the practice's own crisis lines' names; each missing one is one warning, and that text is left
    out of that language's pieces."""
    found: list[tuple[Any, str]] = []
    named = set()  # services whose for_patients is missing but whose name is not: they show the name
    for i, service in enumerate(practice.services):
        shown = service.for_patients if service.for_patients is not None else service.name
        field = f"services.{i}.{'for_patients' if service.for_patients is not None else 'name'}"
        found.append((shown, field))
        if service.for_patients is not None and _has(service.name, tag):
            named.add(field)
    found += [(plan, f"insurance.{i}") for i, plan in enumerate(practice.insurance)]
    if practice.availability.hours is not None:
        found.append((practice.availability.hours, "availability.hours"))
    found += [(line.name, f"crisis.lines.{i}.name") for i, line in enumerate(practice.crisis.lines)]
    out = []
    for value, field in found:
        if _has(value, tag):
            continue
        if isinstance(value, Words):
            path, line, dotted = value.where
        else:
            path, line, dotted = doc.path, doc.line(tuple(int(p) if p.isdigit() else p for p in field.split("."))), \
                field
        instead = "show the service's name instead" if field in named else "leave it out"
        out.append((path, line, _bracketed(dotted),
                    f"has no {english_name(tag)} version ({tag}), so the {english_name(tag)} patient pieces "
                    f"{instead}; write it as {{{primary(tag)}: ..., ...}} beside the others"))
    return out


def _has(value: Any, tag: str) -> bool:
    return isinstance(value, Words) and value.version(tag) is not None


def _bracketed(dotted: str) -> str:
    """'services.0.for_patients' as messages write a field: 'services[0].for_patients'."""
    out = ""
    for part in dotted.split("."):
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out


def check(config: Any, practice: Any, doc: Any, problems: Any) -> None:
    """Warnings for patient pieces in another language than the kit's: each practice text they show without a
    version in that language (once, not once per piece); an error for each clinician language kitgen does not
    know, since every piece names it in its own language."""
    others = [t for t in config.patient_tags if config.other_language(t)]
    for tag in others:
        for path, line, field, message in missing(practice, doc, tag):
            problems.warn(path, line, field, message)
    for i, clinician in enumerate(practice.clinicians):
        for j, name in enumerate(clinician.languages):
            unknown = name_problem(name)
            if unknown:
                problems.error(doc.path, doc.line(("clinicians", i, "languages", j)),
                               f"clinicians[{i}].languages[{j}]", unknown)
