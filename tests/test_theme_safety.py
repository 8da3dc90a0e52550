"""A theme is data, not code (issue 23): templates render in Jinja's sandbox, every theme file stays inside its
theme folder (or the built-in themes), broken templates and catalogs are located problems, and the theme lint
reads the pages as rendered. Each repro of the issue runs through `kitgen check` and `kitgen build` on a real kit
with its own theme (themes/mine); a hypothesis test throws odd themes at both and finds no code run, no outside
file published and no traceback."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner, Result
from conftest import CONFIG, Project, copy_project, make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitgen.commands.cli import main
from kitgen.render.themes import Theme

SECRET = "kitgen-secret-d41d8cd9"  # in a file outside the kit: it must never reach the output
LOCATED = re.compile(r"^(?:warning: )?\S[^:]*(?::\d+)?: [^:]+: ")  # path[:line]: field: message
DEFAULT_ES = Path(__file__).parents[1] / "themes/default/locale/es/LC_MESSAGES/messages.po"


def _kit(root: Path) -> Project:
    project = make_project(root)
    project.write("kitgen.yaml", CONFIG + "theme: mine\n")
    project.write("themes/mine/assets/mine.css", "body { color: #222; }\n")
    return project


def run(project: Project, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def located_only(result: Result) -> list[str]:
    """The problem lines of a refused command, after checking it failed as kitgen fails: located lines, a summary,
    no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "build failed" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("kitgen: ")]
    assert lines and all(LOCATED.match(line) for line in lines), result.output
    return lines


def outputs_text(project: Project) -> str:
    out = project.out
    if not out.is_dir():
        return ""
    return "".join(p.read_bytes().decode("latin-1") for p in out.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """The kit with its own (nearly empty) theme, built once: each test changes a copy, so a build renders only
    what the change touches."""
    project = _kit(tmp_path_factory.mktemp("safety") / "kit")
    assert run(project, "build", "-q").exit_code == 0
    return project


@pytest.fixture
def kit(built, tmp_path) -> Project:
    return copy_project(built, tmp_path)


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "outside" / "secret.html"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n")
    return path


# --- High 2: templates run no code ------------------------------------------------------------------------------

def test_the_issues_payload_is_a_located_error_from_check_and_build(kit, tmp_path):
    marker = tmp_path / "ran"
    kit.write("themes/mine/templates/one_pager.html", '{% extends "!default/one_pager.html" %}\n{% block title %}\n'
              f'{{{{ cycler.__init__.__globals__.os.popen("touch {marker}").read() }}}}\n{{% endblock %}}\n')
    for command in (["check", "--no-layout"], ["check"], ["build"]):
        lines = located_only(run(kit, *command))
        assert lines[0].startswith("themes/mine/templates/one_pager.html:3: theme: template error: reads '__"), lines
        assert not marker.exists()


def test_an_access_computed_at_render_time_is_refused_where_it_is(kit, tmp_path):
    """No attribute starting with "_" in the source: the sandbox refuses it while rendering, at the line."""
    marker = tmp_path / "ran"
    payload = ('{% set i, g = "_" ~ "_init__", "_" ~ "_globals__" %}\n'
               f'{{{{ (cycler|attr(i)|attr(g))["os"].popen("touch {marker}").read() }}}}\n')
    kit.write("themes/mine/templates/landing.html",
              '{% extends "!default/landing.html" %}\n{% block body %}\n' + payload + "{{ super() }}{% endblock %}\n")
    kit.write("themes/mine/templates/one_pager.html",
              '{% extends "!default/one_pager.html" %}\n{% block title %}\n' + payload + "{% endblock %}\n")
    for command, where in ((["check", "--no-layout"], "landing.html:4"), (["build"], "landing.html:4")):
        lines = located_only(run(kit, *command))
        assert lines == [f"themes/mine/templates/{where}: theme: template error: access to attribute '__init__' of "
                         "'type' object is unsafe; a theme is data, not code: templates may use kitgen's values, "
                         "filters and functions only (docs/theming.md)"], lines
        assert not marker.exists()
    kit.remove("themes/mine/templates/landing.html")  # the one-pager alone: a PDF, laid out by `check`
    lines = located_only(run(kit, "check"))
    assert lines[0].startswith("themes/mine/templates/one_pager.html:4: theme: template error: access to "), lines
    assert not marker.exists()


def test_kitgens_own_filters_and_globals_work_in_the_sandbox(kit):
    """A project template using kitgen's filters, functions, macros and i18n, as the built-in ones do."""
    kit.write("themes/mine/templates/landing.html", """\
        {% extends "!default/landing.html" %}
        {% block body %}
        <p id="own">{{ practice.contact.phone | tel }} {{ practice.contact.phone | phone }} {{ build_day | longdate }}
        {{ kit.config.base_url | plain_url }} {{ ["a", "b", "c"] | and_list }} {{ _("Kind regards,") }}
        {{ crisis_lines() | length > 0 }} {{ downloads | length }}</p>
        {{ super() }}
        {% endblock %}
        """)
    result = run(kit, "build", "-q")
    assert result.exit_code == 0, result.output
    page = (kit.out / "site/jane-smith/index.html").read_text()
    own = re.search(r'<p id="own">(.*?)</p>', page, re.S)
    assert own and "tel:+1" in own.group(1) and "a, b, and c" in own.group(1) and "Kind regards," in own.group(1)
    assert "refer.example.org" in own.group(1) and "True" in own.group(1)


# --- High 1: no file from outside the theme ----------------------------------------------------------------------

def test_an_asset_linked_outside_the_theme_is_refused_and_never_published(kit, secret):
    (kit.root / "themes/mine/assets/env.txt").symlink_to(secret)
    for command in (["check", "--no-layout"], ["build"]):
        lines = located_only(run(kit, *command))
        assert lines == [f"themes/mine/assets/env.txt: theme: is a link to '{secret}', outside the theme folder; a "
                         "theme may use only its own files: copy the file into the theme, or remove the link"]
    assert SECRET not in outputs_text(kit)
    assert "env.txt" not in Theme(kit.root, "mine").static_files()  # nor by whatever bypasses `check`


def test_a_linked_asset_folder_and_proc_environ_are_refused(kit):
    (kit.root / "themes/mine/assets/env.txt").symlink_to("/proc/self/environ")
    os.symlink("/etc", kit.root / "themes/mine/assets/etc")
    lines = located_only(run(kit, "build"))
    assert [line.split(":")[0] for line in lines] == ["themes/mine/assets/env.txt", "themes/mine/assets/etc"]
    files = Theme(kit.root, "mine").static_files()
    assert "env.txt" not in files and not any(name.startswith("etc/") for name in files)


def test_a_template_linked_outside_is_refused_by_check_build_and_the_loader(kit, secret):
    (kit.root / "themes/mine/templates").mkdir()
    (kit.root / "themes/mine/templates/extra.html").symlink_to(secret)
    kit.write("themes/mine/templates/landing.html",
              '{% extends "!default/landing.html" %}{% block body %}{% include "extra.html" %}{% endblock %}\n')
    for command in (["check", "--no-layout"], ["build"]):
        lines = located_only(run(kit, *command))
        assert lines[0].startswith("themes/mine/templates/extra.html: theme: is a link to "), lines
    assert SECRET not in outputs_text(kit)
    with pytest.raises(jinja2.TemplateError):  # themes.OutsideTheme
        Theme(kit.root, "mine").env.get_template("extra.html")
    # a link inside the theme, or to the built-in theme, is the theme's own file
    (kit.root / "themes/mine/templates/extra.html").unlink()
    (kit.root / "themes/mine/templates/extra.html").symlink_to(
        Path(__file__).parents[1] / "themes/default/templates/partials" / "crisis.html")
    assert Theme(kit.root, "mine").problems() == []


# --- Low: located template and catalog errors --------------------------------------------------------------------

def test_a_template_syntax_error_is_located_by_check_without_layout(kit):
    kit.write("themes/mine/templates/one_pager.html", '{% extends "!default/one_pager.html" %}\n\n{% block x %}\n')
    lines = located_only(run(kit, "check", "--no-layout"))
    assert lines == ["themes/mine/templates/one_pager.html:3: theme: template error: Unexpected end of template. "
                     "Jinja was looking for the following tags: 'endblock'. The innermost block that needs to be "
                     "closed is 'block'."]


def test_a_broken_print_template_is_located(kit):
    kit.write("themes/mine/templates/print.css", '{% include "!default/print.css" %}\n@page { size: {{ stock.x }; }\n')
    assert located_only(run(kit, "check", "--no-layout")) == [
        "themes/mine/templates/print.css:2: theme: template error: unexpected '}'"]
    kit.write("themes/mine/templates/print.css", '{% include "!default/print.css" %}\n@page { x: {{ stock.nope.x }}}\n')
    for command in (["check"], ["build"]):
        lines = located_only(run(kit, *command))
        assert lines == ["themes/mine/templates/print.css:2: theme: template error: 'kitgen.content.stock.CardStock "
                         "object' has no attribute 'nope'"], lines


def test_a_catalog_placeholder_the_message_lacks_is_located(kit):
    kit.write("kitgen.yaml", CONFIG + "theme: mine\npatient_languages: [en, es]\n")
    text = DEFAULT_ES.read_text(encoding="utf-8")
    assert 'msgstr "Se habla %(language)s."' in text
    path = kit.write("themes/mine/locale/es/LC_MESSAGES/messages.po",
                     text.replace('msgstr "Se habla %(language)s."', 'msgstr "Se habla %(idioma)s."'))
    line = path.read_text().splitlines().index('msgstr "Se habla %(idioma)s."')  # the msgid's line, 1-based
    for command in (["check", "--no-layout"], ["build"]):
        assert located_only(run(kit, *command)) == [
            f"themes/mine/locale/es/LC_MESSAGES/messages.po:{line}: msgstr: uses %(idioma)s, which its message "
            "(msgid) does not have (it has %(language)s); use the msgid's placeholders only"]


# --- Low: the theme lint reads the rendered pages -----------------------------------------------------------------

def test_the_lint_reads_the_rendered_landing_page(kit):
    kit.write("themes/mine/templates/landing.html", """\
        {% extends "!default/landing.html" %}
        {% block body %}{{ ("<fo" ~ "rm action=/x>")|safe }}<script src="{{ "https:" }}//cdn.example.net/a.js"></script>
        <img src="{{ "https://track.example.com/p.gif" }}" alt="">{{ super() }}{% endblock %}
        """)
    result = run(kit, "check", "--no-layout")
    assert result.exit_code == 0, result.output
    found = [line for line in result.output.splitlines() if "as rendered" in line]
    assert len(found) == 3 and all(f.startswith("themes/mine/templates/landing.html: theme: warning: the page "
                                                "for jane-smith as rendered: ") for f in found), found
    assert "a <form>" in found[0] + found[1] + found[2]
    assert "cdn.example.net" in result.output and "track.example.com" in result.output


def test_the_lint_finds_a_base_without_kitgens_content_security_policy(kit):
    base = (Path(__file__).parents[1] / "themes/default/templates/base.html").read_text()
    kit.write("themes/mine/templates/base.html", re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>\n", "",
                                                        base))
    result = run(kit, "check", "--no-layout", "--strict")
    lines = located_only(result)
    assert lines == ["themes/mine/templates/base.html: theme: the page for jane-smith as rendered: has no "
                     "Content-Security-Policy <meta>, which keeps a page from running scripts or sending what is "
                     "typed in it elsewhere; extend kitgen's base.html, or copy its <meta http-equiv=\"Content-"
                     "Security-Policy\"> line into your template"], lines


# --- the fuzz: odd themes at check and build ---------------------------------------------------------------------

ROOTS = ["cycler", "joiner", "namespace", "lipsum", "range", "dict", "kit", "practice", "partner", "config",
         "''", "()", "_", "gettext", "crisis_lines", "loop", "self", "caller", "varargs"]
NAMES = ["__class__", "__init__", "__globals__", "__subclasses__", "__mro__", "__base__", "__bases__",
         "__builtins__", "__dict__", "__getattribute__", "__reduce_ex__", "__code__", "func_globals", "mro",
         "os", "popen", "system", "sys", "modules", "format", "format_map", "gi_frame", "f_globals", "__import__",
         "eval", "exec", "open", "read", "append", "update", "pop"]


@st.composite
def expressions(draw, marker: str) -> str:
    text = draw(st.sampled_from(ROOTS))
    for name in draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5)):
        form = draw(st.sampled_from(["dot", "item", "attr", "computed", "call"]))
        if form == "dot":
            text += f".{name}"
        elif form == "item":
            text = f"{text}[{name!r}]"
        elif form == "attr":
            text = f"({text}|attr({name!r}))"
        elif form == "computed":
            text = f"({text}|attr({name[:2]!r} ~ {name[2:]!r}))"
        else:
            text += f".{name}(\"touch {marker}\")"
    return text + draw(st.sampled_from(["", ".read()", f'("touch {marker}")', "()", "|list"]))


@st.composite
def themes(draw, marker: str, secret: str) -> list[tuple[str, str, str]]:
    """A few changes to the project theme: (what, path, value)."""
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        what = draw(st.sampled_from(["landing", "email", "asset-link", "template-link", "catalog"]))
        if what in ("landing", "email"):
            expression = draw(expressions(marker))
            template = "landing.html" if what == "landing" else "intro_email.txt"
            base = '{% extends "!default/landing.html" %}{% block body %}' if what == "landing" else ""
            end = "{{ super() }}{% endblock %}" if what == "landing" else "{% include \"!default/intro_email.txt\" %}"
            changes.append(("write", f"templates/{template}", f"{base}\n{{{{ {expression} }}}}\n{end}\n"))
        elif what == "asset-link":
            changes.append(("link", f"assets/{draw(st.sampled_from(['env.txt', 'x/id_rsa', 'a.css']))}",
                            draw(st.sampled_from([secret, "/proc/self/environ", str(Path(secret).parent)]))))
        elif what == "template-link":
            changes.append(("link", f"templates/{draw(st.sampled_from(['landing.html', 'partials/p.html']))}",
                            secret))
        else:
            placeholder = draw(st.sampled_from(["%(idioma)s", "%s", "50%", "%(language)d", "%(language)s %(x)s"]))
            changes.append(("write", "locale/es/LC_MESSAGES/messages.po", DEFAULT_ES.read_text().replace(
                'msgstr "Se habla %(language)s."', f'msgstr "Se habla {placeholder}."')))
    return changes


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_odd_themes_run_no_code_publish_no_outside_file_and_never_crash(built, tmp_path_factory, data):
    where = tmp_path_factory.mktemp("fuzz")
    marker, secret = where / "ran", where / "outside" / "secret.html"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n")
    kit = copy_project(built, where)
    for what, rel, value in data.draw(themes(str(marker), str(secret))):
        path = kit.root / "themes/mine" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.is_file():
            path.unlink()
        if what == "link":
            path.symlink_to(value)
        else:
            path.write_text(value, encoding="utf-8")
    if "locale" in str(list((kit.root / "themes/mine").rglob("*.po"))):
        kit.write("kitgen.yaml", CONFIG + "theme: mine\npatient_languages: [en, es]\n")
    for command in (["check", "--no-layout"], ["build", "-q", "-j", "1"]):
        result = run(kit, *command)
        if result.exit_code != 0:
            located_only(result)
        else:
            assert result.exception is None and "Traceback" not in result.output, result.output
        assert not marker.exists(), result.output
        assert SECRET not in outputs_text(kit)
        environ = os.environ.get("PATH", "PATH-not-set")
        assert f"PATH={environ}" not in outputs_text(kit)
    shutil.rmtree(where, ignore_errors=True)


def test_a_project_card_template_still_reports_text_that_does_not_fit(kit):
    """kitgen's own located problems raised under a project template (fit_box's) pass through as they are."""
    cards = (Path(__file__).parents[1] / "themes/default/templates/cards.html").read_text()
    kit.write("themes/mine/templates/cards.html", cards)
    name = " ".join(["Harbor Light Therapy and Counseling Associates"] * 4)
    practice = kit.root / "content/practice.yaml"
    practice.write_text(practice.read_text().replace("name: Harbor Light Therapy", f"name: {name}"))
    lines = located_only(run(kit, "check", "--no-layout"))
    assert lines == [f"content/practice.yaml:1: name: '{name}' does not fit the business card even at 7 pt, the "
                     "smallest type it may use; shorten it"], lines
