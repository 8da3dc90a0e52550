"""Issue 26: where each relationship stands, `kitgen plan`, the ledger and seed 003's figures, from a kit with a
known year of contacts and a referrals file with a known truth; and `kitgen log`, which must leave every byte of a
partner file as it was but the new entry."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import make_project
from htmlpage import Page, text

from kitgen.commands.cli import main
from kitgen.content.load import load_kit

TODAY = "2026-11-20"  # a Friday: this week runs to Sunday the 22nd, next week to the 29th

PARTNERS = {  # name -> contacts; Jane Smith (conftest) has none: a prospect
    "rita-ruiz": "  - {date: 2026-11-10, kind: letter}\n",
    "otto-olsen": "  - {date: 2026-10-01, kind: letter}\n  - {date: 2026-10-08, kind: call, minutes: 10}\n"
                  "  - {date: 2026-10-20, kind: e-mail}\n",
    "nina-novak": "  - {date: 2026-09-25, kind: visit, minutes: 30}\n",
    "dora-diaz": "  - {date: 2025-12-01, kind: visit, minutes: 60, cost: 120}\n"
                 "  - {date: 2026-03-10, kind: lunch-and-learn, minutes: 90, cost: 480}\n"
                 "  - {date: 2026-09-01, kind: thank-you}\n  - {date: 2026-11-18, kind: visit, minutes: 30, cost: 60}\n",
    "lars-lund": "  - {date: 2026-01-15, kind: visit, minutes: 45}\n",
    "mia-moss": "  - {date: 2026-10-30, kind: visit, minutes: 20}\n",
    "ivo-ito": "  - {date: 2026-10-20, kind: letter}\n  - {date: 2026-10-27, kind: call, minutes: 5}\n",
}
REFERRALS = {  # the truth: partner -> referral dates
    "nina-novak": ["2026-11-01", "2026-11-10"],
    "dora-diaz": ["2026-10-15", "2026-09-20", "2026-09-10", "2026-08-25", "2026-03-20"],
    "lars-lund": ["2026-02-01", "2026-03-01"],
}


def partner_file(slug: str, contacts: str) -> str:
    first, last = slug.split("-")
    return (f"name: {first.title()} {last.title()}\ncredentials: MD\nspecialty: ob-gyn\npractice: {last.title()} "
            f"Clinic\noffice_contact: Sam Lee, office manager\ncontacts:\n{contacts}")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """The kit, reported on and planned as of TODAY."""
    project = make_project(tmp_path_factory.mktemp("plan") / "kit")
    for slug, contacts in PARTNERS.items():
        project.write(f"content/partners/{slug}.yaml", partner_file(slug, contacts))
    rows = ["referred_on,source,first_session_on,sessions"]
    for slug, days in REFERRALS.items():
        rows += [f"{d},{slug},{d},4" for d in days[:-1]] + [f"{days[-1]},{slug},,"]  # the last of each never came
    rows.append("2026-11-02,Psychology Today,,")
    (project.root / "referrals.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(main, ["report", str(project.root / "referrals.csv"), "--project", str(project.root),
                                "--today", TODAY])
    assert done.exit_code == 0, done.output
    planned = runner.invoke(main, ["plan", "--project", str(project.root), "--today", TODAY])
    assert planned.exit_code == 0, planned.output
    return project, planned.output


def test_every_planned_action_and_its_date(history):
    _, output = history
    lines = output.splitlines()
    assert [line for line in lines if not line.startswith("  ")] == [
        "Overdue:", "This week:", "Next week:", f"kitgen: 5 overdue, 1 this week, 4 next week, 6 later (as of {TODAY})"]
    got = [re.match(r"  (.+?)  (.+?) \((.+?)\): (.+?)\. Why: (.+?)\. Bring: (.+)\.$", line).groups()[:4]
           for line in lines if line.startswith("  ")]
    assert got == [
        ("2026-01-29 (295 days overdue)", "Dr. Lars Lund", "lapsed", "Offer a lunch-and-learn"),
        ("2026-04-15 (219 days overdue)", "Dr. Lars Lund", "lapsed", "Visit or call Lund Clinic"),
        ("2026-10-09 (42 days overdue)", "Dr. Nina Novak", "referring, new", "Offer a lunch-and-learn"),
        ("2026-11-13 (7 days overdue)", "Dr. Mia Moss", "met", "Offer a lunch-and-learn"),
        ("2026-11-17 (3 days overdue)", "Dr. Rita Ruiz", "reaching out", "Call Ruiz Clinic"),
        ("now", "Dr. Jane Smith", "prospect", "Send the intro letter"),
        ("2026-11-24 (Tue)", "Dr. Nina Novak", "referring, new", "Restock cards"),
        ("2026-11-27 (Fri)", "Dr. Dora Diaz", "referring, declining", "Send a thank-you card"),
        ("2026-11-27 (Fri)", "Dr. Lars Lund", "lapsed", "Send a thank-you card"),
        ("2026-11-27 (Fri)", "Dr. Nina Novak", "referring, new", "Send a thank-you card"),
    ]
    assert "Why: letter on 2026-11-10: a call about 7 days later; ask for Sam Lee." in output
    assert "Why: 3 referrals since your thank-you on 2026-09-01 (report of 2026-11-20)." in output
    assert "lapsed: no referral in the last report's 90 days" in output


def test_the_later_actions_are_in_the_calendar_with_their_dates(history):
    project, _ = history
    ics = (project.out / "desk/plan.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
    events = dict(re.findall(r"UID:(\S+)@refer\.example\.org\r\nDTSTAMP:\S+\r\nDTSTART;VALUE=DATE:(\d{8})", ics))
    assert events == {
        "lunch-offer-lars-lund": "20260129", "followup-lars-lund": "20260415", "lunch-offer-nina-novak": "20261009",
        "call-rita-ruiz": "20261117", "restock-nina-novak": "20261124", "thank-you-dora-diaz": "20261127",
        "thank-you-lars-lund": "20261127", "thank-you-nina-novak": "20261127", "followup-nina-novak": "20261225",
        "lunch-offer-mia-moss": "20261113", "followup-mia-moss": "20270130", "attempt-ivo-ito": "20261201",
        "restock-dora-diaz": "20270117", "followup-dora-diaz": "20270218", "retry-otto-olsen": "20270401"}


def test_every_status_and_trend_in_list_and_plan_html(history):
    project, _ = history
    result = CliRunner().invoke(main, ["list", "--project", str(project.root)])
    standing = {line.split()[0]: line.split("never built")[1].strip() for line in result.output.splitlines()[1:]}
    assert standing == {"dora-diaz": "referring, declining", "jane-smith": "prospect", "lars-lund": "lapsed", "mia-moss": "met", "ivo-ito": "reaching out",
                        "nina-novak": "referring, new", "otto-olsen": "reaching out", "rita-ruiz": "reaching out"}
    page = text(Page(project.out / "desk/plan.html").root)
    assert "Referrals from the report of 2026-11-20" in " ".join(page.split())


def test_report_answers_seed_003_and_totals_the_ledger(history):
    project, _ = history
    page = Page(project.out / "desk/report.html")
    cells = [" ".join(text(c) for c in tr if c.tag.endswith(("th", "td"))) for tr in page.all("tr")]
    squash = " | ".join(cells + [text(li) for li in page.all("li")] + [text(page.root)])
    for row in ("Dr. Dora Diaz referring, declining 0 · 0 · 0 · 3 · 1 · 0 1.7 80%",
                "Dr. Lars Lund lapsed 0 · 0 · 0 · 0 · 0 · 0 2.7 50%",
                "Dr. Nina Novak referring, new 0 · 0 · 0 · 0 · 0 · 2 4 50%",
                "Dr. Jane Smith prospect 0 · 0 · 0 · 0 · 0 · 0 – –",
                "visit 4 44%", "lunch-and-learn 1 11%", "letter 0 0%", "thank-you 3 33%", "no contact logged 1 11%",
                "Dr. Dora Diaz 2025 $120.00 1", "Dr. Dora Diaz 2026 $540.00 over $535.00 2",
                "Dr. Dora Diaz: 4 in the last 90 days", "Dr. Lars Lund: 2 before, none in the last 90 days",
                "Dr. Nina Novak: 2 in the last 90 days, none before",
                "Dr. Dora Diaz: 0 in the last 30 days, 1.3 a month in the 90 days before"):
        assert row in squash, row
    assert "Anti-Kickback Statute" in squash and "$535 per physician for 2026" in squash


# --- kitgen log ----------------------------------------------------------------------------------------------------

def log(project, *args: str):
    return CliRunner().invoke(main, ["log", *args, "--project", str(project.root)])


ENTRY = "{date: 2026-11-20, kind: visit, minutes: 30, note: Left 50 cards}"


def test_log_adds_one_line_to_each_example_partner_file(tmp_path):
    assert CliRunner().invoke(main, ["init", "--example", str(tmp_path / "kit")]).exit_code == 0
    project = make_project(tmp_path / "unused")
    project.root = tmp_path / "kit"
    for path in sorted((project.root / "content/partners").glob("*.yaml")):
        before = path.read_bytes()
        result = log(project, path.stem, "visit", "--minutes", "30", "--note", "Left 50 cards")
        assert result.exit_code == 0, result.output
        after = path.read_bytes()
        new = after.decode()
        if b"contacts:" not in before:  # a file with only last_contact: the log starts at its end
            new = new.replace("contacts:\n", "", 1)
        added = [line for line in new.splitlines(keepends=True) if ENTRY in line]
        assert len(added) == 1 and new.replace(added[0], "", 1).encode() == before, path.name
        kit, _ = load_kit(project.root)
        (partner,) = [p for p in kit.partners if p.slug == path.stem]
        assert partner.contacts[-1].note == "Left 50 cards"


ODD = [  # (file after the required fields, what it must become)
    ("contacts:   # the log\n  - date: 2026-01-05   # block style\n    kind: call\n\n  # an old comment\nnote: 'x'\n",
     "contacts:   # the log\n  - date: 2026-01-05   # block style\n    kind: call\n  - date: 2026-11-20\n"
     "    kind: visit\n    minutes: 30\n    note: Left 50 cards\n\n  # an old comment\nnote: 'x'\n"),
    ("contacts: [{date: 2026-01-05, kind: call}]  # flow\nnote: \"Quoted\"",
     f"contacts: [{{date: 2026-01-05, kind: call}}, {ENTRY}]  # flow\nnote: \"Quoted\""),
    ("contacts: []\n", f"contacts: [{ENTRY}]\n"),
    ("contacts:\nnote: >-\n  folded\n", f"contacts:\n  - {ENTRY}\nnote: >-\n  folded\n"),
    ("note: no newline at the end", f"note: no newline at the end\ncontacts:\n  - {ENTRY}\n"),
    ("contacts:\n- {date: 2026-01-05, kind: call}   # col 0\n- {  date: 2026-02-05 , kind: 'letter' }",
     f"contacts:\n- {{date: 2026-01-05, kind: call}}   # col 0\n- {{  date: 2026-02-05 , kind: 'letter' }}\n- {ENTRY}\n"),
    ("contacts:\r\n  - {date: 2026-01-05, kind: call}\r\nnote: crlf\r\n",
     f"contacts:\r\n  - {{date: 2026-01-05, kind: call}}\r\n  - {ENTRY}\r\nnote: crlf\r\n"),
]
HEAD = "name: Jane Smith\ncredentials: MD\nspecialty: ob-gyn\npractice: \"Lakeside Women's Health\"\n"


@pytest.mark.parametrize(("tail", "want"), ODD)
def test_log_keeps_every_other_byte_of_odd_but_valid_yaml(project, tail, want):
    head = HEAD.replace("\n", "\r\n") if "\r\n" in tail else HEAD
    path = project.root / "content/partners/jane-smith.yaml"
    path.write_bytes((head + tail).encode())
    result = log(project, "Jane", "visit", "--minutes", "30", "--note", "Left 50 cards", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == (head + want).encode()


def test_log_finds_partners_by_code_and_refuses_mistakes_writing_nothing(project):
    project.write("content/partners/jane-doe.yaml", HEAD.replace("Smith", "Doe"))
    kit, _ = load_kit(project.root)
    code = kit.referral_code(next(p for p in kit.partners if p.slug == "jane-doe"))
    files = {p: p.read_bytes() for p in (project.root / "content/partners").glob("*.yaml")}
    assert log(project, "jane", "visit").output.startswith("PARTNER: partner: 'jane' is in 2 partners' names: ")
    assert log(project, "Jane Smith", "vist").output.splitlines() == [
        "content/partners/jane-smith.yaml: KIND: unknown kind 'vist'; did you mean 'visit'? choose one of: visit, "
        "call, e-mail, lunch-and-learn, letter, thank-you, other; nothing was written",
        "kitgen: 1 error; nothing was written"]
    assert "--date: 2026-12-01 is in the future (today is 2026-11-20)" in log(
        project, "jane-smith", "call", "--date", "2026-12-01").output
    flow = project.root / "content/partners/jane-smith.yaml"
    flow.write_text("{name: Jane Smith, credentials: MD, specialty: ob-gyn, practice: Lakeside}\n")
    files[flow] = flow.read_bytes()
    assert "cannot add to it safely" in log(project, "jane-smith", "call").output
    assert {p: p.read_bytes() for p in files} == files
    result = log(project, code.lower(), "lunch-and-learn", "--cost", "600", "--minutes", "60")
    assert result.exit_code == 0 and "logged lunch-and-learn on 2026-11-20 for Dr. Jane Doe" in result.output
    assert "$600.00 spent on Dr. Jane Doe in 2026, over $535.00" in result.output
    tricky = 'Dana: 50 cards # box, "ok" – café'
    assert log(project, "jane-doe", "call", "--note", tricky, "--cost", "12.345").exit_code == 0
    kit, _ = load_kit(project.root)
    last = next(p for p in kit.partners if p.slug == "jane-doe").contacts[-1]
    assert (last.note, last.cost) == (tricky, 12.35)
