"""kitgen's own wording through gettext: Jinja's i18n extension (`{% trans %}`, `_()`) over the themes' catalogs.

Catalogs are `.po` files under each theme's `locale/<locale>/LC_MESSAGES/messages.po` (the project's theme first,
then the built-in one), read with Babel when first needed, so a wheel ships plain text and nothing is compiled
at install time. The catalog is chosen per render from the context (regional.locale_of: the document's `locale`,
else the region's), so documents of one kit can be in different languages: a new language is a new catalog.
Fuzzy entries are never used: a message marked fuzzy prints its English source until someone checks it.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import itertools
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import jinja2
from jinja2 import pass_context

from kitgen import record
from kitgen.content import regions
from kitgen.project import BUILTIN_THEME, builtin_dir
from kitgen.render.regional import locale_of, region_of

CATALOGS = record.CATALOGS  # the record key of a text worded through the catalogs: all of them
DOMAIN = "messages"
SOURCE = "en_US"  # the language the templates and regions.py are written in


def catalog_path(theme_dir: Path, locale: str) -> Path:
    return theme_dir / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=64)
def _read(path: Path, stamp: tuple[int, int]) -> gettext_module.GNUTranslations:
    """One .po file as translations (cached until the file changes: `stamp` is its mtime and size)."""
    from babel.messages.mofile import write_mo  # Babel's catalog code only when a catalog is read
    from babel.messages.pofile import read_po
    with path.open("rb") as po:
        catalog = read_po(po)
    for message in list(catalog):
        if message.id and _placeholder_problem(message):  # would fail when formatted: its English instead
            message.string = ("", "") if isinstance(message.id, (list, tuple)) else ""
    mo = io.BytesIO()
    write_mo(mo, catalog)  # fuzzy entries left out
    mo.seek(0)
    return gettext_module.GNUTranslations(mo)


_NAMED = re.compile(r"%\((\w+)\)")


class _Message(Protocol):
    """What is read of a Babel catalog message (Babel ships no types): its msgid(s) and translation(s)."""

    @property
    def id(self) -> object: ...
    @property
    def string(self) -> object: ...


def _placeholder_problem(message: _Message) -> str | None:
    """Why a translation cannot be formatted with its message's values (None when it can): kitgen fills every
    message with `%`, so a translation's %(name)s must be one of its message's, and a percent sign is %%."""
    ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    names = {name for text in ids for name in _NAMED.findall(str(text))}
    values = {name: "x" for name in names | ({"num"} if len(ids) > 1 else set())}
    for text in strings:
        if not text:
            continue
        try:
            str(text) % values
        except KeyError as exc:
            given = ", ".join(f"%({n})s" for n in sorted(names)) or "none"
            return (f"uses %({exc.args[0]})s, which its message (msgid) does not have (it has {given}); use the "
                    "msgid's placeholders only")
        except (ValueError, TypeError) as exc:
            return f"cannot be filled in ({exc}); write a percent sign as %% and placeholders as %(name)s"
    return None


def catalog_problems(path: Path) -> list[tuple[int, str, str]]:
    """(line, field, message) for a theme's catalog that cannot be read, or whose translations would fail to be
    filled in (every document in that language would stop the build)."""
    from babel.messages.pofile import read_po  # Babel's catalog code only when a catalog is read
    try:
        with path.open("rb") as po:
            catalog = read_po(po, abort_invalid=True)
    except Exception as exc:
        return [(getattr(exc, "lineno", 0) or 0, "catalog", f"cannot be read as a gettext catalog ({exc}); "
                 "check the file against kitgen's own (themes/default/locale)")]
    found = []
    for message in catalog:
        if message.id and not message.fuzzy and (problem := _placeholder_problem(message)):
            found.append((message.lineno or 0, "msgstr", problem))
    return found


def catalog_files(theme_dirs: list[Path]) -> dict[str, Path]:
    """Every catalog of the themes ('<theme dir>/locale/en_GB/LC_MESSAGES/messages.po' by a stable name): what a
    rendered document's wording depends on, for build fingerprints."""
    found: dict[str, Path] = {}
    for i, directory in enumerate(theme_dirs):
        folder = directory / "locale"
        for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")) if folder.is_dir() else []:
            found[f"{i}/{path.relative_to(folder).as_posix()}"] = path
    return found


def candidates(locale: str, region: regions.Region) -> list[str]:
    """Catalogs to try, best first: the locale ('en_IE'), its language's catalog in the region ('en_GB' for
    Ireland), the bare language ('es')."""
    found = [locale]
    language = locale.split("_")[0]
    if region.catalog.split("_")[0] == language:
        found.append(region.catalog)
    found.append(language)
    return list(dict.fromkeys(found))


def translations(theme_dirs: list[Path], locale: str, region: regions.Region) -> gettext_module.NullTranslations:
    """The catalogs for `locale`, best first and each theme's in search-path order, each falling back to the next
    and finally to the message itself."""
    links: list[_Link] = []
    for name in candidates(locale, region):
        for directory in theme_dirs:
            path = catalog_path(directory, name)
            if path.is_file():
                stat = path.stat()
                links.append(_Link(_read(path, (stat.st_mtime_ns, stat.st_size))))
    if not links:
        return gettext_module.NullTranslations()
    for link, after in itertools.pairwise(links):
        link.next = after
    return links[0]


class _Link(gettext_module.NullTranslations):
    """A cached catalog in one chain: a fresh wrapper each time, so chains never share (and extend) fallbacks."""

    def __init__(self, inner: gettext_module.GNUTranslations):
        super().__init__()
        self.inner = inner
        self.next: _Link | None = None

    def gettext(self, message: str) -> str:
        if message in self.inner._catalog:  # type: ignore[attr-defined]
            return self.inner.gettext(message)
        return self.next.gettext(message) if self.next else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if (singular, 0) in self.inner._catalog:  # type: ignore[attr-defined]
            return self.inner.ngettext(singular, plural, n)
        return self.next.ngettext(singular, plural, n) if self.next else (singular if n == 1 else plural)


def gettext_for(theme_dirs: list[Path] | None, region: regions.Region,
                locale: str | None = None) -> Callable[..., str]:
    """`_(message, **values)` for text made in code (the e-mail's subject, the vCard's note), from the same
    catalogs as the templates; the built-in theme's when no theme is given."""
    dirs = theme_dirs if theme_dirs is not None else [builtin_dir("themes", BUILTIN_THEME)]
    chosen = translations(dirs, locale or region.locale, region)

    def gettext(message: str, **values: object) -> str:
        record.note(CATALOGS)
        return chosen.gettext(message) % values
    return gettext


def install(env: jinja2.Environment, theme_dirs: list[Path]) -> None:
    """Jinja's i18n extension on `env`, with `_`/`gettext`/`ngettext` that pick the render's catalog."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks and indents are not the message's

    chosen: dict[tuple[str, str], gettext_module.NullTranslations] = {}  # for this environment's life

    def current(context: jinja2.runtime.Context) -> gettext_module.NullTranslations:
        locale, region = locale_of(context), region_of(context)
        if (locale, region.code) not in chosen:
            chosen[locale, region.code] = translations(theme_dirs, locale, region)
        return chosen[locale, region.code]

    @pass_context
    def gettext(context: jinja2.runtime.Context, message: str) -> str:
        record.note(CATALOGS)
        return current(context).gettext(message)

    @pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
        record.note(CATALOGS)
        return current(context).ngettext(singular, plural, n)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]


def untranslated(theme_dirs: list[Path], locale: str, region: regions.Region) -> list[str] | None:
    """The messages of kitgen's template (messages.pot) that `locale`'s catalogs leave untranslated (a message
    without a translation prints in English), or None when no catalog of that language exists at all."""
    if not any(catalog_path(d, name).is_file() for name in candidates(locale, region) for d in theme_dirs):
        return None
    from babel.messages.pofile import read_po  # as above

    template = builtin_dir("themes", BUILTIN_THEME) / "locale" / f"{DOMAIN}.pot"
    if not template.is_file():
        return []
    with template.open("rb") as pot:
        ids = [m.id for m in read_po(pot) if m.id]
    chain = translations(theme_dirs, locale, region)
    known: set[str] = set()
    link = chain if isinstance(chain, _Link) else None
    while link is not None:
        known |= {key[0] if isinstance(key, tuple) else key for key in link.inner._catalog}  # type: ignore[attr-defined]
        link = link.next
    singulars = [str(m[0]) if isinstance(m, (tuple, list)) else str(m) for m in ids]
    return [m for m in singulars if m not in known]
