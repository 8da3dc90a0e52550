"""`kitgen report` on files shaped like each practice system's export, patient columns and all.

The shapes follow what the systems' help pages say (kitgen/content/exports.py cites each name; most headers are
unconfirmed, docs/report.md says which): the figures must come out exactly as computed from the truth, and no
byte of any output (report.csv, .html, .pdf, stdout, stderr) may hold a patient's name, e-mail, phone or birth
date, which fill the columns kitgen drops unread.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

import pypdf
import pytest
from conftest import CONFIG, make_project
from exportfiles import write_export
from test_regions import region_project
from test_report import PARTNERS, _raw_streams, expected_csv, partners_kit, pick_source, read_report, report, truth_rows

TODAY = datetime.date(2026, 11, 20)
SURNAMES = ["Quixby", "Thwaitely", "Vorspiel", "Gruntmann", "Pellowes", "Ambersnoot", "Krautheimer", "Osterhagen",
            "Wimbleford", "Zaranoff", "Plunkettine", "Dobrezhny"]
GIVEN = ["Zebulon", "Philippa", "Octavian", "Marisol", "Torvald", "Ysolde"]


def patient(i: int) -> dict[str, str]:
    """A fake patient: every value is a marker that must never reach an output."""
    given, surname = GIVEN[i % len(GIVEN)], SURNAMES[i % len(SURNAMES)]
    return {"first": given, "last": surname, "name": f"{given} {surname}", "email": f"{surname.lower()}{i}@mail.invalid",
            "phone": f"555-01{i % 100:02d}-77{i % 10}", "dob": f"19{40 + i % 50}-0{1 + i % 9}-1{i % 10}",
            "diagnosis": f"F41.{i % 10} Dxmarker{i}", "medicare": f"2953{i:06d}1"}


def markers(n: int) -> set[str]:
    found = set(SURNAMES) | {f"Dxmarker{i}" for i in range(n)}
    for i in range(n):
        p = patient(i)
        found |= {p["email"], p["phone"], p["medicare"]}
    return found


def write(path, header: list[str], rows: list[dict], cell: Callable[[str, dict, dict], str], *,
          delimiter: str = ",", bom: bool = False) -> None:
    lines = ([cell(h, r, patient(i)) for h in header] for i, r in enumerate(rows))
    write_export(path, header, lines, delimiter=delimiter, bom=bom)


def no_leak(result, out, n: int) -> None:
    pdf = out / "desk/report.pdf"
    texts = {p.name: p.read_bytes().decode("utf-8", "replace") for p in (out / "desk").iterdir()}
    texts["pdf text"] = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages) + _raw_streams(pdf)
    texts["stdout"], texts["stderr"] = result.stdout, result.stderr
    for marker in markers(n):
        for where, text in texts.items():
            assert marker not in text, (marker, where)


def sessionless(rows: list[dict]) -> list[dict]:
    """Exports of a client list carry no session data: the truth has none either."""
    return [dict(r, first_session_on=None, sessions=None) for r in rows]


# --- US systems, US dates (month first), the fixture kit's partners -----------------------------------------------

def us(d: datetime.date | None) -> str:
    return f"{d.month}/{d.day}/{d.year}" if d else ""


def us_padded(d: datetime.date | None) -> str:
    return d.strftime("%m/%d/%Y") if d else ""


def us_short(d: datetime.date | None) -> str:
    return d.strftime("%m/%d/%y") if d else ""


US_SYSTEMS = {
    # SimplePractice "Client Details"-style client list: Date Added, Client Status, Referral Source
    "simplepractice": (["Client", "First Name", "Last Name", "Email", "Phone", "Date of Birth", "Date Added",
                        "Client Status", "Primary Clinician", "Referral Source"], us),
    # TherapyNotes: no published export; a patient list as US practices export one (headers unconfirmed)
    "therapynotes": (["Patient Name", "DOB", "Patient Phone", "Intake Date", "Referring Provider", "Status",
                      "Diagnosis"], us_padded),
    # TherapyAppointment: the client profile's referral source and creation date (headers unconfirmed)
    "therapyappointment": (["Client ID", "Client Name", "Date of Birth", "Gender", "Zip Code", "Date Created",
                            "Referral Source", "Insurance ID"], us_short),
}


def us_cell(fmt: Callable) -> Callable[[str, dict, dict], str]:
    def cell(header: str, r: dict, p: dict) -> str:
        return {"Client": p["name"], "Patient Name": p["name"], "Client Name": p["name"], "First Name": p["first"],
                "Last Name": p["last"], "Email": p["email"], "Phone": p["phone"], "Patient Phone": p["phone"],
                "Date of Birth": p["dob"], "DOB": p["dob"], "Diagnosis": p["diagnosis"], "Insurance ID": p["medicare"],
                "Client ID": str(r["line"]), "Gender": "F", "Zip Code": "97401", "Primary Clinician": "Ana Ruiz",
                "Date Added": fmt(r["referred_on"]), "Intake Date": fmt(r["referred_on"]),
                "Date Created": fmt(r["referred_on"]), "Referral Source": r["source"],
                "Referring Provider": r["source"], "Client Status": r["status"], "Status": r["status"]}[header]
    return cell


@pytest.fixture(scope="module")
def us_kit(tmp_path_factory):
    return partners_kit(make_project(tmp_path_factory.mktemp("exports-us") / "kit"), PARTNERS)


@pytest.mark.parametrize("system", sorted(US_SYSTEMS))
def test_a_us_systems_export_reads_as_it_comes_out(us_kit, tmp_path, system):
    project, kit = us_kit
    header, fmt = US_SYSTEMS[system]
    rows = sessionless(truth_rows(kit, 120, seed=len(system)))
    write(tmp_path / f"{system}.csv", header, rows, us_cell(fmt), bom=system == "simplepractice")
    result = report(project, tmp_path / f"{system}.csv", out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert read_report(tmp_path / "out") == expected_csv(kit, rows)
    notice = [line for line in result.stderr.splitlines() if "identify a patient" in line]
    assert len(notice) == 1, result.stderr
    no_leak(result, tmp_path / "out", len(rows))


# --- Australian systems, day-first dates, names with apostrophes, hyphens and accents ------------------------------

AU_PARTNERS = {
    "karen-oneil": "name: Karen O'Neil\ncredentials: MBBS, FRACGP\nspecialty: general-practice\npractice: Bondi GP\n",
    "lukas-muller-nunez": "name: Lukas Müller-Núñez\ncredentials: MBBS\nspecialty: general-practice\n"
                          "practice: Glebe Family Practice\n",
}
AU_SPELLINGS = {
    "karen-oneil": ["karen oneil", "Dr Karen O'Neil", "KAREN O’NEIL", "Karen O Neil", "Dr. Karen ONeil, FRACGP"],
    "lukas-muller-nunez": ["Lukas Muller-Nunez", "lukas muller nunez", "Dr Lukas Müller Núñez", "LUKAS MULLERNUNEZ"],
    "priya-raman": ["Priya Raman", "Dr Priya Raman (Harbourside)", "priya-raman"],
}
AU_OTHERS = ["Google", "Self", "Headspace Bondi", ""]


def au_rows(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        referred = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(680))
        written, truth = pick_source(rng, AU_SPELLINGS, 0.7, AU_OTHERS,
                                     lambda written: " ".join(written.split()).casefold() or "unknown")
        first = referred + datetime.timedelta(days=rng.randrange(0, 20)) if rng.random() < 0.6 else None
        first = first if first and first <= TODAY else None
        rows.append({"truth": truth, "referred_on": referred, "source": written, "first_session_on": first,
                     "sessions": rng.randrange(1, 11) if first else None, "status": "", "line": i + 2})
    return rows


@pytest.fixture(scope="module")
def au_kit(tmp_path_factory):
    return partners_kit(region_project(tmp_path_factory.mktemp("exports-au") / "kit", "au"), AU_PARTNERS)


def au_cell(fmt: Callable) -> Callable[[str, dict, dict], str]:
    def cell(header: str, r: dict, p: dict) -> str:
        return {"Patient ID": str(r["line"]), "First Name": p["first"], "Last Name": p["last"],
                "Client Name": p["name"], "Patient": p["name"], "Name": p["name"], "Date of Birth": p["dob"],
                "DOB": p["dob"], "Email": p["email"], "Mobile": p["phone"], "Phone": p["phone"],
                "Medicare": p["medicare"], "Medicare Number": p["medicare"], "DVA Card Number": "",
                "Address 1": f"{r['line']} {p['last']} Street", "Suburb": "Bondi", "Notes": p["diagnosis"],
                "Created At": fmt(r["referred_on"]), "Referral Date": fmt(r["referred_on"]),
                "Date referred": fmt(r["referred_on"]), "Referral Source": r["source"], "Referrer": r["source"],
                "Referring Practitioner": r["source"], "Referred by": r["source"],
                "First appointment": fmt(r["first_session_on"]),
                "Sessions": "" if r["sessions"] is None else str(r["sessions"]), "Referral Type": "Better Access",
                "Expiry Date": fmt(r["referred_on"] + datetime.timedelta(days=365)),
                "Appointments Attended": "" if r["sessions"] is None else str(r["sessions"])}[header]
    return cell


def cliniko_time(d: datetime.date | None) -> str:
    return f"{d.isoformat()} 09:{d.day:02d}:00 +1100" if d else ""


def day_first(d: datetime.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def day_first_short(d: datetime.date | None) -> str:
    return f"{d.day}/{d.month}/{d.year}" if d else ""


def dotted(d: datetime.date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else ""


def named(d: datetime.date | None) -> str:
    return d.strftime("%d %b %Y") if d else ""


AU_SYSTEMS = {
    # Cliniko: a patients data export (Patients-Cliniko-YYYYMMDD.csv); created_at and referral source, ISO times
    "cliniko": (["Patient ID", "First Name", "Last Name", "Date of Birth", "Email", "Mobile", "Address 1",
                 "Suburb", "Medicare", "DVA Card Number", "Created At", "Referral Source", "Notes"],
                cliniko_time, True),
    # Power Diary / Zanda: a client's referral with its referrer and referral date (headers unconfirmed)
    "powerdiary": (["Client Name", "Date of Birth", "Mobile", "Medicare Number", "Referrer", "Referral Date",
                    "Expiry Date"], day_first, True),
    # Halaxy: referrals under a patient's claim, counted by attended appointments (headers unconfirmed)
    "halaxy": (["Patient", "DOB", "Referring Practitioner", "Referral Date", "Referral Type", "Expiry Date",
                "Appointments Attended"], day_first_short, False),
    # a plain spreadsheet, European style: `;`, a BOM, dotted dates, the practice's own words
    "spreadsheet": (["Name", "Date referred", "Referred by", "First appointment", "Sessions", "Phone"], dotted,
                    False),
    # Jane: a patient list with the profile's referral; dates written with the month's name
    "jane": (["First Name", "Last Name", "Email", "Phone", "Date of Birth", "Referral Source", "Created At"], named,
             True),
}


@pytest.mark.parametrize("system", sorted(AU_SYSTEMS))
def test_an_australian_systems_export_reads_day_first_and_folds_names(au_kit, tmp_path, system):
    project, kit = au_kit
    header, fmt, no_sessions = AU_SYSTEMS[system]
    rows = au_rows(120, seed=len(system) * 7)
    rows = sessionless(rows) if no_sessions else rows
    if system == "halaxy":  # attended appointments, no first-session date: the truth has the count alone
        rows = [dict(r, first_session_on=None) for r in rows]
    write(tmp_path / f"{system}.csv", header, rows, au_cell(fmt), delimiter=";" if system == "spreadsheet" else ",",
          bom=system == "spreadsheet")
    result = report(project, tmp_path / f"{system}.csv", out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    want = expected_csv(kit, rows)
    assert read_report(tmp_path / "out") == want
    for slug in AU_SPELLINGS:  # every spelling counted for its partner: none left as an other source
        assert any(line.startswith(f"{slug},") for line in want)
    no_leak(result, tmp_path / "out", len(rows))


# --- date order ---------------------------------------------------------------------------------------------------

def project_with(tmp_path, config: str):
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", CONFIG + config)
    return project


def test_a_day_first_file_in_a_us_kit_reads_day_first_and_says_so(us_kit, tmp_path):
    project, _ = us_kit
    (tmp_path / "r.csv").write_text("Date Added,Referral Source\n03/04/2026,jane-smith\n20/05/2026,jane-smith\n",
                                    encoding="utf-8")
    result = report(project, tmp_path / "r.csv", out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert read_report(tmp_path / "out")[1:] == ["jane-smith,Dr. Jane Smith,2026-Q2,2,0,"]  # 3 April, 20 May
    assert result.stderr == (f"{tmp_path / 'r.csv'}:3: referred_on: warning: dates read day first (DD/MM/YYYY): "
                             "'20/05/2026' cannot be month first, the order region us writes; to say so and silence "
                             "this, set report: {dates: day-first} in kitgen.yaml\n")


def test_a_file_writing_dates_both_ways_is_refused_where_it_contradicts_itself(us_kit, tmp_path):
    project, _ = us_kit
    (tmp_path / "r.csv").write_text("Date Added,Referral Source\n11/20/2025,jane-smith\n03/04/2026,jane-smith\n"
                                    "20/05/2026,jane-smith\n", encoding="utf-8")
    result = report(project, tmp_path / "r.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'r.csv'}:4: referred_on: '20/05/2026' can only be day first, but '11/20/2025' on line 2 can "
        "only be month first: the file writes dates both ways, so kitgen cannot tell what 03/04 means in it; "
        "correct the odd ones, or export the dates as YYYY-MM-DD", "kitgen: 1 error; nothing was written"]
    assert not (tmp_path / "out").exists()


def test_an_order_set_in_kitgen_yaml_is_kept_and_a_date_against_it_is_located(tmp_path):
    project = project_with(tmp_path, "report: {dates: day-first}\n")
    (tmp_path / "r.csv").write_text("referred_on,source\n03/04/2026,jane-smith\n11/20/2025,jane-smith\n",
                                    encoding="utf-8")
    result = report(project, tmp_path / "r.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'r.csv'}:3: referred_on: '11/20/2025' is not a date (read day first, DD/MM/YYYY, as "
        "kitgen.yaml report.dates: day-first writes them; YYYY-MM-DD always reads); it reads only month first: "
        "correct it, or set report.dates in kitgen.yaml")
    (tmp_path / "r.csv").write_text("referred_on,source\n03/04/2026,jane-smith\n", encoding="utf-8")
    assert report(project, tmp_path / "r.csv", out=tmp_path / "out").exit_code == 0
    assert read_report(tmp_path / "out")[1:] == ["jane-smith,Dr. Jane Smith,2026-Q2,1,0,"]  # 3 April


# --- kitgen.yaml's own mapping ------------------------------------------------------------------------------------

def test_columns_mapped_in_kitgen_yaml_are_read(tmp_path):
    project = project_with(tmp_path, 'report:\n  columns: {referred_on: "Fecha de alta", source: "Quién refirió"}\n'
                                     "  dates: iso\n")
    (tmp_path / "r.csv").write_text("Nombre,Fecha de alta,Quién refirió\nZebulon Quixby,2026-02-03,Dr. Jane Smith\n"
                                    "Philippa Thwaitely,2026-05-06,Google\n", encoding="utf-8")
    result = report(project, tmp_path / "r.csv", out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert read_report(tmp_path / "out")[1:] == ["jane-smith,Dr. Jane Smith,2026-Q1,1,0,", ",Google,2026-Q2,1,0,"]
    assert "Quixby" not in result.output and "Quixby" not in (tmp_path / "out/desk/report.html").read_text()


@pytest.mark.parametrize("config, message", [
    ('report:\n  columns: {source: "Client Name"}\n',
     "kitgen.yaml:5: report.columns.source: 'Client Name' looks like a patient identifier (a name); map the column "
     "that names the referrer or the date, never one about the patient"),
    ("report:\n  dates: dd/mm\n",
     "kitgen.yaml:5: report.dates: unknown value 'dd/mm'; choose one of: month-first, day-first, iso"),
])
def test_a_wrong_report_setting_is_located_in_kitgen_yaml(tmp_path, config, message):
    project = project_with(tmp_path, config)
    (tmp_path / "r.csv").write_text("referred_on,source\n2026-01-02,x\n", encoding="utf-8")
    result = report(project, tmp_path / "r.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert message in result.stderr.splitlines(), result.stderr


def test_a_mapped_column_missing_from_the_file_is_located_at_its_header(tmp_path):
    project = project_with(tmp_path, 'report: {columns: {source: "Referred By"}}\n')
    (tmp_path / "r.csv").write_text("referred_on,Referral Source\n2026-01-02,x\n", encoding="utf-8")
    result = report(project, tmp_path / "r.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert (f"{tmp_path / 'r.csv'}:1: source: no column 'Referred By', which kitgen.yaml maps source to "
            "(report.columns.source); the header has: referred_on, Referral Source") in result.stderr.splitlines()
