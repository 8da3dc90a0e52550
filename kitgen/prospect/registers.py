"""The three registers, recognised by their header (epraccur by its shape: it has none), read as a stream.

The NPPES file is ~10 GB: it is read in 16 MB blocks, and only the lines that show a wanted ZIP code's first
digits after a comma or quote are parsed with the csv module (benchmarks/prospect_bench.py measured this against
parsing every row and against pyarrow's streaming reader: docs/prospects.md). Memory stays one block plus the few
rows kept.

Column names, checked against public copies of each file's layout:
- NPPES (npidata_pfile_*.csv, CMS "NPPES Data Dissemination – Readme", file layout): "NPI", "Entity Type Code"
  (1 = individual), "Provider Last Name (Legal Name)", "Provider First Name", "Provider Credential Text",
  "Provider Organization Name (Legal Business Name)", "Provider First Line Business Practice Location Address",
  "Provider Second Line …", "Provider Business Practice Location Address City Name" / "State Name" /
  "Postal Code" / "Telephone Number" / "Fax Number", "NPI Deactivation Date", "NPI Reactivation Date",
  "Healthcare Provider Taxonomy Code_1".."_15", "Healthcare Provider Primary Taxonomy Switch_1".."_15" (Y, N, X).
- DAC (DAC_NationalDownloadableFile.csv, CMS Provider Data Catalog, Doctors and Clinicians data dictionary): the
  2024/2025 files renamed some columns ("Provider Last Name", "Provider First Name", "Facility Name", "City/Town",
  "State", "ZIP Code", "Telephone Number"), older ones say lst_nm, frst_nm, org_nm, cty, st, zip, phn_numbr; both
  are read. Unchanged: NPI, Ind_PAC_ID, Cred, pri_spec, sec_spec_all, adr_ln_1, adr_ln_2. One row per clinician,
  enrolment and address: an NPI is kept once.
- epraccur (NHS England ODS "GP practices", epraccur.csv, no header row, 27 columns): 1 organisation code,
  2 name, 5-9 address lines 1-5, 10 postcode, 13 status code (A active, C closed, D dormant, P proposed),
  18 contact telephone number, 26 prescribing setting (4 = GP practice). Layout as NHS Digital documents it and as
  nhsconnect/prm-gp-registrations-mi-infra reads it (utils/trud_files.py).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kitgen.prospect import specialties as sp
from kitgen.prospect.near import Area

BLOCK = 16 << 20

NPPES_NEEDED = ["NPI", "Entity Type Code", "Provider Last Name (Legal Name)", "Provider First Name",
                "Provider Credential Text", "Provider Organization Name (Legal Business Name)",
                "Provider First Line Business Practice Location Address",
                "Provider Second Line Business Practice Location Address",
                "Provider Business Practice Location Address City Name",
                "Provider Business Practice Location Address State Name",
                "Provider Business Practice Location Address Postal Code",
                "Provider Business Practice Location Address Telephone Number",
                "Provider Business Practice Location Address Fax Number", "NPI Deactivation Date",
                "Healthcare Provider Taxonomy Code_1", "Healthcare Provider Primary Taxonomy Switch_1"]
DAC_COLUMNS = {  # ours: the names the file may use, newest first
    "npi": ("NPI",), "last": ("Provider Last Name", "lst_nm"), "first": ("Provider First Name", "frst_nm"),
    "cred": ("Cred",), "pri_spec": ("pri_spec",), "org": ("Facility Name", "org_nm"), "adr1": ("adr_ln_1",),
    "adr2": ("adr_ln_2",), "city": ("City/Town", "cty"), "state": ("State", "st"), "zip": ("ZIP Code", "zip"),
    "phone": ("Telephone Number", "phn_numbr"),
}
EPRACCUR_COLUMNS = 27
_ODS = re.compile(r"^[A-Z][0-9A-Z]{5}$")


class RegisterError(Exception):
    """The file is not a register kitgen reads; the message says which it expected."""


@dataclass
class Candidate:
    """One physician (or practice, from epraccur) found near, of a wanted specialty."""

    line: int
    specialty: str
    role: str  # physician, np, pa, midwife, practice
    first: str = ""
    last: str = ""
    credentials: str = ""
    practice: str = ""
    street: list[str] = field(default_factory=list)
    city: str = ""
    state: str = ""
    postal: str = ""
    phone: str = ""
    fax: str = ""
    npi: str = ""
    ods_code: str = ""


def kind_of(path: Path) -> tuple[str, list[str]]:
    """("nppes" | "dac" | "epraccur", the header) from the file's first line."""
    with open(path, "rb") as f:
        first = f.readline(1 << 20)
    text = first.decode("utf-8-sig", errors="replace")
    row = next(csv.reader([text]), [])
    names = {c.strip().lower() for c in row}
    if all(n.lower() in names for n in NPPES_NEEDED):
        return "nppes", row
    if all(any(a.lower() in names for a in aliases) for aliases in DAC_COLUMNS.values()):
        return "dac", row
    if len(row) == EPRACCUR_COLUMNS and _ODS.match(row[0].strip()):
        return "epraccur", row
    missing = [n for n in NPPES_NEEDED if n.lower() not in names]
    if "npi" in names and "entity type code" in names:
        raise RegisterError(f"an NPPES file without the column(s) {', '.join(missing[:3])}; use the monthly "
                            "npidata_pfile_*.csv as downloaded")
    if "pri_spec" in names:
        lost = [a[0] for a in DAC_COLUMNS.values() if not any(x.lower() in names for x in a)]
        raise RegisterError(f"a Doctors and Clinicians file without the column(s) {', '.join(lost[:3])}; use "
                            "DAC_NationalDownloadableFile.csv as downloaded")
    raise RegisterError("not a register kitgen reads: the NPPES file (npidata_pfile_*.csv), CMS's Doctors and "
                        f"Clinicians file (DAC_NationalDownloadableFile.csv) or epraccur.csv (no header, "
                        f"{EPRACCUR_COLUMNS} columns, an ODS code first); its first line has {len(row)} columns")


def _lines(path: Path, needles: list[bytes] | None, skip_header: bool) -> Iterator[tuple[int, str]]:
    """(line number, line) of each line holding one of `needles` (bytes.find: memchr speed, where a regex that
    starts with a character class tries every comma and quote), reading BLOCK bytes at a time. Without needles,
    every line."""
    number = 1
    with open(path, "rb") as f:
        carry = b""
        if skip_header:
            f.readline()
            number = 2
        while True:
            block = f.read(BLOCK)
            data = carry + block if carry else block
            if not data:
                return
            end = data.rfind(b"\n") + 1 if block else len(data)
            if end == 0:  # one line longer than a block: read on
                carry = data
                continue
            chunk, carry = (data[:end], data[end:]) if end < len(data) else (data, b"")
            if needles is None:
                for i, line in enumerate(chunk.splitlines()):
                    yield number + i, line.decode("utf-8", errors="replace")
            else:
                starts = set()
                for needle in needles:
                    at = chunk.find(needle)
                    while at >= 0:
                        start = chunk.rfind(b"\n", 0, at) + 1
                        starts.add(start)
                        stop = chunk.find(b"\n", at)
                        at = chunk.find(needle, stop) if stop >= 0 else -1  # the next line on
                counted, at = number, 0
                for start in sorted(starts):
                    counted += chunk.count(b"\n", at, start)
                    at = start
                    stop = chunk.find(b"\n", start)
                    yield counted, chunk[start:stop if stop >= 0 else len(chunk)].decode("utf-8", errors="replace")
            number += chunk.count(b"\n")


def _prefilter(area: Area) -> list[bytes] | None:
    """What a row near `area` must hold: a ZIP code's first digits just after a quote (NPPES quotes every field)
    or a comma (DAC does not)."""
    if not area.us:
        return None  # epraccur has 12,000 rows: read them all
    return [sep + p.encode() for p in sorted(area.scan_prefixes()) for sep in (b'"', b",")]


def _row(line: str) -> list[str]:
    return next(csv.reader(io.StringIO(line)), [])


def scan(path: Path, kind: str, header: list[str], area: Area, wanted: list[sp.Specialty], roles: set[str],
         skipped: dict[str, int]) -> list[Candidate]:
    """Every candidate in the file, in file order. `skipped` counts the rows left out and why."""
    if kind == "nppes":
        return _nppes(path, header, area, wanted, roles, skipped)
    if kind == "dac":
        return _dac(path, header, area, wanted, roles, skipped)
    return _epraccur(path, area, skipped)


def _nppes(path: Path, header: list[str], area: Area, wanted: list[sp.Specialty], roles: set[str],
           skipped: dict[str, int]) -> list[Candidate]:
    col = {name.strip().lower(): i for i, name in enumerate(header)}
    at = {n: col[n.lower()] for n in NPPES_NEEDED}
    reactivated = col.get("npi reactivation date")
    place = "Provider Business Practice Location Address "
    code, switch = "healthcare provider taxonomy code_", "healthcare provider primary taxonomy switch_"
    codes = [(col[f"{code}{k}"], col.get(f"{switch}{k}")) for k in range(1, 16) if f"{code}{k}" in col]
    found: list[Candidate] = []
    organisations: dict[tuple[str, str], str] = {}
    seen: set[str] = set()
    for number, row in _rows(path, area, len(header), skipped):
        postal = row[at[place + "Postal Code"]]
        if not area.has_zip(postal):
            continue
        street = row[at["Provider First Line Business Practice Location Address"]]
        if row[at["Entity Type Code"]].strip() == "2":  # an organisation: its name, for the people at its address
            organisations.setdefault(_address_key(street, postal),
                                     row[at["Provider Organization Name (Legal Business Name)"]].strip())
            continue
        if row[at["Entity Type Code"]].strip() != "1":
            continue
        if row[at["NPI Deactivation Date"]].strip() and not (reactivated is not None and row[reactivated].strip()):
            skipped["deactivated"] = skipped.get("deactivated", 0) + 1
            continue
        primary = [row[c].strip() for c, s in codes if s is not None and row[s].strip().upper() == "Y"]
        code = (primary or [row[codes[0][0]].strip()])[0]
        match = sp.nppes_match(code, wanted, roles)
        npi = row[at["NPI"]].strip()
        if match is None or npi in seen:
            continue
        seen.add(npi)
        found.append(Candidate(
            line=number, specialty=match[0].slug, role=match[1], first=row[at["Provider First Name"]],
            last=row[at["Provider Last Name (Legal Name)"]], credentials=row[at["Provider Credential Text"]],
            street=[street, row[at["Provider Second Line Business Practice Location Address"]]],
            city=row[at[place + "City Name"]], state=row[at[place + "State Name"]], postal=postal,
            phone=row[at[place + "Telephone Number"]], fax=row[at[place + "Fax Number"]], npi=npi))
    for c in found:  # NPPES gives a person no practice name: the organisation registered at the same address
        c.practice = organisations.get(_address_key(c.street[0], c.postal), "")
    return found


def _rows(path: Path, area: Area, width: int, skipped: dict[str, int]) -> Iterator[tuple[int, list[str]]]:
    """The rows near `area` (a header file's), each with its line; a row of another width is counted, not read."""
    for number, line in _lines(path, _prefilter(area), skip_header=True):
        row = _row(line)
        if len(row) != width:
            why = "a row that does not have the header's columns"
            skipped[why] = skipped.get(why, 0) + 1
            continue
        yield number, row


def _address_key(street: str, postal: str) -> tuple[str, str]:
    return " ".join(re.sub(r"[^A-Z0-9 ]", " ", street.upper()).split()), postal.strip()[:5]


def _dac(path: Path, header: list[str], area: Area, wanted: list[sp.Specialty], roles: set[str],
         skipped: dict[str, int]) -> list[Candidate]:
    col = {name.strip().lower(): i for i, name in enumerate(header)}
    at = {ours: next(col[a.lower()] for a in names if a.lower() in col) for ours, names in DAC_COLUMNS.items()}
    found: list[Candidate] = []
    seen: set[str] = set()
    for number, row in _rows(path, area, len(header), skipped):
        if not area.has_zip(row[at["zip"]]):
            continue
        match = sp.dac_match(row[at["pri_spec"]], wanted, roles)
        npi = row[at["npi"]].strip()
        if match is None or npi in seen:
            continue
        seen.add(npi)
        found.append(Candidate(
            line=number, specialty=match[0].slug, role=match[1], first=row[at["first"]], last=row[at["last"]],
            credentials=row[at["cred"]], practice=row[at["org"]], street=[row[at["adr1"]], row[at["adr2"]]],
            city=row[at["city"]], state=row[at["state"]], postal=row[at["zip"]], phone=row[at["phone"]], npi=npi))
    return found


def _epraccur(path: Path, area: Area, skipped: dict[str, int]) -> list[Candidate]:
    found: list[Candidate] = []
    for number, line in _lines(path, None, skip_header=False):
        row = _row(line)
        if len(row) != EPRACCUR_COLUMNS:
            skipped["a row that does not have epraccur's 27 columns"] = \
                skipped.get("a row that does not have epraccur's 27 columns", 0) + 1
            continue
        if not area.has_postcode(row[9]):
            continue
        if row[12].strip() != "A" or row[25].strip() != "4":  # active, and a GP practice (not a prison, a clinic…)
            skipped["closed, dormant or not a GP practice"] = skipped.get("closed, dormant or not a GP practice", 0) + 1
            continue
        found.append(Candidate(line=number, specialty="general-practice", role="practice", practice=row[1],
                               street=row[4:9], postal=row[9], phone=row[17], ods_code=row[0].strip()))
    return found
