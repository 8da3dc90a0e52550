"""Themes: an ordered search path (project theme, then the built-in one) for templates and static files.

A project template may replace a built-in one file by file, or extend it and change one block:
`{% extends "!default/landing.html" %}` always means the built-in file (the Pelican convention).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import jinja2
import jinja2.meta

from kitgen.render import i18n

BUILTIN = "default"


def builtin_dir(*parts: str) -> Path:
    """Where the built-in theme and the scaffold live: inside the wheel, or at the top of a source checkout."""
    package = Path(__file__).parent.parent
    packaged = package / "_data"
    base = packaged if packaged.is_dir() else package.parent
    return base.joinpath(*parts)


class Theme:
    """The theme search path for one project, and the Jinja environment over it."""

    def __init__(self, project: Path, name: str):
        candidates = [project / "themes" / name, builtin_dir("themes", name), builtin_dir("themes", BUILTIN)]
        self.dirs: list[Path] = []
        for d in candidates:
            if d.is_dir() and d.resolve() not in [x.resolve() for x in self.dirs]:
                self.dirs.append(d)

    @cached_property
    def env(self) -> jinja2.Environment:
        loader = jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([d / "templates" for d in self.dirs]),
            jinja2.PrefixLoader({f"!{BUILTIN}": jinja2.FileSystemLoader(builtin_dir("themes", BUILTIN, "templates"))},
                                delimiter="/"),
        ])
        env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                 trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        i18n.install(env, self.dirs)  # {% trans %} and _() through the themes' catalogs
        return env

    def template_sources(self, name: str) -> dict[str, str]:
        """`name` and every template it extends, includes or imports, with their sources: what a render depends on.

        Found by parsing, so it is known before rendering. A name computed at render time cannot be followed;
        then every template of the theme counts, which can only rebuild too much, never too little.
        """
        seen: dict[str, str] = {}
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            source, _, _ = self.env.loader.get_source(self.env, current)
            seen[current] = source
            for ref in jinja2.meta.find_referenced_templates(self.env.parse(source)):
                if ref is None:
                    return {t: self.env.loader.get_source(self.env, t)[0] for t in self.env.list_templates()}
                todo.append(ref)
        return seen

    def static_files(self) -> dict[str, Path]:
        """Every file under the themes' assets/ folders, project first: relative name -> the file that wins."""
        found: dict[str, Path] = {}
        for d in self.dirs:
            assets = d / "assets"
            for file in sorted(assets.rglob("*")) if assets.is_dir() else []:
                if file.is_file():
                    found.setdefault(file.relative_to(assets).as_posix(), file)
        return dict(sorted(found.items()))
