"""Lint: a referral form on a general-purpose form service, forms, foreign scripts and trackers in a project's
theme, and stale or future availability. Warnings from `check` and `build`, errors with --strict."""

from __future__ import annotations

import datetime
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import CONFIG, PARTNER, PRACTICE
from readback import kitgen_check
from test_build import snapshot

from kitgen.check import themelint
from kitgen.commands.cli import main
from kitgen.content import lint
from kitgen.content.load import load_kit
from kitgen.problems import Problems
from kitgen.render.themes import builtin_dir

FORM_URL = "https://secure.harborlight.example/refer?src=kit"
AS_OF = "content/practice.yaml:19: availability.as_of"


def check(project, *args: str):
    return kitgen_check(project.root, *args)  # lint only


def warns(project, *lines: str) -> None:
    """`check` passes with exactly these warnings; `check --strict` fails with them as errors."""
    result = check(project)
    assert (result.exit_code, result.stderr.splitlines()) == (0, list(lines))
    assert result.stdout == "kitgen: 1 partners, 1 talks: ok\n"
    strict = check(project, "--strict")
    errors = [line.replace(": warning: ", ": ", 1) for line in lines]
    summary = f"kitgen: {len(errors)} error{'s' if len(errors) != 1 else ''}; nothing was written"
    assert (strict.exit_code, strict.stderr.splitlines()) == (1, [*errors, summary])


def clean(project) -> None:
    result = check(project, "--strict")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr


def form_url(project, url: str) -> None:
    project.write("content/practice.yaml", PRACTICE.replace(FORM_URL, url))


# --- the referral form's host ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, host, service", [
    ("https://forms.gle/AbCdEf123", "forms.gle", "Google Forms"),
    ("https://docs.google.com/forms/d/e/1FAIpQL/viewform", "docs.google.com", "Google Forms"),
    ("https://harborlight.typeform.com/to/x1y2z3", "harborlight.typeform.com", "Typeform"),
    ("https://www.surveymonkey.com/r/REFER", "www.surveymonkey.com", "SurveyMonkey"),
    ("https://form.jotform.com/230000000000", "form.jotform.com", "Jotform"),
    ("https://forms.office.com/r/AbC123", "forms.office.com", "Microsoft Forms"),
    ("https://harborlight.wufoo.com/forms/refer/", "harborlight.wufoo.com", "Wufoo"),
    ("https://harborlight.formstack.com/forms/refer", "harborlight.formstack.com", "Formstack"),
    ("https://FORMS.GLE/AbCdEf123", "forms.gle", "Google Forms"),
])
def test_a_general_purpose_form_service_warns(project, url, host, service):
    form_url(project, url)
    warns(project, f"content/practice.yaml:10: referral.form_url: warning: {host} ({service}) is a general-purpose "
                   "form service; make sure your plan is HIPAA-compliant with a signed BAA, then set "
                   "referral.form_baa_signed: true")


def test_a_signed_baa_silences_the_form_service_warning(project):
    text = PRACTICE.replace(FORM_URL, "https://form.jotform.com/230000000000")
    project.write("content/practice.yaml", text.replace("  acknowledge_within_hours: 48\n",
                                                        "  acknowledge_within_hours: 48\n  form_baa_signed: true\n"))
    clean(project)


@pytest.mark.parametrize("url", ["https://notjotform.com/refer", "https://jotform.com.harborlight.example/refer",
                                 "https://intake.harborlight.example/refer", "https://portal.simplepractice.com/x"])
def test_other_hosts_do_not_warn(project, url):
    form_url(project, url)
    clean(project)


# --- the project's theme -----------------------------------------------------------------------------------------

def theme_file(project, rel: str, text: str, theme: str = "default") -> str:
    project.write(f"themes/{theme}/{rel}", text)
    return f"themes/{theme}/{rel}"


FORM = ("a <form> on a partner page invites patient details onto a site that is not secured for them; link to "
        "your referral form instead")


EXTENDS = '{% extends "!default/landing.html" %}\n'


def test_a_form_in_a_template_of_the_landing_page_warns(project):
    """Found through the page's own template: landing.html includes the partial with the form."""
    theme_file(project, "templates/landing.html",
               EXTENDS + '{% block head %}{% include "partials/contact.html" %}{% endblock %}\n')
    path = theme_file(project, "templates/partials/contact.html",
                      '<section>\n  <h2>Refer</h2>\n  <FORM method="post" action="/send">\n'
                      '    <input name="patient">\n  </FORM>\n</section>\n')
    warns(project, f"{path}:3: theme: warning: {FORM}")


def test_a_form_in_a_print_template_or_an_unused_file_is_not_a_web_form(project):
    """A fillable PDF is made of <form> fields, and a template no page uses reaches no one."""
    theme_file(project, "templates/fax_form.html", '{% extends "!default/fax_form.html" %}\n<form></form>\n')
    theme_file(project, "templates/partials/unused.html", "<form></form>\n")
    clean(project)


def test_a_syntax_error_in_a_page_template_is_located(project):
    path = theme_file(project, "templates/landing.html", EXTENDS + "{% block head %}\n{% if %}\n{% endblock %}\n")
    result = check(project)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        f"{path}:3: theme: template error: Expected an expression, got 'end of statement block'",
        "kitgen: 1 error; nothing was written"])


def test_an_external_script_in_a_theme_warns_and_a_local_one_does_not(project):
    path = theme_file(project, "templates/landing.html",
                      '{% extends "!default/landing.html" %}\n{% block head %}{{ super() }}\n'
                      '<script src="{{ root }}assets/menu.js"></script>\n'
                      '<script src="https://refer.example.org/assets/menu.js"></script>\n'
                      '<script defer\n  src="https://cdn.jsdelivr.net/npm/alpinejs"></script>\n'
                      "<script src='//unpkg.com/htmx.org'></script>\n{% endblock %}\n")
    warns(project,
          f"{path}:5: theme: warning: <script> loads from cdn.jsdelivr.net; pages must load nothing from other "
          "hosts (put the file in the theme's assets/)",
          f"{path}:7: theme: warning: <script> loads from unpkg.com; pages must load nothing from other hosts "
          "(put the file in the theme's assets/)")


@pytest.mark.parametrize("snippet, name", [
    ('<script async src="https://www.googletagmanager.com/gtag/js?id=G-X1"></script>', "Google Tag Manager"),
    ("<script>window.dataLayer = []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>",
     "Google Analytics"),
    ("<script>ga('create', 'UA-1', 'auto');</script><!-- www.google-analytics.com/analytics.js -->",
     "Google Analytics"),
    ('<script defer data-domain="harborlight.example" src="https://plausible.io/js/script.js"></script>', "Plausible"),
    ('<script>!function(){var analytics=window.analytics=[];analytics.load("k")}();'
     '/* https://cdn.segment.com/analytics.js */</script>', "Segment"),
    ("<script>(function(h){h.hj=h.hj||function(){};})(window); // static.hotjar.com</script>", "Hotjar"),
    ("<script>!function(f){f.fbq=function(){};}(window); fbq('init', '123');</script>", "Facebook Pixel"),
])
def test_analytics_snippets_in_a_theme_warn(project, snippet, name):
    path = theme_file(project, "templates/landing.html", f"{EXTENDS}{{% block head %}}\n{snippet}\n{{% endblock %}}\n")
    warns(project, f"{path}:3: theme: warning: {name} snippet: partner pages must not report visitors to a third "
                   "party; remove it")


def test_a_tracker_in_a_theme_asset_warns(project):
    path = theme_file(project, "assets/site.js", "// menu\ndocument.write('<img src=https://connect.facebook.net/tr>')\n")
    warns(project, f"{path}:2: theme: warning: Facebook Pixel snippet: partner pages must not report visitors to a "
                   "third party; remove it")


def test_the_theme_named_in_the_config_is_the_one_linted(project):
    project.write("kitgen.yaml", CONFIG + "theme: clinic\n")
    theme_file(project, "templates/landing.html", "<form></form>\n", theme="default")  # not used: not linted
    csp = re.search(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>",  # a page needs kitgen's policy
                    (builtin_dir("themes", "default") / "templates/base.html").read_text()).group(0)
    path = theme_file(project, "templates/landing.html", f"{csp}\n<form></form>\n", theme="clinic")
    warns(project, f"{path}:2: theme: warning: {FORM}")


def test_the_builtin_theme_lints_clean(project):
    """kitgen's own theme must pass its own rules: linted as if a project had copied it whole."""
    shutil.copytree(builtin_dir("themes", "default"), project.root / "themes/default")
    problems = Problems()
    linted = themelint._web_files(project.root, "default", project.root / "themes/default", problems)
    names = {f.relative_to(project.root / "themes/default").as_posix() for f in linted}
    assert {"templates/landing.html", "templates/base.html", "templates/partials/macros.html", "assets/site.css"} <= names
    assert "templates/fax_form.html" not in names
    clean(project)


# --- availability staleness --------------------------------------------------------------------------------------

def test_availability_sixty_days_old_is_still_fine(project, monkeypatch):
    monkeypatch.setenv("KITGEN_TODAY", "2027-01-14")  # as_of 2026-11-15 + 60 days
    clean(project)


def test_availability_more_than_sixty_days_old_warns(project, monkeypatch):
    monkeypatch.setenv("KITGEN_TODAY", "2027-01-15")
    warns(project, f"{AS_OF}: warning: 2026-11-15 is 61 days old (more than 60); check accepting_new_clients and "
                   "first_appointment_within_days, then update as_of")


def test_availability_in_the_future_is_an_error(project, monkeypatch):
    monkeypatch.setenv("KITGEN_TODAY", "2026-11-14")
    result = check(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{AS_OF}: 2026-11-15 is in the future (today is 2026-11-14); use the date you last checked availability",
        "kitgen: 1 error; nothing was written"]


def test_availability_as_of_today_is_fine(project, monkeypatch):
    monkeypatch.setenv("KITGEN_TODAY", "2026-11-15")
    clean(project)


def test_a_bad_kitgen_today_is_reported_not_a_traceback(project, monkeypatch):
    monkeypatch.setenv("KITGEN_TODAY", "tomorrow")
    result = check(project)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "KITGEN_TODAY: environment: 'tomorrow' is not a date (YYYY-MM-DD)", "kitgen: 1 error; nothing was written"])


def test_today_can_be_passed_to_load_kit(project, monkeypatch):
    monkeypatch.delenv("KITGEN_TODAY")
    _, warnings = load_kit(project.root, today=datetime.date(2027, 3, 1))
    assert [str(w) for w in warnings] == [
        f"{AS_OF}: warning: 2026-11-15 is 106 days old (more than 60); check accepting_new_clients and "
        "first_appointment_within_days, then update as_of"]


def test_without_kitgen_today_the_clock_is_used(project, monkeypatch):
    monkeypatch.delenv("KITGEN_TODAY")
    assert lint.today() == datetime.date.today()
    assert lint.today(datetime.date(2030, 1, 1)) == datetime.date(2030, 1, 1)


# --- placeholders left by `kitgen new partner` --------------------------------------------------------------------

PLACEHOLDER = "is still a placeholder (TODO); fill it in: it would be printed and published as is"


def test_a_todo_left_by_new_partner_is_refused_until_it_is_filled_in(project):
    """First hour: TODO placeholders from `kitgen new partner` were published to site/ with only a warning."""
    project.remove("content/partners/jane-smith.yaml")
    made = CliRunner().invoke(main, ["new", "partner", "Jane Smith", "--specialty", "ob-gyn",
                                     "--project", str(project.root)])
    assert made.exit_code == 0, made.output
    rel = "content/partners/jane-smith.yaml"
    lines = (project.root / rel).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("practice: TODO"))
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(project.root)])
        assert (result.exit_code, result.stderr.splitlines()) == \
            (1, [f"{rel}:{line}: practice: {PLACEHOLDER}", "kitgen: 1 error; nothing was written"])
    assert not project.out.exists()
    project.write(rel, "\n".join(lines).replace("practice: TODO the name of the physician's practice",
                                                "practice: Lakeside Women's Health") + "\n")
    clean(project)


def test_every_todo_in_any_file_is_listed_but_not_in_a_comment_or_mid_text(project):
    project.write("content/partners/jane-smith.yaml", PARTNER.replace("note: Thank you for meeting with us.",
                                                                      "note: TODO thank them  # TODO later") +
                  "office_contact: 'Ask for Dana (TODO: surname)'\nlast_contact: TODO\n")
    project.write("content/practice.yaml", PRACTICE.replace("name: Harbor Light Therapy", "name: TODO your name"))
    result = check(project)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        f"content/partners/jane-smith.yaml:5: note: {PLACEHOLDER}",
        f"content/partners/jane-smith.yaml:7: last_contact: {PLACEHOLDER}",
        f"content/practice.yaml:1: name: {PLACEHOLDER}",
        "kitgen: 3 errors; nothing was written"])


# --- build reports lint too, and --strict writes nothing ---------------------------------------------------------

@pytest.mark.pdf
def test_build_reports_lint_warnings_and_strict_leaves_the_previous_output_untouched(project, monkeypatch):
    monkeypatch.setenv("KITGEN_TODAY", "2027-02-01")
    form_url(project, "https://forms.gle/AbCdEf123")
    expected = [
        "content/practice.yaml:10: referral.form_url: warning: forms.gle (Google Forms) is a general-purpose form "
        "service; make sure your plan is HIPAA-compliant with a signed BAA, then set referral.form_baa_signed: true",
        f"{AS_OF}: warning: 2026-11-15 is 78 days old (more than 60); check accepting_new_clients and "
        "first_appointment_within_days, then update as_of"]
    built = CliRunner().invoke(main, ["build", "--project", str(project.root), "-q", "-j", "1"])
    assert (built.exit_code, built.stderr.splitlines()) == (0, expected)
    assert (project.out / "site/jane-smith/index.html").is_file()
    before = snapshot(project.out)
    project.write("content/partners/omar-haddad.yaml",
                  "name: Omar Haddad\ncredentials: DO\nspecialty: family-medicine\npractice: Valley Family\n")
    strict = CliRunner().invoke(main, ["build", "--project", str(project.root), "--strict", "-j", "1"])
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [line.replace(": warning: ", ": ") for line in expected] + [
        "kitgen: 2 errors; nothing was written"]
    assert snapshot(project.out) == before
