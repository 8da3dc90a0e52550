"""`kitgen report FILE.csv`: referrals read from a practice's export, checked against a known truth figure by figure.

The CSV is written from a list of true referrals (which partner or other source, when, whether and how often the
client came), each source spelled one of the many ways staff type it; report.csv must give back exactly the
counts and medians computed here from the truth. Then: patient columns refused, mistakes located, no input row
in any output, and the file shapes spreadsheets write (BOM, CRLF, `;`, tabs) all read the same.
"""

from __future__ import annotations

import csv
import datetime
import random
import re
import statistics
import zlib
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import make_project
from exportfiles import write_export

from kitgen.commands.cli import main
from kitgen.content.load import load_kit
from kitgen.report.match import name_key

HEADER = "partner,source,quarter,referrals,first_sessions,median_sessions"
TODAY = datetime.date(2026, 11, 20)  # conftest's KITGEN_TODAY

PARTNERS = {
    "tomas-alvarez": "name: Tomás Álvarez\ncredentials: MD\nspecialty: family-medicine\npractice: McKenzie Valley\n"
                     "contacts:\n  - {date: 2026-02-03, kind: visit, minutes: 40}\n"
                     "  - {date: 2026-06-30, kind: thank-you, note: Card}\n",
    "lee-park": "name: Lee Park\ncredentials: PA-C\nspecialty: family-medicine\npractice: Northside Clinic\n"
                "contacts:\n  - {date: 2026-03-01, kind: visit, minutes: 30}\n"
                "  - {date: 2026-05-01, kind: lunch-and-learn, minutes: 90}\n",
    "anh-do": "name: Anh Do\ncredentials: DO\nspecialty: pediatrics\npractice: Kids First\nlast_contact: 2026-10-01\n",
}


def spellings(kit) -> dict[str, list[str]]:
    """Every way a partner's source is written in the test file: code and slug in any case, names with titles,
    credentials, accents or not, parentheses, odd spacing."""
    code = {p.slug: kit.referral_code(p) for p in kit.partners}
    return {
        "jane-smith": ["jane-smith", "JANE-SMITH", code["jane-smith"], code["jane-smith"].lower(), "Jane Smith",
                       "Dr. Jane Smith", "Dr Jane Smith", "DR. JANE SMITH, MD", "Jane Smith MD FACOG",
                       "Jane Smith, M.D.", "Jane Smith (Lakeside Women's Health)", "  jane   smith ",
                       "Doctor Jane Smith", "dr.jane smith"],
        "tomas-alvarez": ["tomas-alvarez", code["tomas-alvarez"], "Tomas Alvarez", "Dr. Tomás Álvarez",
                          "TOMÁS ÁLVAREZ MD", "tomás álvarez (mckenzie)", "Dr. Tomas Alvarez, MD"],
        "lee-park": ["lee-park", "Lee Park", "Lee Park, PA-C", "LEE PARK PA-C", code["lee-park"]],
        "anh-do": ["anh-do", "Dr. Anh Do", "Anh Do, DO", "anh do", "Anh Do DO"],
    }


# Other sources: what they are written as -> the group they count under (the most common spelling wins its name).
OTHERS = {"Psychology Today": "psychology today", "psychology today": "psychology today",
          "PSYCHOLOGY  TODAY": "psychology today", "Google": "google", "Smith, Jane": "smith, jane",
          "Jane Smyth": "jane smyth", "": "unknown", "   ": "unknown", "=1+2 Hospital": "=1+2 hospital"}


def pick_source(rng: random.Random, names: dict[str, list[str]], share: float, others: list[str],
                group: Callable[[str], str]) -> tuple[str, str]:
    """One referral's source as written and as it truly is: a partner (slug) in `share` of them, spelled one of
    its ways, else an other source, counted under "other:" + `group(written)`."""
    if rng.random() < share:
        slug = rng.choice(sorted(names))
        return rng.choice(names[slug]), slug
    written = rng.choice(others)
    return written, "other:" + group(written)


def truth_rows(kit, n: int = 400, seed: int = 7) -> list[dict]:
    """n referrals with what really happened; written spellings vary, the truth does not."""
    rng = random.Random(seed)
    names = spellings(kit)
    others = list(OTHERS)
    rows = []
    for i in range(n):
        referred = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randrange(680))
        written, truth = pick_source(rng, names, 0.65, others, OTHERS.__getitem__)
        roll = rng.random()
        if roll < 0.3 or referred > TODAY - datetime.timedelta(days=20):  # never booked
            first, sessions = None, None
        elif roll < 0.4:  # came, session count left blank
            first, sessions = referred + datetime.timedelta(days=rng.randrange(0, 20)), None
        else:
            first, sessions = referred + datetime.timedelta(days=rng.randrange(0, 20)), rng.randrange(0, 30)
        rows.append({"truth": truth, "referred_on": referred, "source": written, "first_session_on": first,
                     "sessions": sessions, "status": rng.choice(["active", "", "discharged"]), "line": i + 2})
    rows.append({"truth": "lee-park", "referred_on": datetime.date(2026, 7, 15), "source": "Lee Park",
                 "first_session_on": datetime.date(2026, 7, 20), "sessions": 5, "status": "", "line": n + 2})
    return rows


def expected_csv(kit, rows: list[dict]) -> list[str]:
    """report.csv computed from the truth alone: partners by slug, then other sources by total, then name."""
    display = {p.slug: p.display_name for p in kit.partners}
    spelled: dict[str, dict[str, int]] = {}  # an other source is shown as staff spelled it most often
    for r in rows:
        if r["truth"].startswith("other:"):
            written = " ".join(r["source"].split()) or "unknown"
            counts = spelled.setdefault(r["truth"], {})
            counts[written] = counts.get(written, 0) + 1
    for key, counts in spelled.items():
        display[key] = max(counts, key=lambda s: counts[s])
    groups: dict[str, dict[str, list[dict]]] = {}
    for r in rows:
        q = f"{r['referred_on'].year}-Q{(r['referred_on'].month - 1) // 3 + 1}"
        groups.setdefault(r["truth"], {}).setdefault(q, []).append(r)

    def lines(key: str) -> list[str]:
        out = []
        for q, rs in sorted(groups[key].items()):
            started = [r for r in rs if r["first_session_on"]]
            counted = [r["sessions"] for r in started if r["sessions"] is not None]
            median = "" if not counted else statistics.median(counted)
            median = str(int(median)) if median != "" and median == int(median) else (
                f"{median:.1f}" if median != "" else "")
            partner = "" if key.startswith("other:") else key
            name = display[key]
            name = "'" + name if name.startswith(("=", "+", "-", "@")) else name
            out.append(",".join([partner, _csv(name), q, str(len(rs)), str(len(started)), median]))
        return out

    partners = sorted(k for k in groups if not k.startswith("other:"))
    others = sorted((k for k in groups if k.startswith("other:")),
                    key=lambda k: (-sum(len(v) for v in groups[k].values()), display[k].casefold()))
    return [HEADER] + [line for k in partners + others for line in lines(k)]


def _csv(text: str) -> str:
    return f'"{text}"' if any(c in text for c in ',"') else text


def write_csv(path: Path, rows: list[dict], *, delimiter: str = ",", newline: str = "\n", bom: bool = False,
              header: tuple[str, ...] = ("referred_on", "source", "first_session_on", "sessions", "status"),
              extra: dict[str, str] | None = None) -> Path:
    def line(r: dict) -> list[str]:
        values = {"referred_on": r["referred_on"].isoformat(), "source": r["source"],
                  "first_session_on": r["first_session_on"].isoformat() if r["first_session_on"] else "",
                  "sessions": "" if r["sessions"] is None else str(r["sessions"]), "status": r["status"]}
        return [values[h.lower().strip().replace(" ", "_")] for h in header] + [v.format(**r) for v in (extra or {}).values()]
    return write_export(path, list(header) + list(extra or {}), map(line, rows), delimiter=delimiter, newline=newline,
                        bom=bom)


def partners_kit(project, partners: dict[str, str]):
    """`project` with these partner files added, and its kit as loaded."""
    for slug, text in partners.items():
        project.write(f"content/partners/{slug}.yaml", text)
    kit, _ = load_kit(project.root)
    return project, kit


@pytest.fixture(scope="module")
def kit_project(tmp_path_factory):
    return partners_kit(make_project(tmp_path_factory.mktemp("report") / "kit"), PARTNERS)


def report(project, csv_file: Path | str, *args: str, out: Path | None = None):
    result = CliRunner().invoke(main, ["report", str(csv_file), "--project", str(project.root),
                                       "--out", str(out or project.root / "out"), *args])
    assert "Traceback" not in result.output, result.output
    return result


def read_report(out: Path) -> list[str]:
    data = (out / "desk/report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a byte-order mark, so Excel reads the accents"
    return data[3:].decode("utf-8").splitlines()


# --- the figures -------------------------------------------------------------------------------------------------

def test_report_csv_matches_the_truth_figure_by_figure(kit_project, tmp_path):
    project, kit = kit_project
    rows = truth_rows(kit)
    result = report(project, write_csv(tmp_path / "referrals.csv", rows), out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    got, want = read_report(tmp_path / "out"), expected_csv(kit, rows)
    assert got[0] == HEADER
    assert got == want
    assert sorted((tmp_path / "out").rglob("*")) == [tmp_path / "out/desk", *(tmp_path / f"out/desk/report.{x}"
                                                                             for x in ("csv", "html", "pdf")),
                                                      tmp_path / "out/desk/standing.json"]  # for plan and list
    assert f"kitgen: {len(rows)} referrals, " in result.stdout


def test_every_spelling_of_a_partner_counts_for_that_partner_and_near_misses_do_not(kit_project):
    _, kit = kit_project
    from kitgen.report.match import Matcher
    matcher = Matcher(kit)
    for slug, written in spellings(kit).items():
        for text in written:
            assert matcher.match(text).key == slug, text
    for text in ("Smith, Jane", "Jane Smyth", "Jane", "Dr. Smith", "Lee Parker", "Park", "Dr. Anh", "XXXX", "jane_smith"):
        assert matcher.match(text).partner is None, text
    assert matcher.match("").name == matcher.match("  ").name == "unknown"


def test_name_keys_drop_titles_credentials_accents_and_parentheses():
    assert name_key("Dr. Tomás Álvarez, M.D., FACOG (McKenzie Valley)") == "tomas alvarez"
    assert name_key("DOCTOR  JANE SMITH MD") == "jane smith"
    assert name_key("Anh Do") == name_key("Dr. Anh Do, DO") == "anh do"  # a surname that is also a credential


def test_a_quarter_is_the_calendar_quarter_of_the_referral_date(kit_project, tmp_path):
    project, _ = kit_project
    (tmp_path / "r.csv").write_text("Referred_On,SOURCE,First_Session_On,Sessions\n2025-03-31,jane-smith,2025-04-02,3\n"
                                    "2025-04-01,jane-smith,,\n2025-12-31,Jane Smith,2026-01-05,4\n2026-01-01,jane-smith"
                                    ",2026-01-05,6\n2026-01-02,jane-smith,2026-01-09,\n", encoding="utf-8")
    assert report(project, tmp_path / "r.csv", out=tmp_path / "out").exit_code == 0
    assert read_report(tmp_path / "out") == [
        HEADER, "jane-smith,Dr. Jane Smith,2025-Q1,1,1,3", "jane-smith,Dr. Jane Smith,2025-Q2,1,0,",
        "jane-smith,Dr. Jane Smith,2025-Q4,1,1,4", "jane-smith,Dr. Jane Smith,2026-Q1,2,2,6"]


# --- no patient details ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("column", [
    "name", "Client Name", "first_name", "LastName", "Surname", "client", "Patient", "patient_id", "DOB",
    "Date of Birth", "birthdate", "Email", "E-mail address", "Phone", "Mobile", "Address", "Street", "ZIP",
    "Zip Code", "Postcode", "MRN", "Medical Record Number", "Chart #", "Medicare Number", "Insurance ID",
    "Member ID", "SSN", "Diagnosis", "ICD-10", "Notes", "Comments"])
def test_a_patient_identifier_column_is_skipped_unread_and_named_in_one_notice(kit_project, tmp_path, column):
    """The column's values (a fake name per row) appear nowhere; its header is named once, on stderr."""
    project, kit = kit_project
    rows = truth_rows(kit, 5)
    csv_file = write_csv(tmp_path / "referrals.csv", rows, extra={column: "Zebulon Quixby{line}"})
    result = report(project, csv_file, out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    (notice,) = result.stderr.splitlines()
    assert notice.startswith(f"{csv_file}:1: columns: warning: 1 that identify a patient, skipped unread: {column} (")
    assert notice.endswith(". kitgen keeps, prints and writes none of their values")
    assert read_report(tmp_path / "out") == expected_csv(kit, rows)
    for path in (tmp_path / "out").rglob("*.*"):
        assert b"Quixby" not in path.read_bytes(), path
    assert "Quixby" not in result.output


@pytest.mark.parametrize("column", [
    "PATIENTNAME", "clientname", "fname", "D.O.B.", "Cellphone", "emailaddress", "Zip5", "Guarantor",
    "Emergency contact", "PtID", "nombre", "Apellidos", "paciente", "Nombre del paciente", "telefono", "Teléfono",
    "Fecha de nacimiento", "Correo electrónico", "Dirección", "Código postal", "Edad", "prénom", "Nom",
    "Nom de famille", "Date de naissance", "Courriel", "Téléphone", "Adresse", "Âge", "Numéro de sécurité sociale",
    "Patient's doctor name"])
def test_patient_columns_are_recognised_however_exports_spell_them_in_every_shipped_language(kit_project, tmp_path,
                                                                                              column):
    """Case, accents and separators folded, words searched inside the header: named as a patient column, never
    merely "not used"."""
    project, kit = kit_project
    csv_file = write_csv(tmp_path / "referrals.csv", truth_rows(kit, 5), extra={column: "x"})
    result = report(project, csv_file, out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0].startswith(f"{csv_file}:1: columns: warning: 1 that identify a patient, "
                                                    f"skipped unread: {column} (")
    assert "not used" not in result.stderr


def test_columns_naming_the_referrer_the_date_or_a_code_are_not_taken_for_patient_columns(kit_project, tmp_path):
    project, kit = kit_project
    extras = ["Referral source type", "Referring physician NPI", "Referral code",
              "Code", "Practice name", "Clinic name", "Program name", "Clinician name", "Referral ID", "Quarter",
              "Cancelled sessions", "Nombre del médico", "Fuente", "Fecha de derivación", "Nom du médecin",
              "Médecin référent", "Statut", "Priority", "Page"]
    csv_file = write_csv(tmp_path / "referrals.csv", truth_rows(kit, 5), extra={c: "x" for c in extras})
    result = report(project, csv_file, out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"{csv_file}:1: columns: warning: not used: {', '.join(extras)}; kitgen reads only "
                             "referred_on, source, first_session_on, sessions and status\n")


def test_the_columns_kitgen_reads_and_harmless_extras_are_not_refused(kit_project, tmp_path):
    project, kit = kit_project
    csv_file = write_csv(tmp_path / "referrals.csv", truth_rows(kit, 5), extra={"Clinician": "Ana Ruiz"},
                         header=("REFERRED_ON", "Source", "first session on", "Sessions", " status "))
    result = report(project, csv_file, out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{csv_file}:1: columns: warning: not used: Clinician; kitgen reads only referred_on, " \
                            "source, first_session_on, sessions and status\n"


def test_no_input_row_reaches_any_output(kit_project, tmp_path):
    """Statuses and ignored columns carry unique markers, and the referral dates are dates no partner log has:
    none may appear in report.csv, report.html or report.pdf (text and raw streams). An other source's text
    appears, and only as a source's name."""
    project, kit = kit_project
    rows = truth_rows(kit, 60, seed=3)
    for i, r in enumerate(rows):
        r["status"] = f"STATUSMARK{i:03d}"
    rows[0].update(source="OTHERSOURCEMARK", truth="other:OTHERSOURCEMARK")
    csv_file = write_csv(tmp_path / "referrals.csv", rows, extra={"clinician": "CLINICIANMARK{line}"})
    result = report(project, csv_file, out=tmp_path / "out")
    assert result.exit_code == 0, result.output
    desk = tmp_path / "out/desk"
    pdf = desk / "report.pdf"
    texts = {"csv": (desk / "report.csv").read_text(encoding="utf-8-sig"),
             "html": (desk / "report.html").read_text(encoding="utf-8"),
             "pdf": " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages) + _raw_streams(pdf)}
    log_dates = set(re.findall(r"\d{4}-\d{2}-\d{2}", "".join(PARTNERS.values()))) | {TODAY.isoformat()}
    input_dates = {r["referred_on"].isoformat() for r in rows} | {
        r["first_session_on"].isoformat() for r in rows if r["first_session_on"]}
    for name, text in texts.items():
        assert "STATUSMARK" not in text and "CLINICIANMARK" not in text, name
        leaked = {d for d in re.findall(r"\d{4}-\d{2}-\d{2}", text) if d in input_dates - log_dates}
        assert not leaked, (name, leaked)
        assert text.count("OTHERSOURCEMARK") >= 1, name
    assert [line.split(",")[1] for line in texts["csv"].splitlines() if "OTHERSOURCEMARK" in line] == [
        "OTHERSOURCEMARK"]
    assert re.findall(r"<[^<>]*>OTHERSOURCEMARK<", texts["html"]) == ['<th scope="row">OTHERSOURCEMARK<']


def _raw_streams(pdf: Path) -> str:
    """Every stream of the PDF, inflated where it can be, as Latin-1 text: what a text search of the file sees."""
    data = pdf.read_bytes()
    found = [data.decode("latin-1")]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            found.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            found.append(m.group(1).decode("latin-1"))
    return " ".join(found)


def test_a_formula_typed_as_a_source_is_quoted_in_report_csv(kit_project, tmp_path):
    project, _ = kit_project
    (tmp_path / "r.csv").write_text("referred_on,source\n2026-01-05,=HYPERLINK(\"http://x.example\")\n"
                                    "2026-01-06,@SUM(A1)\n2026-01-07,+1\n2026-01-08,-2\n", encoding="utf-8")
    assert report(project, tmp_path / "r.csv", out=tmp_path / "out").exit_code == 0
    sources = [row[1] for row in csv.reader(read_report(tmp_path / "out")[1:])]
    assert sorted(sources) == ["'+1", "'-2", "'=HYPERLINK(\"http://x.example\")", "'@SUM(A1)"]


# --- mistakes, located -------------------------------------------------------------------------------------------

def test_every_mistake_is_located_at_once_and_nothing_is_written(kit_project, tmp_path, monkeypatch):
    project, _ = kit_project
    monkeypatch.chdir(tmp_path)
    Path("referrals.csv").write_text(
        "referred_on,source,first_session_on,sessions,status\n"
        "2026-01-05,jane-smith,2026-01-09,4,active\n"     # 2: fine
        "13/45/2026,jane-smith,,,\n"                       # 3
        "2026-12-01,Lee Park,,,\n"                         # 4: the future
        "2026-02-01,Lee Park,2026-02-03,four,\n"           # 5
        ",Google,,,\n"                                     # 6
        "2026-03-01,Google,2026-02-01,3,\n"                # 7: seen before referred
        "2026-02-30,Google,2027-01-01,,\n"                 # 8: no such day; future first session
        "\n"                                               # 9: blank lines are skipped
        "2026-04-01,Google,2026-04-02,2.5,\n"              # 10
        "2026-04-01,Google,,,,,EXTRA\n",                   # 11: a value without a column
        encoding="utf-8")
    result = report(project, "referrals.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "referrals.csv:3: referred_on: '13/45/2026' is not a date (read month first, MM/DD/YYYY, as region us "
        "writes them; YYYY-MM-DD always reads)",
        "referrals.csv:4: referred_on: 2026-12-01 is in the future (today is 2026-11-20)",
        "referrals.csv:5: sessions: 'four' is not a whole number of sessions",
        "referrals.csv:6: referred_on: is empty; every referral needs the date it came in",
        "referrals.csv:7: first_session_on: 2026-02-01 is before referred_on 2026-03-01; leave it empty if the "
        "client was seen before this referral",
        "referrals.csv:8: first_session_on: 2027-01-01 is in the future (today is 2026-11-20)",
        "referrals.csv:8: referred_on: '2026-02-30' is not a date (read month first, MM/DD/YYYY, as region us "
        "writes them; YYYY-MM-DD always reads)",
        "referrals.csv:10: sessions: '2.5' is not a whole number of sessions",
        "referrals.csv:11: value 7: has values but no name in the header; delete it (kitgen reads only "
        "referred_on, source, first_session_on, sessions and status)",
        "kitgen: 9 errors; nothing was written",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, message", [
    ("", "referrals.csv: file: is empty; it needs a header line (referred_on,source,first_session_on,sessions,"
         "status) and one row per referral"),
    ("\r\n  \n", "referrals.csv: file: is empty; it needs a header line (referred_on,source,first_session_on,"
                 "sessions,status) and one row per referral"),
    ("referred_on,source\n", "referrals.csv:1: file: has a header but no referrals; add one row per referral"),
    ("referred_on,sessions\n2026-01-01,3\n", "referrals.csv:1: source: no such column (the header has: "
                                             "referred_on, sessions); if one of them is it, name it in kitgen.yaml: "
                                             'report: {columns: {source: "..."}}'),
    ("referred_on,source,Source\n2026-01-01,a,b\n", "referrals.csv:1: Source: appears twice in the header "
                                                    "(columns 2 and 3); keep one"),
])
def test_files_without_referrals_say_so(kit_project, tmp_path, monkeypatch, content, message):
    project, _ = kit_project
    monkeypatch.chdir(tmp_path)
    Path("referrals.csv").write_text(content, encoding="utf-8")
    result = report(project, "referrals.csv", out=tmp_path / "out")
    assert (result.exit_code, result.stderr.splitlines()[0]) == (1, message)
    assert not (tmp_path / "out").exists()


def test_a_file_in_a_windows_code_page_is_located_with_the_fix(kit_project, tmp_path, monkeypatch):
    project, _ = kit_project
    monkeypatch.chdir(tmp_path)
    Path("referrals.csv").write_bytes("referred_on,source\n2026-01-05,jane-smith\n2026-01-06,Tomás Álvarez\n"
                                      .encode("cp1252"))
    result = report(project, "referrals.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ('referrals.csv:3: file: is not UTF-8 text (byte 0xe1); save it as '
                                             '"CSV UTF-8" in Excel, or with the UTF-8 character set in LibreOffice')


def test_kit_errors_and_file_errors_are_reported_together(tmp_path, monkeypatch):
    broken = make_project(tmp_path / "broken")
    broken.write("content/partners/jane-smith.yaml", "name: Jane Smith\ncredentials: MD\nspecialty: OB/GYN\n"
                                                     "practice: Lakeside\n")
    monkeypatch.chdir(tmp_path)
    Path("referrals.csv").write_text("referred_on,source\nyesterday,x\n", encoding="utf-8")
    result = report(broken, "referrals.csv", out=tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/partners/jane-smith.yaml:3: specialty: 'OB/GYN' is not a slug: use lowercase letters, digits and "
        "hyphens", "referrals.csv:2: referred_on: 'yesterday' is not a date (read month first, MM/DD/YYYY, as region "
        "us writes them; YYYY-MM-DD always reads)",
        "kitgen: 2 errors; nothing was written"]


# --- the shapes of CSV spreadsheets write --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [
    dict(), dict(bom=True), dict(newline="\r\n"), dict(delimiter=";"), dict(delimiter=";", newline="\r\n", bom=True),
    dict(delimiter="\t", bom=True)])
def test_bom_crlf_semicolons_and_tabs_all_read_the_same(kit_project, tmp_path, shape):
    project, kit = kit_project
    rows = truth_rows(kit, 80, seed=11)  # the plain shape (shape0) is the others' reference
    shaped = report(project, write_csv(tmp_path / "shaped.csv", rows, **shape), out=tmp_path / "shaped")
    assert shaped.exit_code == 0, shaped.output
    assert read_report(tmp_path / "shaped") == expected_csv(kit, rows)


def test_a_utf16_file_with_its_byte_order_mark_reads_the_same(kit_project, tmp_path):
    project, kit = kit_project
    rows = truth_rows(kit, 40, seed=5)
    utf8 = write_csv(tmp_path / "plain.csv", rows, delimiter="\t")
    (tmp_path / "utf16.csv").write_bytes(utf8.read_text(encoding="utf-8").encode("utf-16"))
    assert report(project, tmp_path / "utf16.csv", out=tmp_path / "out").exit_code == 0
    assert read_report(tmp_path / "out") == expected_csv(kit, rows)


def test_a_semicolon_file_with_commas_inside_quoted_sources_reads(kit_project, tmp_path):
    project, _ = kit_project
    (tmp_path / "r.csv").write_bytes("\ufeffreferred_on;source;first_session_on;sessions\r\n2026-01-05;\"Smith, Jane\""
                                     ";2026-01-09;3\r\n2026-01-06;DR. JANE SMITH, MD;;\r\n".encode("utf-8"))
    assert report(project, tmp_path / "r.csv", out=tmp_path / "out").exit_code == 0
    assert read_report(tmp_path / "out") == [HEADER, "jane-smith,Dr. Jane Smith,2026-Q1,1,0,",
                                             ',"Smith, Jane",2026-Q1,1,1,3']


# --- the relationship log in the report ----------------------------------------------------------------------------

def test_the_action_lists_follow_the_log(kit_project, tmp_path):
    """Tomás referred after his thank-you; Lee was visited twice and never referred... until 2026-07-15 in the
    truth rows, so here with no rows of his; Jane was never contacted."""
    project, _ = kit_project
    (tmp_path / "r.csv").write_text("referred_on,source\n2026-06-01,tomas-alvarez\n2026-07-01,tomas-alvarez\n"
                                    "2026-07-02,Tomas Alvarez\n2026-03-01,Jane Smith\n", encoding="utf-8")
    assert report(project, tmp_path / "r.csv", out=tmp_path / "out").exit_code == 0
    html = (tmp_path / "out/desk/report.html").read_text(encoding="utf-8")
    sections = {h: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip() for h, body in re.findall(
        r'<h3 id="todo-(\w+)">.*?</h3>(.*?)</section>', html, re.DOTALL)}
    assert sections["thanks"] == ("Dr. Tomás Álvarez: 2 referrals since your thank-you on 2026-06-30 "
                                  "Dr. Jane Smith: 1 referral and no thank-you logged")
    assert sections["visited"] == "Lee Park: 2 visits, 120 minutes logged"
    assert sections["contact"] == ("Dr. Jane Smith: never contacted Lee Park: last contact 2026-05-01 (203 days "
                                   "ago) Dr. Tomás Álvarez: last contact 2026-06-30 (143 days ago)")


def test_a_column_without_a_name_is_refused_where_it_first_has_a_value(kit_project, tmp_path, monkeypatch):
    project, _ = kit_project
    monkeypatch.chdir(tmp_path)
    Path("referrals.csv").write_text("referred_on,source,,sessions\n2026-01-05,jane-smith,,\n"
                                     "2026-01-06,jane-smith,Jane Doe,\n2026-01-07,jane-smith,John Roe,\n",
                                     encoding="utf-8")
    result = report(project, "referrals.csv", out=tmp_path / "out")
    assert result.stderr.splitlines() == [
        "referrals.csv:3: column 3: has values but no name in the header; delete it (kitgen reads only referred_on, "
        "source, first_session_on, sessions and status)", "kitgen: 1 error; nothing was written"]
    assert not (tmp_path / "out").exists()


def test_the_report_goes_to_desk_beside_a_build_and_touches_nothing_else(kit_project, tmp_path):
    project, kit = kit_project
    out = tmp_path / "out"
    (out / "site/jane-smith").mkdir(parents=True)
    (out / "site/jane-smith/index.html").write_text("page", encoding="utf-8")
    (out / "desk").mkdir()
    (out / "desk/followups.ics").write_text("calendar", encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert report(project, write_csv(tmp_path / "r.csv", truth_rows(kit, 20)), out=out).exit_code == 0
    after = {p for p in out.rglob("*") if p.is_file()}
    assert after - set(before) == {out / "desk/report.csv", out / "desk/report.html", out / "desk/report.pdf",
                                   out / "desk/standing.json"}
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())


def test_an_output_folder_that_is_the_project_is_refused(kit_project, tmp_path):
    project, kit = kit_project
    result = report(project, write_csv(tmp_path / "r.csv", truth_rows(kit, 5)), out=project.root)
    assert result.exit_code == 1
    assert "--out: refusing to build here: the project folder itself" in result.stderr
    assert not (project.root / "desk").exists()


def test_the_report_lists_the_thirty_busiest_other_sources_and_counts_the_rest(kit_project, tmp_path):
    project, _ = kit_project
    lines = ["referred_on,source"] + [f"2026-01-{1 + i % 28:02d},Source {i:02d}" for i in range(40) for _ in
                                      range(1 + (i == 7) * 5)]
    (tmp_path / "r.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert report(project, tmp_path / "r.csv", out=tmp_path / "out").exit_code == 0
    html = (tmp_path / "out/desk/report.html").read_text(encoding="utf-8")
    listed = re.findall(r'<th scope="row">(Source \d+)</th>', html)
    assert listed[0] == "Source 07" and len(listed) == 30
    assert "And 10 more sources with 10 referrals in all, each in report.csv." in html
    assert len(read_report(tmp_path / "out")) == 1 + 40


# --- the second process ------------------------------------------------------------------------------------------

def test_rendering_here_and_in_the_second_process_give_the_same_report(kit_project, tmp_path, monkeypatch):
    """Where processes cannot be forked (Windows, macOS), everything is rendered in the one process."""
    project, kit = kit_project
    csv_file = write_csv(tmp_path / "r.csv", truth_rows(kit, 60))
    assert report(project, csv_file, out=tmp_path / "forked").exit_code == 0
    from kitgen.report import worker
    monkeypatch.setattr(worker.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert report(project, csv_file, out=tmp_path / "here").exit_code == 0
    for name in ("report.csv", "report.html"):
        assert (tmp_path / "here/desk" / name).read_bytes() == (tmp_path / "forked/desk" / name).read_bytes()
    assert pypdf.PdfReader(tmp_path / "here/desk/report.pdf").pages[0].extract_text() == \
        pypdf.PdfReader(tmp_path / "forked/desk/report.pdf").pages[0].extract_text()


def test_a_failure_in_the_second_process_is_raised_here_and_nothing_is_written(kit_project, tmp_path, monkeypatch):
    project, kit = kit_project
    from kitgen.report import worker

    def broken(kit, report):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr(worker, "render", broken)  # before the fork, so the worker has it too
    result = CliRunner().invoke(main, ["report", str(write_csv(tmp_path / "r.csv", truth_rows(kit, 5))),
                                       "--project", str(project.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == "kitgen: report failed (RuntimeError: the renderer broke); nothing was written\n"
    assert not (tmp_path / "out").exists()
