"""The relationship log in partner files (`contacts:`), read by `kitgen check`, `kitgen followups` and the
follow-up calendar: located mistakes, `last_contact` as a one-entry log, and who is due, overdue first."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from click.testing import CliRunner
from conftest import PARTNER

from kitgen.commands.cli import main
from kitgen.pipeline.pipeline import build

JANE = "content/partners/jane-smith.yaml"
OMAR = "content/partners/omar-haddad.yaml"
LEE = "content/partners/lee-park.yaml"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def check_fails(project, *lines: str) -> None:
    result = run("check", "--project", str(project.root))
    errors = len(lines)
    assert (result.exit_code, result.stderr.splitlines()) == (
        1, [*lines, f"kitgen: {errors} error{'s' if errors != 1 else ''}; nothing was written"])


# --- validation --------------------------------------------------------------------------------------------------

@pytest.mark.pdf
def test_a_log_with_every_kind_and_optional_field_passes(project):
    project.write(JANE, PARTNER + """\
contacts:
  - {date: 2026-06-02, kind: visit, minutes: 45, note: Met Dana; left 50 cards}
  - {date: 2026-07-10, kind: call}
  - {date: 2026-07-11, kind: e-mail}
  - {date: 2026-08-01, kind: lunch-and-learn, minutes: 90}
  - {date: 2026-08-02, kind: letter}
  - {date: 2026-09-15, kind: thank-you}
  - {date: 2026-11-20, kind: other, note: Medical society dinner}
""")
    result = run("check", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_log_mistakes_are_located_all_at_once(project):
    project.write(JANE, PARTNER + """\
contacts:
  - date: 2026-06-02
    kind: vist
  - date: 2026-11-21
    kind: call
  - date: 2026-06-31
    kind: call
  - date: 2026-07-01
    kind: lunch and learn
    minutes: 0
  - kind: letter
  - date: 2026-08-01
    kind: fax
""")
    check_fails(
        project,
        f"{JANE}:8: contacts[0].kind: unknown kind 'vist'; did you mean 'visit'? choose one of: visit, call, e-mail, "
        "lunch-and-learn, letter, thank-you, other",
        f"{JANE}:9: contacts[1].date: 2026-11-21 is in the future (today is 2026-11-20); log a contact once it "
        "happened",
        f"{JANE}:11: contacts[2].date: invalid date '2026-06-31'; write it as YYYY-MM-DD, e.g. 2026-11-15",
        f"{JANE}:14: contacts[3].kind: unknown kind 'lunch and learn'; did you mean 'lunch-and-learn'? choose one "
        "of: visit, call, e-mail, lunch-and-learn, letter, thank-you, other",
        f"{JANE}:15: contacts[3].minutes: must be at least 1, got 0",
        f"{JANE}:16: contacts[4].date: required field is missing",
        f"{JANE}:18: contacts[5].kind: unknown kind 'fax'; choose one of: visit, call, e-mail, lunch-and-learn, "
        "letter, thank-you, other",
    )


def test_a_last_contact_in_the_future_is_an_error(project):
    project.write(JANE, PARTNER + "last_contact: 2026-12-03\n")
    check_fails(project, f"{JANE}:6: last_contact: 2026-12-03 is in the future (today is 2026-11-20); log a contact "
                         "once it happened")


@pytest.mark.pdf
def test_an_unknown_key_in_a_contact_suggests_the_right_one(project):
    project.write(JANE, PARTNER + "contacts:\n  - {date: 2026-06-02, kind: visit, minute: 30}\n")
    result = run("check", "--project", str(project.root))
    assert result.exit_code == 0
    assert f"{JANE}:7: contacts[0].minute: warning: unknown key; did you mean 'minutes'?" in result.stderr


# --- follow-ups from the log -------------------------------------------------------------------------------------

def log_kit(project):
    """Jane: a log whose last entry is a visit on 2026-10-01 (due 2027-01-01, later); Omar: a bare last_contact
    (overdue); Lee: a log due within 30 days, written out of order; Ana: a log both overdue and older than Omar."""
    project.write(JANE, PARTNER + """\
contacts:
  - {date: 2026-06-02, kind: call}
  - {date: 2026-10-01, kind: visit, minutes: 30, note: Restocked cards}
""")
    project.write(OMAR, "name: Omar Haddad\ncredentials: DO\nspecialty: family-medicine\npractice: Valley Family "
                        "Practice\nlast_contact: 2026-08-10\n")
    project.write(LEE, """\
name: Lee Park
credentials: PA-C
specialty: family-medicine
practice: Northside Clinic
contacts:
  - {date: 2026-09-12, kind: lunch-and-learn, minutes: 60}
  - {date: 2026-05-01, kind: letter}
""")
    project.write("content/partners/ana-silva.yaml", """\
name: Ana Silva
credentials: MD
specialty: pediatrics
practice: Kids First
last_contact: 2026-03-01
contacts:
  - {date: 2026-07-30, kind: thank-you, note: Card after three referrals}
""")
    project.write("content/partners/ben-ode.yaml", "name: Ben Ode\ncredentials: MD\nspecialty: pediatrics\n"
                                                   "practice: Kids First\n")
    return project


def test_followups_lists_overdue_first_then_due_within_30_days_with_what_was_last_done(project):
    log_kit(project)
    result = run("followups", "--project", str(project.root), "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Overdue:",
        "  Dr. Ana Silva (Kids First): due 2026-10-30 (21 days overdue); last contact 2026-07-30: thank-you "
        "(Card after three referrals)",
        "  Dr. Omar Haddad (Valley Family Practice): due 2026-11-10 (10 days overdue); last contact 2026-08-10",
        "Due within 30 days:",
        "  Lee Park (Northside Clinic): due 2026-12-12 (in 22 days); last contact 2026-09-12: lunch-and-learn, "
        "60 min",
        "Never contacted:",
        "  Dr. Ben Ode (Kids First): no contacts or last_contact in content/partners/ben-ode.yaml",
        "Later:",  # every partner is named (issue 11)
        "  Dr. Jane Smith (Lakeside Women's Health): due 2027-01-01 (in 42 days); last contact 2026-10-01: visit, "
        "30 min (Restocked cards)",
        "kitgen: 2 overdue, 1 due soon, 1 never contacted, 1 later (as of 2026-11-20)",
    ]


def test_a_partner_due_in_31_days_is_not_due_yet_and_in_30_days_is(project):
    log_kit(project)
    early = run("followups", "--project", str(project.root), "--today", "2026-11-11")
    assert "Due within 30 days:" not in early.output, "Lee Park is due in 31 days: later, not due yet"
    assert early.output.splitlines()[-1] == "kitgen: 2 overdue, 0 due soon, 1 never contacted, 2 later (as of " \
                                            "2026-11-11)"
    due = run("followups", "--project", str(project.root), "--today", "2026-11-12")
    assert "  Lee Park (Northside Clinic): due 2026-12-12 (in 30 days); last contact 2026-09-12: lunch-and-learn, " \
           "60 min" in due.output.splitlines()


@pytest.mark.pdf
def test_the_calendar_has_a_reminder_after_each_partners_latest_contact(project):
    log_kit(project)
    build(project.root, jobs=1)
    calendar = icalendar.Calendar.from_ical((project.out / "desk/followups.ics").read_bytes())
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    assert {uid: e.decoded("DTSTART") for uid, e in events.items()} == {
        "followup-jane-smith": datetime.date(2027, 1, 1), "followup-omar-haddad": datetime.date(2026, 11, 10),
        "followup-lee-park": datetime.date(2026, 12, 12), "followup-ana-silva": datetime.date(2026, 10, 30)}
    assert str(events["followup-jane-smith"]["DESCRIPTION"]).startswith(
        "Last contact 2026-10-01: visit, 30 min (Restocked cards). Call Lakeside")
    assert str(events["followup-omar-haddad"]["DESCRIPTION"]).startswith("Last contact 2026-08-10. Call Valley")
