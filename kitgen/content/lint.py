"""Lint: content that is valid but risky. Patient details invited onto a service or page not made for them,
availability too old (or too new) to promise. Warnings, except a future as_of; `--strict` makes all errors.
(Placeholders left to fill in are errors of the schema: text.placeholder_problem.)
"""

from __future__ import annotations

import datetime
import os
import re
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kitgen.content import regionlint, urls
from kitgen.content.text import PLACEHOLDER  # noqa: F401  what `kitgen new partner` writes (scaffold.py)
from kitgen.problems import Problems
from kitgen.project import today

if TYPE_CHECKING:

    from kitgen.content.config import Config
    from kitgen.content.model import Practice
    from kitgen.content.yamlload import Document

STALE_DAYS = 60

# General-purpose form builders. Several sell HIPAA plans with a BAA (Jotform, Formstack, Cognito, Google
# Workspace, Microsoft 365...), so this is a prompt to check the plan, not a verdict on the service.
FORM_SERVICES = {
    "docs.google.com": "Google Forms", "forms.gle": "Google Forms", "typeform.com": "Typeform",
    "surveymonkey.com": "SurveyMonkey", "jotform.com": "Jotform", "forms.office.com": "Microsoft Forms",
    "forms.microsoft.com": "Microsoft Forms", "wufoo.com": "Wufoo", "formstack.com": "Formstack",
    "tally.so": "Tally", "cognitoforms.com": "Cognito Forms", "airtable.com": "Airtable",
}

def check(root: Path, config: Config | None, practice: Practice | None, practice_doc: Document | None,
          problems: Problems, when: datetime.date | None = None, partner_docs: Iterable[Document] = (),
          config_doc: Document | None = None) -> None:
    """Add every lint finding for what loaded; parts that failed to load are already reported, so skipped."""
    if practice is not None and practice_doc is not None:
        form_service(practice, practice_doc, problems)
        fees(practice, practice_doc, problems)
        staleness(practice, practice_doc, problems, when)
        if config is not None:
            regionlint.numbers(config, practice, practice_doc, problems)
            voice(config, practice, practice_doc, problems)
        sees_children(practice, practice_doc, problems)
    lookalike_hosts(config, config_doc, practice, practice_doc, problems)
    if config is not None and config_doc is not None:
        regionlint.language(config, config_doc, problems)
    # the project theme's own files are linted in the check stage (check/themelint.py), which knows themes
    # placeholders ("TODO …") are errors of the schema itself (text.placeholder_problem), in every file


def lookalike_hosts(config: Config | None, config_doc: Document | None, practice: Practice | None,
                    practice_doc: Document | None, problems: Problems) -> None:
    """A host that mixes scripts (Cyrillic 'а' among Latin letters) in an address a patient or physician follows:
    the QR code, the button, the printed website would lead to a lookalike of the site meant."""
    found: list[tuple[Document, tuple[str, ...], str | None]] = []
    if config is not None and config_doc is not None:
        found.append((config_doc, ("base_url",), config.base_url))
    if practice is not None and practice_doc is not None:
        found += [(practice_doc, ("contact", "website"), practice.contact.website),
                  (practice_doc, ("referral", "form_url"), practice.referral.form_url),
                  (practice_doc, ("referral", "patient_url"), practice.referral.patient_url)]
    for doc, key, url in found:
        mixed = urls.lookalike_host(url) if url else None
        if mixed:
            problems.warn(doc.path, doc.line(key), ".".join(key), f"{mixed}, so it can pass for another site's "
                          "address (a homograph); write the host in one alphabet, as your provider gives it")


def form_service(practice: Practice, doc: Document, problems: Problems) -> None:
    """The referral form and the patients' address (referral.patient_url) both take a patient's details."""
    referral = practice.referral
    for field, url in (("form_url", referral.form_url), ("patient_url", referral.patient_url)):
        host = (urllib.parse.urlsplit(url or "").hostname or "").lower()
        service = next((name for domain, name in FORM_SERVICES.items()
                        if host == domain or host.endswith("." + domain)), None)
        if service and not referral.form_baa_signed:
            problems.warn(doc.path, doc.line(("referral", field)), f"referral.{field}",
                          f"{host} ({service}) is a general-purpose form service; make sure your plan is "
                          "HIPAA-compliant with a signed BAA, then set referral.form_baa_signed: true")


# The practice's own texts that pieces print beside kitgen's words, which follow `voice`.
VOICED = [("tagline",), ("availability", "hours"), ("services", "*", "name"), ("services", "*", "summary"),
          ("services", "*", "for_patients"), ("not_a_fit", "*", "who"), ("not_a_fit", "*", "instead"),
          ("referral", "steps", "*"), ("referral", "what_to_send", "*"), ("referral", "commitments", "*"),
          ("clinicians", "*", "focus")]
# Words of the other voice: "US" (the country) and "ME" are no pronouns; "suggested we talk" is "you and I".
OTHER_VOICE = {"we": re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b"),
               "I": re.compile(r"\b(?:[Ww]e|[Oo]urs?|[Uu]s|[Oo]urselves)\b")}
YOU_AND_I = re.compile(r"\b(?:suggested|could|shall|should|can|may) we\b|\blet's\b", re.IGNORECASE)


def _values(obj: object, path: tuple[str, ...],
            key: tuple[str | int, ...] = ()) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """(key, text) of each value at `path` ('*' is every item of a list)."""
    if not path:
        if isinstance(obj, str):
            yield key, obj
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for i, item in enumerate(obj if isinstance(obj, list) else []):
            yield from _values(item, rest, key + (i,))
    elif obj is not None and hasattr(obj, head):
        yield from _values(getattr(obj, head), rest, key + (head,))


def voice(config: Config, practice: Practice, doc: Document, problems: Problems) -> None:
    """Warn where the practice's own English texts speak in the other voice than kitgen's words (`voice`): "Call
    us" printed beside "Insurance I accept" reads as two practices."""
    if not config.language.lower().startswith("en"):
        return
    other = OTHER_VOICE[practice.voice]
    mine, said, fix = (('"we"', '"I"', "set `voice: I` in practice.yaml") if practice.voice == "we"
                       else ('"I"', '"we"', "remove `voice: I` from practice.yaml"))
    for path in VOICED:
        for key, text in _values(practice, path):
            found = other.search(YOU_AND_I.sub("", text))
            if found:
                problems.warn(doc.path, doc.line(key), ".".join(str(k) for k in key),
                              f"says {found.group(0)!r}, but kitgen's words on every piece speak for the practice as "
                              f"{mine} (voice: {practice.voice}); {fix} "
                              f"so they say {said} too, or reword this text")


def sees_children(practice: Practice, doc: Document, problems: Problems) -> None:
    """`sees_children` is the old name of `patients` (whom the patient pieces address): it still works."""
    if practice.sees_children is not None and practice.patients is None:
        problems.warn(doc.path, doc.line(("sees_children",)), "sees_children",
                      f"is replaced by `patients:` (adults, children or families), which also sets whom the card "
                      f"backs and the patient leaflet address; write `patients: {practice.audience}` instead")


# Insurance entries that are ways to pay, not plans (English, Spanish, French spellings): practice.yaml `fees`
SELF_PAY = re.compile(r"\bself[\s-]*(?:pay|paid|paying|payment|fund(?:ed|ing)?)\b|\b(?:private|cash)[\s-]*pay|"
                      r"\bout[\s-]*of[\s-]*pocket\b|\bprivate(?:ly)?[\s-]*fund|\bpago\s+(?:propio|privado|particular|"
                      r"directo|por\s+cuenta\s+propia|en\s+efectivo)|\bpaiement\s+(?:direct|priv)", re.I)
SLIDING = re.compile(r"\bsliding[\s-]*(?:scale|fee)|\bincome[\s-]*based\s+fee|\breduced\s+fee|"
                     r"\bescala\s+(?:m[oó]vil|variable)|\btarifas?\s+(?:reducidas?\s+)?seg[uú]n\s+(?:sus\s+|los\s+)?"
                     r"ingresos|\btarifs?\s+(?:d[ée]gressifs?|selon\s+(?:le\s+)?revenu)|\b[ée]chelle\s+mobile", re.I)


def fees(practice: Practice, doc: Document, problems: Problems) -> None:
    """An insurance entry that reads like self-pay or a sliding scale prints as written, in one language, on
    every piece: `fees` says it, and kitgen words it in each piece's language."""
    for i, plan in enumerate(practice.insurance):
        texts = [plan, *getattr(plan, "versions", {}).values()]
        found = [(name, setting) for name, setting, pattern in (("self-pay", "self_pay", SELF_PAY),
                                                                 ("a sliding scale", "sliding_scale", SLIDING))
                 if any(pattern.search(t) for t in texts)]
        if not found:
            continue
        what = " and ".join(name for name, _ in found)
        setting = ", ".join(f"{s}: true" for _, s in found)
        problems.warn(doc.path, doc.line(("insurance", i)), f"insurance[{i}]",
                      f"{str(plan)!r} reads like {what}, which prints as written in every language; remove it "
                      f"and set fees: {{{setting}}} in practice.yaml, which kitgen words in each piece's language")


def staleness(practice: Practice, doc: Document, problems: Problems, when: datetime.date | None) -> None:
    try:
        now = today(when)
    except ValueError:
        problems.error("KITGEN_TODAY", 0, "environment", f"{os.environ['KITGEN_TODAY']!r} is not a date (YYYY-MM-DD)")
        return
    as_of, line = practice.availability.as_of, doc.line(("availability", "as_of"))
    age = (now - as_of).days
    if age < 0:
        problems.error(doc.path, line, "availability.as_of",
                       f"{as_of} is in the future (today is {now}); use the date you last checked availability")
    elif age > STALE_DAYS:
        problems.warn(doc.path, line, "availability.as_of",
                      f"{as_of} is {age} days old (more than {STALE_DAYS}); check accepting_new_clients and "
                      "first_appointment_within_days, then update as_of")
