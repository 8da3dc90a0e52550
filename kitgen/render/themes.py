"""Themes: an ordered search path (project theme, then the built-in one) for templates and static files.

A project template may replace a built-in one file by file, or extend it and change one block:
`{% extends "!default/landing.html" %}` always means the built-in file (the Pelican convention), and
`!warm/...` the built-in warm theme's (falling back on the default's) for a project file of that theme.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from kitgen import record
from kitgen.content.looks import BUILTIN_THEMES
from kitgen.project import builtin_dir
from kitgen.render import fit, i18n, regional, wording
from kitgen.render.filters import FILTERS, longdate, sms, tel

BUILTIN = "default"


class DigestingLoader(jinja2.BaseLoader):
    """Passes every load through and keeps the digest of the source it gave, as it was read."""

    def __init__(self, inner: jinja2.BaseLoader):
        self.inner = inner
        self.digests: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        self.digests[template] = hashlib.sha256(source.encode()).hexdigest()
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that notes every template it loads (cached or not) in the record being made, so a
    document's record names exactly the templates it was made from: extends, includes, imports, overrides."""

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> jinja2.Template:
        template = super()._load_template(name, globals)
        loader = self.loader
        record.note(f"template:{name}", loader.digests.get(name) if isinstance(loader, DigestingLoader) else None)
        return template


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process, kept in memory: each build makes a new environment, and compiling
    its twenty templates again took longer than a document (`kitgen serve` rebuilds, a test suite builds
    hundreds of kits). Jinja checks each entry against a digest of the source it is asked for, so an edited
    template is compiled again. One cache per kind of environment: autoescaping changes the compiled code."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


HTML_CODE, TEXT_CODE = CompiledTemplates(), CompiledTemplates()


class Theme:
    """The theme search path for one project, and the Jinja environment over it."""

    def __init__(self, project: Path, name: str):
        candidates = [project / "themes" / name, builtin_dir("themes", name), builtin_dir("themes", BUILTIN)]
        self.dirs: list[Path] = []
        for d in candidates:
            if d.is_dir() and d.resolve() not in [x.resolve() for x in self.dirs]:
                self.dirs.append(d)

    @staticmethod
    def _builtin_templates(name: str) -> list[Path]:
        """What `!<name>/x.html` means: the built-in theme's file, or the default's where that theme has none."""
        return [builtin_dir("themes", n, "templates") for n in dict.fromkeys([name, BUILTIN])]

    @cached_property
    def env(self) -> jinja2.Environment:
        """HTML templates: autoescaped, strict about undefined names, with kitgen's filters."""
        loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([d / "templates" for d in self.dirs]),
            jinja2.PrefixLoader({f"!{name}": jinja2.FileSystemLoader(self._builtin_templates(name))
                                 for name in BUILTIN_THEMES}, delimiter="/"),
        ])
        env = RecordingEnvironment(loader=DigestingLoader(loader), autoescape=True, undefined=jinja2.StrictUndefined,
                                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                   bytecode_cache=HTML_CODE)
        env.filters.update(FILTERS)
        i18n.install(env, self.dirs)  # {% trans %} and _() through the themes' catalogs
        regional.install(env, tel, longdate, sms)  # tel/sms links, phones, dates, crisis lines in the kit's region
        wording.install(env)  # and_list: lists joined as the document's language joins them
        fit.install(env, fit.Fonts(self.static_files))  # fit_box(): text set to fit a card, measured in its fonts
        return env

    @cached_property
    def text_env(self) -> jinja2.Environment:
        """The same templates unescaped, for plain text (the intro e-mail): escaped, if ever, by their container."""
        return self.env.overlay(autoescape=False, bytecode_cache=TEXT_CODE)

    def source(self, name: str) -> str | None:
        """The source `name` resolves to now (None when no theme has it): what a record's template key means."""
        try:
            return self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return None

    def static_files(self) -> dict[str, Path]:
        """Every file under the themes' assets/ folders, project first: relative name -> the file that wins."""
        found: dict[str, Path] = {}
        for d in self.dirs:
            assets = d / "assets"
            for file in sorted(assets.rglob("*")) if assets.is_dir() else []:
                if file.is_file():
                    found.setdefault(file.relative_to(assets).as_posix(), file)
        return dict(sorted(found.items()))
