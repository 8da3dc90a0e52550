"""YAML mistakes named by their cause and their fix, at the line where the fix goes (issue 22, item 10).

Each case writes one everyday slip into the fixture kit's practice.yaml or partner file and runs `kitgen check`:
the message must point at the line to edit and say what to do there ("put the text in quotes"), never describe
the parser ("indented differently" lines below an unclosed quote, "'b' is not a language tag" for a comma).
"""

from __future__ import annotations

import pytest
from conftest import CONFIG, PARTNER, PRACTICE
from readback import kitgen_check

JANE = "content/partners/jane-smith.yaml"
PRACTICE_FILE = "content/practice.yaml"
SUMMARY = "    summary: Skills-based therapy for worry, panic and avoidance.\n"  # line 23 of PRACTICE


def check(project):
    return kitgen_check(project.root)


def practice(old: str, new: str) -> str:
    assert old in PRACTICE
    return PRACTICE.replace(old, new, 1)


# (file, its text, the problem lines `check` prints, before its summary line)
ERRORS = {
    "an unclosed quote, closed by the next line's quote": (
        PRACTICE_FILE, practice('phone: "+1 503-555-0100"', 'phone: "+1 503-555-0100'),
        [f"{PRACTICE_FILE}:4: yaml: the quote (\") opened on this line is never closed, so the text runs on into "
         "line 5; add the closing \" where the text ends"]),
    "an unclosed single quote, closed by a later text's quote": (
        PRACTICE_FILE, practice(SUMMARY, "    summary: 'Skills-based therapy for worry, panic and avoidance.\n")
        .replace("summary: Support in pregnancy and the first year after birth.",
                 "summary: 'Support in pregnancy and the first year after birth.'"),
        [f"{PRACTICE_FILE}:23: yaml: the quote (') opened on this line is never closed, so the text runs on into "
         "line 24; add the closing ' where the text ends"]),
    "an unclosed quote in a list, closed by a later item's quote": (
        PRACTICE_FILE, practice("  what_to_send: [Patient name and phone, Reason for referral, Insurance plan]\n",
                                '  what_to_send:\n    - "Patient name and phone\n    - Reason for referral\n'
                                '    - "Insurance plan"\n'),
        [f"{PRACTICE_FILE}:13: yaml: the quote (\") opened on this line is never closed, so the text runs on into "
         "line 14; add the closing \" where the text ends"]),
    "an unclosed quote that YAML reads to the end of a later line": (
        JANE, PARTNER.replace("note: Thank you for meeting with us.\n",
                              'note: "Thank you for meeting with us.\nreferral_code: ABCD"\n'),
        [f"{JANE}:5: note: the quote (\") opened on this line is never closed, so the text runs on into line 6; add "
         "the closing \" where the text ends"]),
    "a colon inside the text of a list item's field": (
        PRACTICE_FILE, practice(SUMMARY, "    summary: Therapy for anxious children, with support for parents: "
                                         "emotional coaching and skills.\n"),
        [f"{PRACTICE_FILE}:23: yaml: the text after 'summary:' contains ': ' (a colon and a space); put the text in "
         "quotes: summary: \"Therapy for anxious children, with support for parents: emotional coaching and "
         "skills.\" (column 68)"]),
    "a comma inside a per-language text between { }": (
        PRACTICE_FILE, practice(SUMMARY, "    summary: {en: Anxiety, worry and panic, es: Ansiedad, preocupación y "
                                         "pánico}\n"),
        [f"{PRACTICE_FILE}:23: services[0].summary: a comma inside text between {{ }} ends the text, and what "
         "follows reads as another key; put the text in quotes: en: \"Anxiety, worry and panic\"",
         f"{PRACTICE_FILE}:23: services[0].summary: a comma inside text between {{ }} ends the text, and what "
         "follows reads as another key; put the text in quotes: es: \"Ansiedad, preocupación y pánico\""]),
    "a text between { } with no key": (
        PRACTICE_FILE, practice(SUMMARY, "    summary: {Anxiety, worry and panic}\n"),
        [f"{PRACTICE_FILE}:23: services[0].summary: 'Anxiety' has no ': ' after it; between {{ }} write key: "
         "value, separated by commas, and put a text that holds a comma in quotes"]),
    "a colon inside a text between { }": (
        PRACTICE_FILE, practice(SUMMARY, "    summary: {en: Anxiety: worry and panic, es: Ansiedad}\n"),
        [f"{PRACTICE_FILE}:23: yaml: a ': ' (a colon and a space) inside text between {{ }}; put the text in quotes "
         "(column 26)"]),
    "a colon inside a text between [ ]": (
        PRACTICE_FILE, practice("what_to_send: [Patient name and phone,", "what_to_send: [Note: patient name,"),
        [f"{PRACTICE_FILE}:12: referral.what_to_send[0]: a ': ' (a colon and a space) inside text between [ ]; put "
         "the text in quotes: \"Note: patient name\""]),
    "a '#' inside a list between [ ]": (
        PRACTICE_FILE, practice("insurance: [Aetna, Cigna, Medicare]", "insurance: [Aetna, Plan #2, Medicare]"),
        [f"{PRACTICE_FILE}:20: yaml: ' #' starts a comment in YAML, which hides the rest of this line and its ']'; "
         "put the text with the '#' in quotes"]),
    "a list item indented more than the ones above": (
        PRACTICE_FILE, practice("    instead: Call or text 988, or go to the nearest emergency department\n",
                                "    instead: Call or text 988, or go to the nearest emergency department\n"
                                "  - who: Children under 12\n    instead: Harbor Kids Clinic\n"
                                "   - who: Couples\n    instead: Bridge Couples Counseling\n"),
        [f"{PRACTICE_FILE}:33: yaml: this list item is indented differently from the items above it; line up its "
         "'-' with theirs (column 4)"]),
    "a list item indented more, read as text": (
        PRACTICE_FILE, practice("  what_to_send: [Patient name and phone, Reason for referral, Insurance plan]\n",
                                "  what_to_send:\n    - Patient name and phone\n    - Reason for referral\n"
                                "     - Insurance plan\n"),
        [f"{PRACTICE_FILE}:15: referral.what_to_send[1]: this list item is indented more than the line above, so "
         "YAML reads it as more of that line's text; line up its '-' with the items above (or, if it is text, put "
         "the whole text in quotes)"]),
    "a list item without a space after its '-'": (
        PRACTICE_FILE, practice("  - name: Perinatal mental health", "  -name: Perinatal mental health"),
        [f"{PRACTICE_FILE}:25: yaml: a list item needs a space after its '-'; write '- ' and then the item "
         "(column 3)"]),
    "an apostrophe inside single quotes": (
        JANE, PARTNER.replace("practice: Lakeside Women's Health", "practice: 'Lakeside Women's Health'"),
        [f"{JANE}:4: yaml: an apostrophe inside single quotes ends the text; put the text in double quotes "
         "instead: practice: \"Lakeside Women's Health\" (column 27)"]),
    "a text pasted with an HTML entity first": (
        PRACTICE_FILE, practice("tagline: Counseling", "tagline: &quot;Counseling"),
        [f"{PRACTICE_FILE}:2: yaml: a text cannot start with '&' in YAML; put the text in quotes: tagline: "
         "\"&quot;Counseling for anxiety and depression, usually within a week\" (column 15)"]),
    "a text that starts with '- '": (
        JANE, PARTNER.replace("note: Thank you for meeting with us.", "note: - thank you for meeting with us"),
        [f"{JANE}:5: yaml: a text cannot start with '- ' in YAML; put the text in quotes: note: \"- thank you for "
         "meeting with us\" (column 7)"]),
}


@pytest.mark.parametrize("file, text, lines", ERRORS.values(), ids=ERRORS.keys())
def test_a_yaml_mistake_is_named_where_it_is_fixed(project, file, text, lines):
    """Before: the unclosed quote at the line where another quote closed it, "indented differently"; the colon
    as an indentation problem; the comma as "'worry and panic' is not a language tag"; the rest silently read,
    or in the parser's words."""
    if "es:" in text:  # a Spanish text: the kit speaks Spanish
        project.write("kitgen.yaml", CONFIG + "patient_languages: [en, es]\n")
    project.write(file, text)
    result = check(project)
    errors = len(lines)
    assert (result.exit_code, result.stderr.splitlines()) == \
        (1, [*lines, f"kitgen: {errors} error{'s' if errors != 1 else ''}; nothing was written"])
    assert "language tag" not in result.stderr


WARNINGS = {
    "a '#' that cuts a text short": (
        PRACTICE_FILE, practice(SUMMARY, "    summary: Group #1 for teens, weekly\n"),
        f"{PRACTICE_FILE}:23: services[0].summary: warning: ' #' starts a comment in YAML, so the text ends at "
        "'Group'; if the '#' belongs to the text, put the text in quotes: summary: \"Group #1 for teens, weekly\""),
    "a text that starts with '&' and a word": (
        PRACTICE_FILE, practice("tagline: Counseling", "tagline: &Family counseling,"),
        f"{PRACTICE_FILE}:2: tagline: warning: YAML reads '&Family' as a name for the value, not as text; if it "
        "belongs to the text, put the text in quotes: tagline: \"&Family counseling, for anxiety and depression, "
        "usually within a week\""),
}


@pytest.mark.parametrize("file, text, line", WARNINGS.values(), ids=WARNINGS.keys())
def test_a_yaml_slip_yaml_accepts_is_a_located_warning(project, file, text, line):
    """Before: the leaflet printed "Group" (or the tagline without its first word) and `check` said nothing."""
    project.write(file, text)
    result = check(project)
    assert (result.exit_code, result.stderr.splitlines()) == (0, [line])


def test_comments_and_quoted_texts_over_several_lines_are_no_mistake(project):
    """A comment after a value, with a space after its '#', is how YAML files are annotated; a quoted text may run
    over several lines, even lines that start with '- ': no warning."""
    project.write(PRACTICE_FILE, practice("  telehealth: true\n", "  telehealth: true  # video or phone\n")
                  .replace(SUMMARY, SUMMARY.rstrip("\n") + " # revise in spring\n"))
    project.write(JANE, PARTNER.replace('note: Thank you for meeting with us.',
                                        'note: "Thank you for meeting with us,\n  and for the lunch:\n- the slides\n'
                                        '- the handout"'))
    result = check(project)
    assert (result.exit_code, result.stderr) == (0, "")
