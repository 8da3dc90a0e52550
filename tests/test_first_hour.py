"""The first hour of a new user: one problem never hides another, an invalid talk is reported once, a specialty
nothing lists is a warning with the known ones."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import PARTNER, TALK
from test_build import SECOND
from test_validation import JANE, fails

from kitgen.commands.cli import main


def check(project):
    return CliRunner().invoke(main, ["check", "--no-layout", "--project", str(project.root)])


def test_a_bad_date_does_not_hide_a_missing_talk_in_the_same_file(project):
    """First hour: a bad date in a partner file hid that file's missing-talk error until the next run."""
    project.write(JANE, PARTNER + "last_contact: 2026-13-45\ntalk: perinatal-screenin\n")
    fails(project, f"{JANE}:6: last_contact: invalid date '2026-13-45'; write it as YYYY-MM-DD, e.g. 2026-11-15",
          f"{JANE}:7: talk: no talk 'perinatal-screenin' in content/talks/; did you mean 'perinatal-screening'?")


def test_an_invalid_talk_is_reported_once_at_its_own_file(project):
    """First hour: an invalid talk file caused "no talk 'x' in content/talks/" for every partner using it."""
    project.write("content/talks/perinatal-screening.md", TALK.replace("duration_minutes: 30", "duration_minutes: half an hour"))
    project.write(JANE, PARTNER + "talk: perinatal-screening\n")
    project.write("content/partners/omar-haddad.yaml", SECOND + "talk: perinatal-screening\n")
    fails(project, "content/talks/perinatal-screening.md:3: duration_minutes: expected a whole number, got text")


def test_a_specialty_that_nothing_lists_warns_with_the_known_ones(project):
    """First hour: `specialty: neurology-peds`, matching no service or talk, passed silently."""
    project.write(JANE, PARTNER.replace("specialty: ob-gyn", "specialty: pediatric"))
    result = check(project)
    assert (result.exit_code, result.stderr.splitlines()) == (0, [
        f"{JANE}:3: specialty: warning: 'pediatric' is listed by no service and no talk, so nothing is tailored to "
        "this physician; did you mean 'pediatrics'? known specialties: family-medicine, ob-gyn, pediatrics"])
    project.write(JANE, PARTNER.replace("specialty: ob-gyn", "specialty: neurology-peds"))
    assert check(project).stderr.splitlines() == [
        f"{JANE}:3: specialty: warning: 'neurology-peds' is listed by no service and no talk, so nothing is "
        "tailored to this physician; known specialties: family-medicine, ob-gyn, pediatrics"]
