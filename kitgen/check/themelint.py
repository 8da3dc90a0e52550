"""Lint of the project's own theme: what its web pages could load or send, as written (`source`) and as rendered
(`rendered`). Warnings, from `check` and `build`; errors with --strict. In the check stage, as it reads the theme
through render/ and renders the pages."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import jinja2.meta

from kitgen.content.config import Config
from kitgen.content.model import Kit
from kitgen.content.partners import Partner
from kitgen.kinds import KINDS, Kind
from kitgen.problems import Problem, Problems
from kitgen.render import html
from kitgen.render.themes import Theme

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


def source(root: Path, config: Config, problems: Problems) -> None:
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
            source, filename = theme.template_source(template)
        except jinja2.TemplateError:
            continue  # not found, or a link out of the theme: the build reports it
        path = Path(filename or "").resolve()
        if path.is_relative_to(mine):
            files.add(folder / path.relative_to(mine))
        try:
            todo += [t for t in jinja2.meta.find_referenced_templates(theme.env.parse(source, template, filename))
                     if t]
        except jinja2.TemplateSyntaxError:  # reported at its line by Theme.problems (check/validate.py)
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
    if not theme.own.is_dir():
        return []
    own_host = (urllib.parse.urlsplit(kit.config.base_url).hostname or "").lower()
    builtin = theme.template_source("!default/base.html")[0]
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
