"""Themes: an ordered search path (project theme, then the built-in one) for templates and static files.

A project template may replace a built-in one file by file, or extend it and change one block:
`{% extends "!default/landing.html" %}` always means the built-in file (the Pelican convention), and
`!warm/...` the built-in warm theme's (falling back on the default's) for a project file of that theme.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections.abc import Callable, MutableMapping
from functools import cached_property
from pathlib import Path
from typing import NoReturn

import jinja2
import jinja2.bccache
import jinja2.nodes as nodes
import jinja2.sandbox

from kitgen import record
from kitgen.content.looks import BUILTIN_THEMES
from kitgen.problems import ContentError, Problem
from kitgen.project import BUILTIN_THEME, builtin_dir
from kitgen.render import fit, i18n, regional, wording
from kitgen.render.filters import FILTERS, longdate, sms, tel

BUILTIN = BUILTIN_THEME


class OutsideTheme(jinja2.TemplateError):
    """A template that resolves (through a symbolic link) outside its theme folder and the built-in themes."""


def inside(path: Path, roots: list[Path]) -> bool:
    """Whether `path`, symbolic links and ".." followed, lands inside one of `roots` (already resolved)."""
    target = Path(path).resolve()
    return any(target.is_relative_to(root) for root in roots)


Uptodate = Callable[[], bool] | None  # a loader's third value: whether the source it gave is current


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses a template resolving outside `roots` (its theme folder, the built-in
    themes): a link to /proc/self/environ or ~/.ssh/id_rsa included from a template would print it on a page."""

    def __init__(self, searchpath: list[Path], roots: list[Path]):
        super().__init__(searchpath)
        self.roots = roots

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(Path(filename), self.roots):
            raise OutsideTheme(f"{template!r} is a link to a file outside the theme folder; themes may use only "
                               "their own files (copy it into the theme)")
        return source, filename, uptodate


class DigestingLoader(jinja2.BaseLoader):
    """Passes every load through and keeps the digest of the source it gave, as it was read."""

    def __init__(self, inner: jinja2.BaseLoader):
        self.inner = inner
        self.digests: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Uptodate]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        self.digests[template] = hashlib.sha256(source.encode()).hexdigest()
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


class RecordingEnvironment(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """A Jinja environment that notes every template it loads (cached or not) in the record being made, so a
    document's record names exactly the templates it was made from: extends, includes, imports, overrides.

    Sandboxed: a theme is data, not code. A shared kit's template could otherwise reach Python through any
    object (`cycler.__init__.__globals__.os`) and run commands on `kitgen check`; the sandbox refuses attributes
    starting with "_" and the like, and the immutable one methods that change lists and dicts. A refusal, or any
    other error a project template raises while rendering, is a ContentError at the template's file and line."""

    project: Path | None = None  # the project root, for problems' paths (set by Theme)

    def _load_template(self, name: str, globals: MutableMapping[str, object] | None) -> jinja2.Template:
        template = super()._load_template(name, globals)
        loader = self.loader
        record.note(record.template(name), loader.digests.get(name) if isinstance(loader, DigestingLoader) else None)
        return template

    def unsafe_undefined(self, obj: object, attribute: str) -> jinja2.Undefined:
        """A refused access stops the render here, named, rather than as an undefined value a later step
        reports as something else ("StrictUndefined has no attribute ...")."""
        raise jinja2.exceptions.SecurityError(f"access to attribute {attribute!r} of {type(obj).__name__!r} object "
                                           "is unsafe")

    def handle_exception(self, source: str | None = None) -> NoReturn:
        try:
            super().handle_exception(source)
        except (jinja2.TemplateSyntaxError, ContentError):
            raise  # reported where parsed (Theme.problems), or already located (render/fit.py's Unfit)
        except Exception as exc:
            problem = located(exc, self.project)
            if problem is None:
                raise
            raise ContentError([problem]) from exc


def located(exc: BaseException, project: Path | None) -> Problem | None:
    """`path:line: theme: template error: ...` for an error raised while a template rendered: a template error
    (a refused access, an undefined name, a link outside the theme), or any error whose deepest template frame
    is the project's own template. None for an error of kitgen's own code under a built-in template."""
    root = project.resolve() if project is not None else None
    where: tuple[str, int] | None = None
    for frame in traceback.extract_tb(exc.__traceback__):
        filename = Path(frame.filename)
        if "templates" in filename.parts and filename.suffix != ".py":
            where = (frame.filename, frame.lineno or 0)
    if where is None:
        return None
    path = Path(where[0]).resolve()
    own = root is not None and path.is_relative_to(root)
    if not own and not isinstance(exc, jinja2.TemplateError):
        return None
    shown = path.relative_to(root).as_posix() if own and root is not None else where[0]
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, jinja2.exceptions.SecurityError):
        message = f"{message.rstrip('.')}; a theme is data, not code: templates may use kitgen's values, filters and " \
                  "functions only (docs/theming.md)"
    elif not isinstance(exc, jinja2.TemplateError):
        message = f"{type(exc).__name__}: {message}"
    return Problem(shown, where[1], "theme", f"template error: {message}")


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
        self.project = Path(project)
        self.own = self.project / "themes" / name  # the project's theme folder (may not exist)
        candidates = [self.own, builtin_dir("themes", name), builtin_dir("themes", BUILTIN)]
        self.dirs: list[Path] = []
        for d in candidates:
            if d.is_dir() and d.resolve() not in [x.resolve() for x in self.dirs]:
                self.dirs.append(d)
        # where a theme file may resolve to: its own folder, or kitgen's built-in themes
        self.roots = [d.resolve() for d in self.dirs] + [builtin_dir("themes").resolve()]

    def confined(self, path: Path) -> bool:
        """Whether a theme file resolves inside its theme folder or the built-in themes."""
        return inside(path, self.roots)

    @staticmethod
    def _builtin_templates(name: str) -> list[Path]:
        """What `!<name>/x.html` means: the built-in theme's file, or the default's where that theme has none."""
        return [builtin_dir("themes", n, "templates") for n in dict.fromkeys([name, BUILTIN])]

    @cached_property
    def env(self) -> jinja2.Environment:
        """HTML templates: autoescaped, strict about undefined names, with kitgen's filters."""
        loader = jinja2.ChoiceLoader([
            ConfinedLoader([d / "templates" for d in self.dirs], self.roots),
            jinja2.PrefixLoader({f"!{name}": ConfinedLoader(self._builtin_templates(name), self.roots)
                                 for name in BUILTIN_THEMES}, delimiter="/"),
        ])
        env = RecordingEnvironment(loader=DigestingLoader(loader), autoescape=True, undefined=jinja2.StrictUndefined,
                                   trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                                   bytecode_cache=HTML_CODE)
        env.project = self.project
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
            return self.template_source(name)[0]
        except jinja2.TemplateNotFound:
            return None

    def template_source(self, name: str) -> tuple[str, str | None]:
        """`name`'s source and the file it comes from, as the theme resolves it now (jinja2.TemplateNotFound when
        none has it)."""
        loader = self.env.loader
        assert loader is not None, "Theme.env always has one"
        source, filename, _ = loader.get_source(self.env, name)
        return source, filename

    def static_files(self) -> dict[str, Path]:
        """Every file under the themes' assets/ folders, project first: relative name -> the file that wins. A file
        that resolves outside its theme folder (a link to /proc/self/environ, ~/.ssh/id_rsa) is never published:
        `check` reports it (Theme.problems)."""
        found: dict[str, Path] = {}
        for d in self.dirs:
            assets, root = d / "assets", d.resolve()
            if not assets.is_dir() or not inside(assets, [root]):
                continue
            for file in sorted(assets.rglob("*")):
                if file.is_file() and inside(file, [root]):
                    found.setdefault(file.relative_to(assets).as_posix(), file)
        return dict(sorted(found.items()))

    def problems(self) -> list[Problem]:
        """The project theme's files as data: each resolves inside the theme folder (or kitgen's built-in themes),
        each template parses and reads no attribute starting with "_" (the sandbox would refuse it while
        rendering), each catalog reads and its translations use only the placeholders of their message. The
        built-in themes are kitgen's own, tested to pass."""
        own = self.own
        if not own.is_dir() or own.resolve() not in [d.resolve() for d in self.dirs]:
            return []
        found: list[Problem] = []

        def shown(path: Path) -> str:
            return path.relative_to(self.project).as_posix() if path.is_relative_to(self.project) else str(path)

        for folder, dirnames, filenames in os.walk(own):
            for name in sorted(dirnames + filenames):
                path = Path(folder) / name
                if not self.confined(path):
                    target = os.readlink(path) if path.is_symlink() else os.path.realpath(path)
                    found.append(Problem(shown(path), 0, "theme", f"is a link to {target!r}, "
                                         "outside the theme folder; a theme may use only its own files: copy the "
                                         "file into the theme, or remove the link"))
        if found:
            return found  # never read what a link points at
        templates = own / "templates"
        for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
            if path.is_file():
                found += self._template_problems(path, templates, shown(path))
        for path in i18n.catalog_files([own]).values():
            found += [Problem(shown(path), line, field, message)
                      for line, field, message in i18n.catalog_problems(path)]
        return found

    def _template_problems(self, path: Path, templates: Path, shown: str) -> list[Problem]:
        """A project template that does not parse, or reads an attribute starting with "_": at its line."""
        try:
            source = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return [Problem(shown, 0, "theme", f"cannot be read as a UTF-8 template ({exc})")]
        try:
            tree = self.env.parse(source, path.relative_to(templates).as_posix(), str(path))
        except jinja2.TemplateSyntaxError as exc:
            return [Problem(shown, exc.lineno or 0, "theme", f"template error: {exc.message}")]
        found = []
        for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
            if isinstance(node, nodes.Getattr):
                attr: object = node.attr
            elif isinstance(node, nodes.Getitem):
                attr = node.arg.value if isinstance(node.arg, nodes.Const) else None
            elif isinstance(node, nodes.Filter):  # x|attr("__class__")
                attr = node.args[0].value if node.name == "attr" and node.args and \
                    isinstance(node.args[0], nodes.Const) else None
            else:
                continue
            if isinstance(attr, str) and attr.startswith("_"):
                found.append(Problem(shown, node.lineno, "theme", f"template error: reads {attr!r}, which a theme "
                                     "may not use: a theme is data, not code, and templates may use kitgen's values, "
                                     "filters and functions only (docs/theming.md)"))
        return found
