"""`kitgen init DIR`: the user's own kit from six answers (asked in a terminal, or options), every unknown a TODO
that check lists and build refuses; `kitgen init --example DIR` the demo."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pypdf
import pytest
import yaml
from click.testing import CliRunner

from kitgen.commands.cli import main
from kitgen.content import regions

ANSWERS = ["--name", "Harbor Light Therapy", "--region", "us", "--phone", "+1 503-555-0100", "--email",
           "referrals@harborlight.example", "--form-url", "https://intake.harborlight.example/refer", "--site-url",
           "https://refer.harborlight.example/"]
TODO = "is still a placeholder (TODO); fill it in: it would be printed and published as is"


def check(root):
    return CliRunner().invoke(main, ["check", "--no-layout", "--project", str(root)])


def todos(result) -> list[str]:
    return [line.split(": ")[0] + ": " + line.split(": ")[1] for line in result.stderr.splitlines() if TODO in line]


def test_init_without_answers_writes_todos_that_check_lists_and_build_refuses(tmp_path):
    """First hour: `kitgen init` handed over the fictional Oregon practice, which passed check --strict."""
    target = tmp_path / "mine"
    made = CliRunner().invoke(main, ["init", str(target)])
    assert made.exit_code == 0, made.output
    assert "fill in the TODOs" in made.stdout
    assert not list((target / "content/partners").iterdir()) and not list((target / "content/talks").iterdir())
    assert "Riverbend" not in (target / "content/practice.yaml").read_text(encoding="utf-8")
    result = check(target)
    assert result.exit_code == 1
    assert todos(result) == [
        "content/practice.yaml:4: name", "content/practice.yaml:8: contact.phone",
        "content/practice.yaml:10: contact.email", "content/practice.yaml:12: contact.address",
        "content/practice.yaml:14: referral.form_url",
        "content/practice.yaml:25: availability.first_appointment_within_days",
        "content/practice.yaml:29: insurance[0]", "content/practice.yaml:34: services[0].name",
        "content/practice.yaml:35: services[0].summary", "kitgen.yaml:2: base_url"]
    assert "content/partners: partners: no partner files; add one per physician: `kitgen new partner" in \
        result.stderr
    built = CliRunner().invoke(main, ["build", "--project", str(target)])
    assert built.exit_code == 1 and not (target / "output").exists()


def test_init_with_options_leaves_only_what_it_could_not_ask(tmp_path):
    target = tmp_path / "mine"
    assert CliRunner().invoke(main, ["init", str(target), *ANSWERS]).exit_code == 0
    practice = yaml.safe_load((target / "content/practice.yaml").read_text(encoding="utf-8"))
    assert practice["name"] == "Harbor Light Therapy" and practice["contact"]["phone"] == "+1 503-555-0100"
    assert practice["referral"]["form_url"] == "https://intake.harborlight.example/refer"
    config = yaml.safe_load((target / "kitgen.yaml").read_text(encoding="utf-8"))
    assert (config["base_url"], config["region"], config["paper"], config["card_stock"]) == \
        ("https://refer.harborlight.example/", "us", "letter", "avery-5371")
    assert [t.split(": ")[1] for t in todos(check(target))] == [
        "contact.address", "availability.first_appointment_within_days", "insurance[0]", "services[0].name",
        "services[0].summary"]


def test_init_for_australia_prints_on_a4_and_asks_for_a_better_access_plan(tmp_path):
    target = tmp_path / "mine"
    assert CliRunner().invoke(main, ["init", str(target), "--region", "au"]).exit_code == 0
    config = yaml.safe_load((target / "kitgen.yaml").read_text(encoding="utf-8"))
    assert (config["region"], config["paper"], config["card_stock"]) == ("au", "a4", "avery-l7414")
    practice = yaml.safe_load((target / "content/practice.yaml").read_text(encoding="utf-8"))
    assert any("Mental Health Treatment Plan" in item for item in practice["referral"]["what_to_send"])


def test_init_refuses_an_answer_check_would_refuse(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "mine"), "--email", "referrals@harborlight.example.",
                                       "--form-url", "http://intake.harborlight.example/refer"])
    assert result.exit_code == 2
    assert "--email" in result.output and "is not an e-mail address" in result.output
    assert not (tmp_path / "mine").exists()


def in_a_terminal(args: list[str], answers: dict) -> tuple[subprocess.Popen, str]:
    """`kitgen ARGS` run in a pseudo-terminal, answering each prompt that contains a key of `answers` (a list of
    answers: one per time it is asked); the finished process and everything it printed."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kitgen", *args], stdin=follower, stdout=follower,
                            stderr=follower, close_fds=True)
    os.close(follower)
    seen, deadline = "", time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(leader, 4096).decode()
        except OSError:
            break
        seen += chunk
        for prompt, answer in list(answers.items()):
            if prompt in chunk:
                reply = answer.pop(0) if isinstance(answer, list) else answers.pop(prompt)
                if isinstance(answer, list) and not answer:
                    answers.pop(prompt)
                os.write(leader, (reply + "\n").encode())
    proc.wait(10)
    os.close(leader)
    return proc, seen


def test_init_example_copies_the_demo(tmp_path):
    result = CliRunner().invoke(main, ["init", "--example", str(tmp_path / "demo")])
    assert result.exit_code == 0
    assert len(list((tmp_path / "demo/content/partners").glob("*.yaml"))) == 4
    assert check(tmp_path / "demo").exit_code == 0
    mixed = CliRunner().invoke(main, ["init", "--example", str(tmp_path / "other"), "--name", "X"])
    assert mixed.exit_code == 2


def test_init_in_a_terminal_asks_each_question_and_asks_again_after_a_wrong_answer(tmp_path):
    target = tmp_path / "mine"
    answers = {"practice's name": "Harbor Light Therapy", "phone number": "+1 503-555-0100",
               "E-mail": ["referrals@@harborlight", "referrals@harborlight.example"],
               "referral form": "https://intake.harborlight.example/refer",
               "hosted": "https://refer.harborlight.example/"}
    proc, seen = in_a_terminal(["init", str(target), "--region", "us"], answers)
    assert proc.returncode == 0, seen
    assert "Region" not in seen, "an answer given as an option is not asked again"
    assert re.search(r"is not an e-mail address", seen), "a wrong answer is refused and asked again"
    practice = yaml.safe_load((target / "content/practice.yaml").read_text(encoding="utf-8"))
    assert (practice["name"], practice["contact"]["email"]) == ("Harbor Light Therapy",
                                                               "referrals@harborlight.example")


# --- every region of the one table (kitgen/content/regions.py) ------------------------------------------------------

# What the test writes where init left a TODO, by the key on that line ("-": the insurance list's item); plans a
# practice in each country might accept (Australia's comes filled in: Medicare under Better Access).
FILLED = {"address": "10 Dock Street, Harbourtown", "first_appointment_within_days": "7",
          "name": "Anxiety and panic", "summary": "Skills-based therapy for worry, panic and avoidance."}
PLAN = {"us": "Aetna", "ca": "Sun Life", "gb": "Bupa", "ie": "Vhi Healthcare", "nz": "Southern Cross"}
CREDENTIALS = {"us": "MD", "ca": "MD", "gb": "MBChB", "ie": "MB BCh BAO", "au": "MBBS", "nz": "MBChB"}


def fill_todos(path, values: dict[str, str]) -> int:
    """Replace every TODO scalar of a YAML file init wrote by the value for its key; the number replaced."""
    lines, replaced = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r"^(\s*(?:- )?(?:(\w+): )?)TODO\b.*$", line)
        if found:
            line = found.group(1) + values[found.group(2) or "-"]
            replaced += 1
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return replaced


@pytest.mark.pdf
@pytest.mark.parametrize("code", list(regions.REGIONS))
def test_init_for_each_region_writes_the_regions_paper_and_stock_and_builds_once_the_todos_are_filled(tmp_path,
                                                                                                      code):
    """`kitgen init --region gb` was refused ("choose one of: us, au"): init kept its own two-row region table."""
    region, target = regions.get(code), tmp_path / "mine"
    answers = [{"us": code, "+1 503-555-0100": region.phone_example}.get(a, a) for a in ANSWERS]
    made = CliRunner().invoke(main, ["init", str(target), *answers])
    assert made.exit_code == 0, made.output
    config = yaml.safe_load((target / "kitgen.yaml").read_text(encoding="utf-8"))
    assert (config["region"], config["paper"], config["card_stock"]) == (code, region.paper, region.card_stock)
    practice = yaml.safe_load((target / "content/practice.yaml").read_text(encoding="utf-8"))
    assert practice["contact"]["phone"] == region.phone_example
    result = check(target)
    problems = [line for line in result.stderr.splitlines()[:-1] if not line.startswith("content/partners: ")]
    assert result.exit_code == 1 and problems and all(TODO in line for line in problems), result.stderr
    assert fill_todos(target / "content/practice.yaml", {**FILLED, "-": PLAN.get(code, "")}) == len(problems)
    specialty = practice["services"][0]["specialties"][0]
    added = CliRunner().invoke(main, ["new", "partner", "Priya Raman", "--specialty", specialty, "--practice",
                                      "Harbourside Medical Centre", "--credentials", CREDENTIALS[code],
                                      "--project", str(target)])
    assert added.exit_code == 0, added.output
    assert check(target).exit_code == 0, check(target).stderr
    built = CliRunner().invoke(main, ["build", "--project", str(target)])
    assert built.exit_code == 0, built.output
    box = pypdf.PdfReader(target / "output/site/priya-raman/one-pager.pdf").pages[0].mediabox
    size = tuple(round(float(v) / 72 * 25.4) for v in (box.width, box.height))
    assert size == {"letter": (216, 279), "a4": (210, 297)}[region.paper]


def test_init_for_another_region_writes_what_its_referrals_carry(tmp_path):
    """The third item to send is the region's own: not an insurance member ID outside the US."""
    sent = {}
    for code in regions.REGIONS:
        assert CliRunner().invoke(main, ["init", str(tmp_path / code), "--region", code]).exit_code == 0
        practice = yaml.safe_load((tmp_path / code / "content/practice.yaml").read_text(encoding="utf-8"))
        sent[code] = practice["referral"]["what_to_send"][-1]
    assert sent["us"] == "Insurance plan and member ID" and "NHS number" in sent["gb"]
    assert "Medical card" in sent["ie"] and "NHI number" in sent["nz"] and "Extended health" in sent["ca"]
    assert "Mental Health Treatment Plan" in sent["au"]


def test_init_in_a_terminal_offers_every_region_and_gives_the_regions_phone_example(tmp_path):
    target = tmp_path / "mine"
    proc, seen = in_a_terminal(["init", str(target), "--name", "Harbour Light", "--email",
                                "referrals@harbourlight.example", "--form-url", "https://intake.harbourlight.example/refer",
                                "--site-url", "https://refer.example.org/"], {"Region": "GB", "phone number": "0161 496 0471"})
    assert proc.returncode == 0, seen
    assert "Region (us, ca, gb, ie, au or nz) (e.g. us)" in seen
    assert "(e.g. 0161 496 0471)" in seen, "the phone example is the region's"
    config = yaml.safe_load((target / "kitgen.yaml").read_text(encoding="utf-8"))
    assert (config["region"], config["paper"], config["card_stock"]) == ("gb", "a4", "avery-c32011")


def test_the_docs_list_the_regions_of_the_table():
    """The README and format.md name every region kitgen has, and no other."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    codes = "|".join(regions.REGIONS)
    assert f"--region {codes}`" in readme and f"region ({codes})" in readme
    listed = re.search(r"^\| `region` \| (.*?) \(ISO", (root / "docs/format.md").read_text(encoding="utf-8"), re.M)
    assert listed and re.findall(r"`(\w+)`", listed.group(1)) == list(regions.REGIONS)
    assert sorted(p.stem for p in (root / "docs/regions").glob("*.md") if p.stem != "README") == \
        sorted(regions.REGIONS)
