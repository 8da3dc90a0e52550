"""Every content mistake a therapist can make: the exact line they see from `check` and `build`, exit 1, and
nothing written. One test per mistake, so a changed message is a failing test that names it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import CONFIG, PARTNER, PRACTICE

from kitgen.commands.cli import main
from kitgen.content.partners import Partner

JANE = "content/partners/jane-smith.yaml"
FORM_URL = "https://secure.harborlight.example/refer?src=kit"


def invoke(project, command: str, *args: str):
    extra = ["--out", str(project.root / "built")] if command == "build" else ["--no-layout"]  # layout: test_overflow
    result = CliRunner().invoke(main, [command, "--project", str(project.root), *extra, *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def fails(project, *lines: str, strict: bool = False) -> None:
    """`check` and `build` both print exactly `lines` and the summary, exit 1, and write nothing at all."""
    errors = sum("warning: " not in line for line in lines)
    summary = f"kitgen: {errors} error{'s' if errors != 1 else ''}; nothing was written"
    for command in ("check", "build"):
        result = invoke(project, command, *(["--strict"] if strict else []))
        assert (result.exit_code, result.stderr.splitlines()) == (1, [*lines, summary]), command
        assert result.stdout == ""
        assert not (project.root / "built").exists() and not project.out.exists()


def replace(project, rel: str, old: str, new: str) -> None:
    text = (project.root / rel).read_text(encoding="utf-8")
    assert old in text
    project.write(rel, text.replace(old, new, 1))


# --- YAML itself -------------------------------------------------------------------------------------------------

def test_yaml_syntax_error_names_file_line_and_the_fix(project):
    project.write(JANE, "name: Jane Smith\ncredentials: MD\nspecialty: [ob-gyn\npractice: Lakeside\n")
    fails(project, f"{JANE}:3: yaml: a list opened with '[' is never closed; add ']' at its end (and put any text "
                   "with a comma or a bracket in quotes)")


def test_yaml_syntax_error_on_one_line(project):
    """First hour: "mapping values are not allowed in this context" is now what it means, with the fix."""
    project.write(JANE, PARTNER.replace("name: Jane Smith", "name: Jane: Smith"))
    fails(project, f"{JANE}:1: yaml: the text after 'name:' contains ': ' (a colon and a space); put the text in "
                   "quotes: name: \"Jane: Smith\" (column 11)")


def test_yaml_syntax_error_at_the_end_of_the_file_points_at_the_last_line(project):
    project.write(JANE, PARTNER + "note: [Thanks,\n")
    fails(project, f"{JANE}:6: yaml: a list opened with '[' is never closed; add ']' at its end (and put any text "
                   "with a comma or a bracket in quotes)")


@pytest.mark.parametrize("text, line, message", [
    ("name: Jane Smith\ncredentials: MD\nspecialty: ob-gyn\npractice: Lakeside\nnote:\n  one: a\n two: b\n", 7,
     "this line is indented differently from the one above; line it up with the other keys of its block (column 2)"),
    ("name: Jane Smith\n  credentials: MD\nspecialty: ob-gyn\npractice: Lakeside\n", 2,
     "this line is indented more than the one above, so it reads as more of that line's text; line it up with the "
     "line above (column 14)"),
    ("name: Jane Smith\ncredentials MD\nspecialty: ob-gyn\npractice: Lakeside\n", 2,
     "'credentials MD' has no ': ' after its key; write it as key: value (a colon and a space), or continue the text "
     "of the line above in quotes"),
    ("name: Jane Smith\n\tcredentials: MD\nspecialty: ob-gyn\npractice: Lakeside\n", 2,
     "a tab character; YAML indents with spaces only: replace the tab with spaces (column 1)"),
    ('name: "Jane Smith\ncredentials: MD\nspecialty: ob-gyn\npractice: Lakeside\n', 1,
     "a quote opened here is never closed; add the closing quote at the end of the text"),
    ("name: Jane Smith\ncredentials: MD\nspecialty: ob-gyn\npractice: @lakeside\n", 4,
     'a text cannot start with \'@\' in YAML; put the text in quotes: practice: "@lakeside" (column 11)'),
    ("name: 'Jane' Smith\ncredentials: MD\nspecialty: ob-gyn\npractice: Lakeside\n", 1,
     "the text goes on after its closing quote; put all of it inside the quotes (column 14)"),
])
def test_everyday_yaml_slips_in_plain_words_with_the_fix(project, text, line, message):
    """First hour: YAML errors were in parser words ("did not find expected key")."""
    project.write(JANE, text)
    fails(project, f"{JANE}:{line}: yaml: {message}")


def test_an_invisible_line_break_is_located(project):
    """U+2028 (pasted from a word processor) is a line break to YAML but not to an editor."""
    project.write(JANE, PARTNER.replace("Jane Smith", "Jane\u2028Smith"))
    fails(project, f"{JANE}:1: yaml: invisible line break U+2028 (column 11); replace it with a space")


def test_a_key_with_a_control_character_stays_on_one_line(project):
    project.write(JANE, PARTNER + '"note\\r\\n": x\n')
    fails(project, f"{JANE}:6: note\\r\\n: unknown key; did you mean 'note'?", strict=True)


def test_duplicate_key(project):
    project.write(JANE, PARTNER + "specialty: pediatrics\n")
    fails(project, f"{JANE}:6: specialty: duplicate key (first given on line 3)")


def test_duplicate_key_in_a_nested_mapping(project):
    replace(project, "content/practice.yaml", "  telehealth: true\n", "  telehealth: true\n  telehealth: false\n")
    fails(project, "content/practice.yaml:19: availability.telehealth: duplicate key (first given on line 18)")


def test_yaml_alias_bomb_is_refused(project):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdef", "abcde"):
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
    project.write(JANE, bomb)
    fails(project, f"{JANE}:1: yaml: expands to more than 20000 values (aliases?); refused")


def test_deep_nesting_is_refused(project):
    project.write(JANE, "name: " + "[" * 60 + "]" * 60 + "\n")
    fails(project, f"{JANE}:1: yaml: nested more than 50 levels deep; refused")


def test_a_file_above_the_size_limit_is_refused(project):
    project.write(JANE, PARTNER + "#" * (300 * 1024 - len(PARTNER) - 1) + "\n")
    assert (project.root / JANE).stat().st_size == 300 * 1024
    fails(project, f"{JANE}:1: file: is 300 KiB; the limit is 256 KiB")


def test_a_file_that_is_not_utf8(project):
    (project.root / JANE).write_bytes("name: Jane Smith\ncredentials: MD\nnote: Merci, Andr\xe9\n".encode("latin-1"))
    fails(project, f"{JANE}:3: file: is not UTF-8 text (byte 0xe9); save it as UTF-8")


def test_a_control_character(project):
    project.write(JANE, PARTNER + "note: a\x00b\n")
    fails(project, f"{JANE}:6: yaml: control character U+0000 is not allowed; delete it")


def test_an_unsupported_tag(project):
    project.write(JANE, PARTNER.replace("practice: Lakeside Women's Health", "practice: !include other.yaml"))
    fails(project, f"{JANE}:4: practice: tags like '!include' are not supported; write a plain value (a text "
                   "that starts with '!' goes in quotes)")


def test_a_merge_key(project):
    project.write(JANE, PARTNER + "<<: {office_contact: Dana}\n")
    fails(project, f"{JANE}:6: yaml: merge keys (<<) are not supported; write the values out")


# --- types and fields --------------------------------------------------------------------------------------------

def test_wrong_type(project):
    project.write(JANE, PARTNER.replace("practice: Lakeside Women's Health", "practice: [Lakeside, Riverside]"))
    fails(project, f"{JANE}:4: practice: expected text, got a list")


def test_a_number_where_text_belongs_says_to_quote_it(project):
    project.write(JANE, PARTNER.replace("credentials: MD, FACOG", "credentials: 42"))
    fails(project, f"{JANE}:2: credentials: expected text, got a number; put it in quotes")


def test_wrong_type_deep_inside_a_list(project):
    replace(project, "content/practice.yaml", "languages: [English, Spanish]", "languages: Spanish")
    fails(project, "content/practice.yaml:35: clinicians[0].languages: expected a list, got text")


def test_missing_required_field(project):
    project.write(JANE, PARTNER.replace("credentials: MD, FACOG\n", ""))
    fails(project, f"{JANE}:1: credentials: required field is missing")


def test_a_required_field_left_empty(project):
    project.write(JANE, PARTNER.replace("credentials: MD, FACOG", "credentials:"))
    fails(project, f"{JANE}:2: credentials: is empty")


def test_unknown_key_is_a_warning_naming_the_closest_key(project):
    project.write(JANE, PARTNER + "speciality: ob-gyn\n")
    for command in ("check",):
        result = invoke(project, command)
        assert result.exit_code == 0
        assert result.stderr.splitlines() == [f"{JANE}:6: speciality: warning: unknown key; did you mean 'specialty'?"]
        assert result.stdout == "kitgen: 1 partners, 1 talks: ok\n"


def test_unknown_key_is_an_error_with_strict(project):
    project.write(JANE, PARTNER + "speciality: ob-gyn\n")
    fails(project, f"{JANE}:6: speciality: unknown key; did you mean 'specialty'?", strict=True)


def test_unknown_key_with_nothing_close_lists_the_known_keys(project):
    project.write(JANE, PARTNER + "zzz: 1\n")
    known = ", ".join(f.name for f in dataclasses.fields(Partner) if not f.metadata.get("derived"))
    assert known.startswith("name, credentials, specialty, practice, address, office_contact, talk, note")
    fails(project, f"{JANE}:6: zzz: unknown key; known keys: {known}", strict=True)


@pytest.mark.parametrize("value, shown", [("2026-13-45", "2026-13-45"), ("2026-02-30", "2026-02-30"),
                                          ("last week", "last week"), ("11/15/2026", "11/15/2026"),
                                          ("2026-11-15 09:30:00", "2026-11-15 09:30:00")])
def test_invalid_date(project, value, shown):
    replace(project, "content/practice.yaml", "as_of: 2026-11-15", f"as_of: {value}")
    fails(project, f"content/practice.yaml:19: availability.as_of: invalid date '{shown}'; write it as YYYY-MM-DD, "
                   "e.g. 2026-11-15")


def test_an_invalid_explicit_number(project):
    replace(project, "content/practice.yaml", "first_appointment_within_days: 7",
            "first_appointment_within_days: !!int soon")
    fails(project, "content/practice.yaml:17: availability.first_appointment_within_days: 'soon' is not a valid int")


# --- whole files -------------------------------------------------------------------------------------------------

def test_a_partner_file_that_is_a_list(project):
    project.write(JANE, "- name: Jane Smith\n- credentials: MD\n")
    fails(project, f"{JANE}:1: file: expected a set of fields (key: value lines), got a list")


@pytest.mark.parametrize("text", ["", "# Jane Smith, to do\n", "---\n"])
def test_an_empty_partner_file(project, text):
    project.write(JANE, text)
    fails(project, f"{JANE}:1: file: is empty; a partner needs at least name, credentials, specialty and practice")


def test_a_partner_file_that_is_a_single_word(project):
    project.write(JANE, "Jane Smith\n")
    fails(project, f"{JANE}:1: file: expected a set of fields (key: value lines), got text")


def test_an_empty_practice_file(project):
    project.write("content/practice.yaml", "")
    fails(project, "content/practice.yaml:1: file: is empty")


def test_no_config_file(project):
    project.remove("kitgen.yaml")
    fails(project, "kitgen.yaml: file: not found (is this a kit project? `kitgen init DIR` makes one)")


def test_a_file_name_that_is_not_a_slug(project):
    (project.root / JANE).rename(project.root / "content/partners/Jane Smith.yaml")
    fails(project, "content/partners/Jane Smith.yaml: file: the name 'Jane Smith' is not a slug: use lowercase "
                   "letters, digits and hyphens, e.g. jane-smith.yaml")


def test_two_partner_files_with_the_same_slug(project):
    """jane-smith.yaml and jane-smith.yml would both be the page jane-smith/: one partner, two sources of truth."""
    project.write("content/partners/jane-smith.yml", PARTNER.replace("Jane Smith", "Jane Smith-Lee"))
    fails(project, "content/partners/jane-smith.yml: file: partner 'jane-smith' is already in jane-smith.yaml; "
                   "keep one of the two files")


def test_a_yml_partner_file_alone_is_a_partner(project):
    (project.root / JANE).rename(project.root / "content/partners/jane-smith.yml")
    result = invoke(project, "check")
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", "kitgen: 1 partners, 1 talks: ok\n")


def test_a_slug_reserved_for_the_site(project):
    project.write("content/partners/assets.yaml", PARTNER)
    fails(project, "content/partners/assets.yaml: file: 'assets' is reserved for the site's own files; rename the file")


def test_a_folder_where_a_partner_file_belongs(project):
    (project.root / "content/partners/omar-haddad.yaml").mkdir()
    fails(project, "content/partners/omar-haddad.yaml: file: is a folder, not a file")


def test_no_partners_at_all(project):
    project.remove(JANE)
    fails(project, "content/partners: partners: no partner files; add one per physician: `kitgen new partner "
                   "\"Jane Smith\" --specialty ob-gyn` writes jane-smith.yaml")


def test_editor_dotfiles_are_not_partners(project):
    project.write("content/partners/.#jane-smith.yaml", "lock")
    result = invoke(project, "check")
    assert (result.exit_code, result.stderr) == (0, "")


# --- references --------------------------------------------------------------------------------------------------

def test_a_talk_that_does_not_exist(project):
    project.write(JANE, PARTNER + "talk: perinatal-screenings\n")
    fails(project, f"{JANE}:6: talk: no talk 'perinatal-screenings' in content/talks/; did you mean "
                   "'perinatal-screening'?")


def test_a_talk_that_does_not_exist_lists_the_talks(project):
    project.write(JANE, PARTNER + "talk: adhd-basics\n")
    fails(project, f"{JANE}:6: talk: no talk 'adhd-basics' in content/talks/; available: perinatal-screening")


def test_a_talk_without_front_matter(project):
    project.write("content/talks/perinatal-screening.md", "# Screening\n\nBody.\n")
    fails(project, "content/talks/perinatal-screening.md:1: file: needs YAML front matter between two '---' lines "
                   "(title, duration_minutes, audience, objectives)")


def test_unknown_paper_lists_the_valid_ones(project):
    project.write("kitgen.yaml", CONFIG.replace("paper: letter", "paper: legal"))
    fails(project, "kitgen.yaml:2: paper: unknown value 'legal'; choose one of: letter, a4")


def test_unknown_card_stock_lists_the_valid_ones(project):
    project.write("kitgen.yaml", CONFIG.replace("avery-5371", "avery-38371"))  # found in no source: not an alias
    fails(project, "kitgen.yaml:3: card_stock: unknown value 'avery-38371'; choose one of: avery-5371, avery-8869, "
                   "avery-c32011, avery-l7414, printshop-us, printshop-uk, printshop-au, printshop-moo, or an Avery "
                   "number with the same layout as one of them (e.g. avery-8371, avery-5911, avery-8373)")


@pytest.mark.parametrize("alias, preset", [("avery-8371", "avery-5371"), ("avery-5911", "avery-5371"),
                                           ("avery-28371", "avery-5371"), ("avery-8373", "avery-8869")])
def test_an_avery_number_sharing_a_presets_layout_is_that_preset(project, alias, preset):
    """First hour: avery-8371 (the 5371 layout) was refused."""
    from kitgen.content.load import load_kit
    from kitgen.content.stock import STOCKS
    project.write("kitgen.yaml", CONFIG.replace("avery-5371", alias))
    kit, _ = load_kit(project.root)
    assert kit.config.card_stock == alias and kit.config.stock == STOCKS[preset]


def test_an_image_that_is_missing(project):
    project.write("content/practice.yaml", PRACTICE + "logo: images/logo.svg\n")
    fails(project, "content/practice.yaml:36: logo: 'images/logo.svg' does not exist (paths are relative to content/)")


@pytest.mark.parametrize("path", ["../kitgen.yaml", "/etc/hostname", "images/../../kitgen.yaml"])
def test_an_image_outside_content(project, path):
    replace(project, "content/practice.yaml", "    languages: [English, Spanish]\n",
            f"    languages: [English, Spanish]\n    photo: {path}\n")
    fails(project, f"content/practice.yaml:36: clinicians[0].photo: '{path}' points outside content/; put the "
                   "image in content/images/")


def test_an_image_that_is_not_an_image(project):
    project.write("content/notes.txt", "hello")
    project.write("content/practice.yaml", PRACTICE + "logo: notes.txt\n")
    fails(project, "content/practice.yaml:36: logo: 'notes.txt' is not an image (.svg, .png, .jpg, .webp)")


# --- addresses and numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["http://secure.harborlight.example/refer", "javascript:alert(1)",
                                 "data:text/html,<b>refer</b>", "/refer", "secure.harborlight.example/refer",
                                 "ftp://secure.harborlight.example/refer"])
def test_a_form_url_that_is_not_https(project, url):
    replace(project, "content/practice.yaml", FORM_URL, url)
    fails(project, f"content/practice.yaml:10: referral.form_url: '{url}' must be an https:// address "
                   "(patients' details go through it)")


@pytest.mark.parametrize("url", ["https:///refer", "https://", "https://?ref=x"])
def test_a_form_url_without_a_host(project, url):
    replace(project, "content/practice.yaml", FORM_URL, url)
    fails(project, f"content/practice.yaml:10: referral.form_url: '{url}' has no host name")


def test_a_base_url_that_is_not_a_web_address(project):
    project.write("kitgen.yaml", CONFIG.replace("https://refer.example.org/", "refer.example.org"))
    fails(project, "kitgen.yaml:1: base_url: 'refer.example.org' must be a full web address starting with https://")


def test_a_phone_number_with_no_digits(project):
    replace(project, "content/practice.yaml", '"+1 503-555-0100"', "call the front desk")
    fails(project, "content/practice.yaml:4: contact.phone: 'call the front desk' has no phone number digits")


def test_a_fax_number_with_no_digits(project):
    replace(project, "content/practice.yaml", '"+1 503-555-0101"', "n/a")
    fails(project, "content/practice.yaml:5: contact.fax: 'n/a' has no phone number digits")


def test_a_specialty_that_is_not_a_slug(project):
    project.write(JANE, PARTNER.replace("specialty: ob-gyn", "specialty: OB/GYN"))
    fails(project, f"{JANE}:3: specialty: 'OB/GYN' is not a slug: use lowercase letters, digits and hyphens")


# --- what needs the whole kit: intro word limits and referral codes, in `check` as in `build` --------------------

INTRO = "themes/default/templates/intro_body.txt"


def own_intro(project, filler_words: int) -> None:
    """A project theme's intro: "Dear Dr. Jane Smith," (4 words) and one paragraph of filler on line 4."""
    project.write(INTRO, "{#- our own wording -#}\nDear {{ partner.display_name }},\n\n" +
                  " ".join(["word"] * filler_words) + "\n")


def test_an_intro_over_200_words_is_refused_at_the_line_of_the_project_template(project):
    own_intro(project, 200)
    advice = "shorten this template's wording (its longest line is here)"
    fails(project,
          f"{INTRO}:4: theme: the intro e-mail to jane-smith is 222 words with its greeting, links and signature "
          f"(the limit is 200); {advice}")


def test_an_intro_over_150_words_is_a_warning_from_check(project):
    own_intro(project, 150)
    line = (f"{INTRO}:4: theme: warning: the intro e-mail to jane-smith is 172 words with its greeting, links and "
            "signature (physicians read 150 or fewer); shorten this template's wording (its longest line is here)")
    result = invoke(project, "check")
    assert (result.exit_code, result.stderr.splitlines()) == (0, [line])
    assert result.stdout == "kitgen: 1 partners, 1 talks: ok\n"
    fails(project, line.replace(": warning: ", ": ", 1), strict=True)


def test_a_template_error_in_the_intro_is_located_by_check(project):
    project.write(INTRO, "Dear {{ partner.display_name }},\n\n{% if practice.tagline %}unclosed\n")
    fails(project, f"{INTRO}:3: theme: template error: Unexpected end of template. Jinja was looking for the "
                   "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.")


def test_two_partners_pinning_one_referral_code_are_refused_by_check(project):
    project.write(JANE, PARTNER + "referral_code: ABCD\n")
    project.write("content/partners/omar-haddad.yaml", "name: Omar Haddad\ncredentials: DO\n"
                  "specialty: family-medicine\npractice: Valley Family Practice\nreferral_code: ABCD\n")
    fails(project, "content/partners/omar-haddad.yaml: referral_code: ABCD is already the code of jane-smith; codes "
                   "must be unique (delete the line for a new one)")


# --- all at once, never a traceback ------------------------------------------------------------------------------

def test_every_problem_is_reported_at_once_in_file_order(project):
    project.write(JANE, PARTNER.replace("specialty: ob-gyn", "specialty: OB/GYN") + "speciality: x\n")
    project.write("content/partners/omar-haddad.yaml", "name: Omar Haddad\ncredentials: DO\n")
    replace(project, "content/practice.yaml", FORM_URL, "http://secure.harborlight.example/refer")
    project.write("kitgen.yaml", CONFIG.replace("paper: letter", "paper: legal"))
    fails(project,
          f"{JANE}:3: specialty: 'OB/GYN' is not a slug: use lowercase letters, digits and hyphens",
          f"{JANE}:6: speciality: warning: unknown key; did you mean 'specialty'?",
          "content/partners/omar-haddad.yaml:1: practice: required field is missing",
          "content/partners/omar-haddad.yaml:1: specialty: required field is missing",
          "content/practice.yaml:10: referral.form_url: 'http://secure.harborlight.example/refer' must be an https:// "
          "address (patients' details go through it)",
          "kitgen.yaml:2: paper: unknown value 'legal'; choose one of: letter, a4")


def test_a_real_process_exits_1_with_located_lines_and_no_traceback(project):
    replace(project, "content/practice.yaml", "as_of: 2026-11-15", "as_of: 2026-13-45")
    project.write(JANE, PARTNER + "nme: 1\nnme: 2\n")
    done = subprocess.run([sys.executable, "-m", "kitgen", "build", "--project", str(project.root)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{JANE}:6: nme: warning: unknown key; did you mean 'name'?",
        f"{JANE}:7: nme: duplicate key (first given on line 6)",
        "content/practice.yaml:19: availability.as_of: invalid date '2026-13-45'; write it as YYYY-MM-DD, "
        "e.g. 2026-11-15",
        "kitgen: 2 errors; nothing was written"]
    assert done.stdout == "" and not project.out.exists()


# --- not a kit project at all ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("made", [False, True], ids=["no-such-folder", "empty-folder"])
def test_a_folder_that_is_not_a_kit_project_is_one_line_not_a_cascade(tmp_path, made):
    folder = tmp_path / "not-a-kit"
    if made:
        folder.mkdir()
    where = "no kitgen.yaml or content/ here" if made else "no such folder"
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(folder)])
        assert (result.exit_code, result.stderr.splitlines()) == (1, [
            f"{folder.resolve()}: --project: not a kit project ({where}); `kitgen init DIR` makes one",
            "kitgen: 1 error; nothing was written"]), command
    assert not (folder / "output").exists()
