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
from kitgen.kinds import KINDS
from kitgen.problems import Problem, Problems
from kitgen.project import today

if TYPE_CHECKING:
    from collections.abc import Callable

    from kitgen.content.model import Config, Kit, Partner, Practice
    from kitgen.content.yamlload import Document
    from kitgen.kinds import Kind
    from kitgen.render.themes import Theme

STALE_DAYS = 60

# General-purpose form builders. Several sell HIPAA plans with a BAA (Jotform, Formstack, Cognito, Google
# Workspace, Microsoft 365...), so this is a prompt to check the plan, not a verdict on the service.
FORM_SERVICES = {
    "docs.google.com": "Google Forms", "forms.gle": "Google Forms", "typeform.com": "Typeform",
    "surveymonkey.com": "SurveyMonkey", "jotform.com": "Jotform", "forms.office.com": "Microsoft Forms",
    "forms.microsoft.com": "Microsoft Forms", "wufoo.com": "Wufoo", "formstack.com": "Formstack",
    "tally.so": "Tally", "cognitoforms.com": "Cognito Forms", "airtable.com": "Airtable",
}

ANALYTICS = [  # (pattern, name): snippets that report visitors to a third party
    (re.compile(r"google-analytics\.com|\bgtag\s*\(", re.I), "Google Analytics"),
    (re.compile(r"googletagmanager\.com", re.I), "Google Tag Manager"),
    (re.compile(r"plausible\.io", re.I), "Plausible"),
    (re.compile(r"cdn\.segment\.(?:com|io)|api\.segment\.io", re.I), "Segment"),
    (re.compile(r"hotjar\.com|\bhj\s*\(", re.I), "Hotjar"),
    (re.compile(r"connect\.facebook\.net|\bfbq\s*\(", re.I), "Facebook Pixel"),
]
FORM_TAG = re.compile(r"<form\b", re.I)
SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']?\s*(?:https?:)?//([^/"'\s>?#]+)""", re.I)
THEME_TEXT = {".html", ".htm", ".j2", ".jinja", ".js", ".css", ".svg", ".txt", ".xml"}
MAX_THEME_FILE = 1024 * 1024


def check(root: Path, config: Config | None, practice: Practice | None, practice_doc: Document | None,
          problems: Problems, when: datetime.date | None = None, partner_docs: Iterable[Document] = (),
          config_doc: Document | None = None) -> None:
    """Add every lint finding for what loaded; parts that failed to load are already reported, so skipped."""
    if practice is not None and practice_doc is not None:
        form_service(practice, practice_doc, problems)
        patient_url(practice, practice_doc, problems)
        fees(practice, practice_doc, problems)
        staleness(practice, practice_doc, problems, when)
        if config is not None:
            regionlint.numbers(config, practice, practice_doc, problems)
            voice(config, practice, practice_doc, problems)
        sees_children(practice, practice_doc, problems)
    lookalike_hosts(config, config_doc, practice, practice_doc, problems)
    if config is not None:
        theme(root, config, problems)
        if config_doc is not None:
            regionlint.language(config, config_doc, problems)
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


def _values(obj: object, path: tuple[str, ...], key: tuple = ()) -> Iterable[tuple[tuple, str]]:
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


def patient_url(practice: Practice, doc: Document, problems: Problems) -> None:
    """Patient pieces (cards, leaflet) without `referral.patient_url` offer the phone only: their QR code would
    otherwise open the physicians' referral form, which is not where a patient asks for a first appointment."""
    if practice.referral.patient_url or not any(kind.patient for kind in KINDS):
        return
    problems.warn(doc.path, doc.line(("referral",)), "referral",
                  "has no patient_url, so the business cards and the patient leaflet offer your phone number only, "
                  "with no QR code; to add one, set referral.patient_url to your request-an-appointment page "
                  "(never the physicians' referral form)")


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


def theme(root: Path, config: Config, problems: Problems) -> None:
    """The project's own theme files that reach the web: the templates of web pages (and everything they extend
    or include) and the theme's assets. Print templates are left alone: a fillable PDF form is made of <form>
    fields, and a PDF runs no scripts. The built-in theme is kitgen's own and tested to pass these rules."""
    folder = root / "themes" / config.theme
    if not folder.is_dir():
        return
    own_host = (urllib.parse.urlsplit(config.base_url).hostname or "").lower()
    for file in _web_files(root, config.theme, folder, problems):
        if file.suffix.lower() not in THEME_TEXT or file.stat().st_size > MAX_THEME_FILE:
            continue
        text = file.read_bytes().decode("utf-8", errors="replace")
        for line, message in _theme_findings(text, own_host):
            problems.warn(file.relative_to(root).as_posix(), line, "theme", message)


def _web_files(root: Path, name: str, folder: Path, problems: Problems) -> list[Path]:
    """Project theme files that end up in, or shape, a web page: the theme's assets, and every template a web
    page's template extends, includes or imports (a name computed at render time cannot be followed)."""
    import jinja2
    import jinja2.meta

    from kitgen.render.themes import Theme

    theme, mine = Theme(root, name), folder.resolve()
    files = {f for f in (folder / "assets").rglob("*") if f.is_file() and theme.confined(f)} \
        if (folder / "assets").is_dir() else set()  # a link out of the theme is Theme.problems' error
    todo, seen = [k.template for k in KINDS if k.format == "html" and k.template], set()
    while todo:
        template = todo.pop()
        if template in seen:
            continue
        seen.add(template)
        try:
            # Theme.env always has a loader (themes.py); jinja2 types it as optional
            source, filename, _ = theme.env.loader.get_source(theme.env, template)  # type: ignore[union-attr]
        except jinja2.TemplateError:
            continue  # not found, or a link out of the theme: the build reports it
        path = Path(filename or "").resolve()
        if path.is_relative_to(mine):
            files.add(folder / path.relative_to(mine))
        try:
            todo += [t for t in jinja2.meta.find_referenced_templates(theme.env.parse(source, template, filename))
                     if t]
        except jinja2.TemplateSyntaxError:  # reported at its line by Theme.problems (content/validate.py)
            continue
    return sorted(files)


CSP_META = re.compile(r"""<meta\b[^>]*\bhttp-equiv\s*=\s*["']?Content-Security-Policy["'\s>][^>]*>""", re.I)
CSP_CONTENT = re.compile(r"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
LOADS = re.compile(r"""<(?:link|img|iframe|frame|embed|object|source|audio|video|track|image|use)\b[^>]*?"""
                   r"""\b(?:src|href|data|srcset|poster)\s*=\s*["']?\s*(?:https?:)?//([^/"'\s>?#]+)""", re.I)


def _policy(html: str) -> str | None:
    """The Content-Security-Policy a page's <meta> sets (None: it sets none), spaces normalised."""
    meta = CSP_META.search(html)
    content = CSP_CONTENT.search(meta.group(0)) if meta else None
    return " ".join((content.group(1) or content.group(2) or "").split()) if content else None


def rendered(kit: Kit, theme: Theme, partners: Iterable[Partner],
             current: Callable[[Kind, Partner | None, str], bool] = lambda kind, partner, variant: False
             ) -> list[Problem]:
    """The project theme's web pages as rendered, not as written: an expression can output a <form>, a script
    from another host, or leave out the Content-Security-Policy <meta> of kitgen's base.html, which the source
    does not show. Each finding once per template, at the page's template (the line is the source lint's, when
    it saw it there too). Only for a project's own theme: the built-in ones are tested to pass."""
    from kitgen.render import html
    if not theme.own.is_dir():
        return []
    own_host = (urllib.parse.urlsplit(kit.config.base_url).hostname or "").lower()
    builtin = theme.env.loader.get_source(theme.env, "!default/base.html")[0]  # type: ignore[union-attr]
    policy = _policy(builtin)
    seen_in_source, web_files = set(), _web_files(kit.root, kit.config.theme, theme.own, Problems())
    for file in web_files:
        if file.suffix.lower() in THEME_TEXT and file.stat().st_size <= MAX_THEME_FILE:
            seen_in_source |= {m for _, m in _theme_findings(file.read_bytes().decode("utf-8", "replace"), own_host)}
    found: dict[tuple[str, str], Problem] = {}
    for kind in KINDS:
        if kind.format != "html" or not kind.template:
            continue
        for partner in partners if kind.per_partner else [None]:
            for variant in kind.variants(kit, partner):
                if current(kind, partner, variant):
                    continue
                page = html.render_partner(kit, theme, kind, partner, variant=variant)
                messages = [m for _, m in _theme_findings(page, own_host) if m not in seen_in_source]
                messages += [f"loads {host} from another host; pages must load nothing from other hosts (put the "
                             "file in the theme's assets/)" for host in _other_hosts(page, own_host)]
                mine = _policy(page)
                if mine is None:
                    messages.append("has no Content-Security-Policy <meta>, which keeps a page from running scripts "
                                    "or sending what is typed in it elsewhere; extend kitgen's base.html, or copy its "
                                    "<meta http-equiv=\"Content-Security-Policy\"> line into your template")
                elif policy and mine != policy:
                    messages.append(f"changes kitgen's Content-Security-Policy ({mine!r}, kitgen's is {policy!r}); "
                                    "keep kitgen's, which lets a page load only its own files")
                where = _template_path(kit.root, theme, kind.template, web_files)
                whose = f" for {partner.slug}" if partner else ""
                for message in messages:
                    found.setdefault((where, message), Problem(
                        where, 0, "theme", f"the page{whose} as rendered: {message}", "warning"))
    return sorted(found.values())


def _other_hosts(page: str, own_host: str) -> list[str]:
    hosts = []
    for m in LOADS.finditer(page):
        host = m.group(1).lower().rsplit("@", 1)[-1].split(":", 1)[0]
        if host != own_host and host not in hosts:
            hosts.append(host)
    return hosts


def _template_path(root: Path, theme: Theme, name: str, web_files: list[Path]) -> str:
    """Where a page's findings are shown: the project's own template of the page, else the first of the project's
    templates it extends or includes (base.html), else the theme's templates/ folder."""
    folder = theme.own / "templates"
    own = [folder / name] if (folder / name).is_file() else [f for f in web_files if f.is_relative_to(folder)]
    return (own[0] if own else folder).relative_to(root).as_posix()


def _theme_findings(text: str, own_host: str) -> list[tuple[int, str]]:
    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    found: list[tuple[int, str]] = []
    for m in FORM_TAG.finditer(text):
        found.append((line_of(m.start()), "a <form> on a partner page invites patient details onto a site that "
                      "is not secured for them; link to your referral form instead"))
    tracked = set()
    for pattern, name in ANALYTICS:
        for m in pattern.finditer(text):
            line = line_of(m.start())
            if (line, name) not in tracked:
                tracked.add((line, name))
                found.append((line, f"{name} snippet: partner pages must not report visitors to a third party; "
                              "remove it"))
    lines_tracked = {line for line, _ in tracked}
    for m in SCRIPT_SRC.finditer(text):
        host, line = m.group(1).lower(), line_of(m.start())
        host = host.rsplit("@", 1)[-1].split(":", 1)[0]
        if host != own_host and line_of(m.start(1)) not in lines_tracked:
            found.append((line, f"<script> loads from {host}; pages must load nothing from other hosts "
                          "(put the file in the theme's assets/)"))
    return sorted(found)
