"""`kitgen prospect`: generated NPPES, DAC and epraccur files with the real layouts give exactly the expected partner
files, and the kit passes `kitgen check`; bad arguments and files give located messages and write nothing."""

from __future__ import annotations

import yaml
from click.testing import CliRunner
from conftest import PRACTICE, make_project
from registerfiles import DAC, NPPES, dac_row, epraccur_row, nppes_row, plain, quoted

from kitgen.commands.cli import main


def npi(stem: int) -> str:
    """A valid NPI from nine digits (Luhn over 80840 + them)."""
    nine = f"{stem:09d}"
    total = 0
    for i, c in enumerate(reversed("80840" + nine)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return nine + str((10 - total % 10) % 10)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def partners(project) -> dict[str, dict]:
    folder = project.root / "content/partners"
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.yaml"))}


EUGENE = {"city": "EUGENE", "state": "OR"}


def nppes_file(tmp_path):
    rows = [NPPES,
            nppes_row(npi(100000001), kind="2", org="LAKESIDE FAMILY MEDICINE PC", street="480 LAKESIDE DR",
                      postal="974011234", taxonomy="261QP2300X", **EUGENE),
            nppes_row(npi(100000002), last="O'NEIL", first="KAREN", cred="M.D.", street="480 Lakeside Dr.",
                      postal="974011234", phone="5416871234", fax="5416871235", taxonomy="207Q00000X", **EUGENE),
            nppes_row(npi(100000003), kind="2", org="RIVER KIDS CLINIC", street="12 RIVER RD STE 2ND FL",
                      postal="97402", taxonomy="261QP2300X", **EUGENE),
            nppes_row(npi(100000004), last="MCDONALD", first="SEAN", cred="MD", street="12 RIVER RD STE 2ND FL",
                      postal="97402", phone="5413451000", taxonomy="2080P0006X", more_taxonomies=("207RC0000X",),
                      **EUGENE),
            nppes_row(npi(100000005), last="HART", first="AMY", cred="MD", street="1 OAK ST", postal="97401",
                      taxonomy="207RC0000X", **EUGENE),  # a cardiologist: not wanted
            nppes_row(npi(100000006), last="FAR", first="ANN", cred="DO", street="1 BROADWAY", postal="10001",
                      taxonomy="207Q00000X", city="NEW YORK", state="NY"),  # not near
            nppes_row(npi(100000007), last="GONE", first="GUS", cred="MD", street="480 LAKESIDE DR", postal="97401",
                      taxonomy="207Q00000X", deactivated="03/01/2024", **EUGENE),
            nppes_row(npi(100000008), last="NGUYEN", first="LINH", cred="FNP-C", street="480 LAKESIDE DR",
                      postal="97401", taxonomy="363LF0000X", **EUGENE),  # an NP: only with --also np
            nppes_row(npi(100000009), kind="2", org="LAKESIDE WOMEN'S HEALTH", street="9 ELM ST", postal="97401",
                      taxonomy="261QP2300X", **EUGENE),
            nppes_row(npi(100000010), last="SMITH", first="JANE", cred="MD", street="9 ELM ST", postal="97401",
                      taxonomy="207V00000X", **EUGENE),  # the kit's Jane Smith at Lakeside Women's Health
            nppes_row(npi(100000011), last="PARTNER", first="PAT", cred="MD", street="9 ELM ST", postal="97401",
                      taxonomy="207VX0000X", **EUGENE)]  # already a partner, by NPI
    path = tmp_path / "npidata_pfile_20050523-20261109.csv"
    path.write_text(quoted(rows), encoding="utf-8")
    return path


def test_nppes_prospects_are_written_once_with_every_field_and_the_kit_passes_check(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("content/partners/pat-partner.yaml", f"name: Pat Partner\ncredentials: MD\nspecialty: ob-gyn\n"
                  f"practice: Elm Street OB\nnpi: '{npi(100000011)}'\n")
    register = nppes_file(tmp_path)
    result = run("prospect", register, "--specialty", "family medicine,pediatrics", "--specialty", "obstetrics",
                 "--near", "974", "--project", project.root)
    assert result.exit_code == 0, result.output
    found = partners(project)
    assert sorted(found) == ["jane-smith", "karen-o-neil", "pat-partner", "sean-mcdonald"]
    assert found["karen-o-neil"] == {
        "name": "Karen O'Neil", "credentials": "M.D.", "specialty": "family-medicine",
        "practice": "Lakeside Family Medicine PC", "address": "480 Lakeside Dr., Eugene, OR 97401-1234",
        "phone": "(541) 687-1234", "fax": "(541) 687-1235", "npi": npi(100000002)}
    assert found["sean-mcdonald"]["practice"] == "River Kids Clinic"
    assert found["sean-mcdonald"]["specialty"] == "pediatrics"  # the primary taxonomy, not the second
    assert found["sean-mcdonald"]["address"] == "12 River Rd Ste 2nd Fl, Eugene, OR 97402"
    assert "fax" not in found["sean-mcdonald"]
    text = (project.root / "content/partners/karen-o-neil.yaml").read_text(encoding="utf-8")
    assert f"in {register.name}, line 3," in text and "a prospect until you log a contact" in text
    checked = run("check", "--project", project.root, "--no-layout")
    assert checked.exit_code == 0, checked.output
    assert "4 partners" in checked.output

    before = {p: p.read_bytes() for p in (project.root / "content/partners").iterdir()}
    again = run("prospect", register, "--specialty", "family-medicine,pediatrics,ob-gyn", "--near", "97401-1234",
                "--project", project.root)
    assert again.exit_code == 0, again.output
    assert {p: p.read_bytes() for p in (project.root / "content/partners").iterdir()} == before
    assert "wrote 0 prospect partner files" in again.output


def test_also_np_and_limit_and_a_taken_slug(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("content/partners/linh-nguyen.yaml", "name: Linh Nguyen\ncredentials: MD\nspecialty: "
                  "family-medicine\npractice: Another Clinic\n")  # a different Linh Nguyen: never overwritten
    kept = (project.root / "content/partners/linh-nguyen.yaml").read_bytes()
    register = nppes_file(tmp_path)
    result = run("prospect", register, "--specialty", "family medicine", "--also", "np", "--near", "97401",
                 "--project", project.root)
    assert result.exit_code == 0, result.output
    found = partners(project)
    assert sorted(found) == ["jane-smith", "karen-o-neil", "linh-nguyen", "linh-nguyen-2"]
    assert found["linh-nguyen-2"]["credentials"] == "FNP-C"
    assert found["linh-nguyen-2"]["practice"] == "Lakeside Family Medicine PC"
    assert (project.root / "content/partners/linh-nguyen.yaml").read_bytes() == kept
    other = make_project(tmp_path / "other")
    limited = run("prospect", register, "--specialty", "family medicine", "--also", "np", "--near", "97401",
                  "--limit", "1", "--project", other.root)
    assert sorted(partners(other)) == ["jane-smith", "karen-o-neil"], limited.output


def test_dac_file_with_distance(tmp_path):
    project = make_project(tmp_path / "kit")
    rows = [DAC,
            dac_row(npi(200000001), "RAMOS", "ELENA", "MD", "FAMILY PRACTICE", "SPRINGFIELD FAMILY CARE",
                    "1 MAIN ST", "SPRINGFIELD", "OR", "974771000", "5417261000"),
            dac_row(npi(200000001), "RAMOS", "ELENA", "MD", "FAMILY PRACTICE", "SPRINGFIELD FAMILY CARE",
                    "2 MAIN ST", "SPRINGFIELD", "OR", "97477", "5417261000"),  # a second address: one file
            dac_row(npi(200000002), "OKAFOR", "CHIDI", "DO", "PSYCHIATRY", "CORVALLIS MIND", "3 ST",
                    "CORVALLIS", "OR", "97330", "5417571000"),  # ~40 miles away
            dac_row(npi(200000003), "BELL", "ROSE", "MD", "PSYCHIATRY", "EUGENE PSYCHIATRY", "4 ST", "EUGENE",
                    "OR", "97401", "5416860000"),
            dac_row(npi(200000004), "LEE", "MAY", "MD", "DERMATOLOGY", "EUGENE SKIN", "5 ST", "EUGENE", "OR",
                    "97401", "5416860001")]
    register = tmp_path / "DAC_NationalDownloadableFile.csv"
    register.write_text(plain(rows), encoding="utf-8")
    result = run("prospect", register, "--specialty", "family medicine", "--specialty", "psychiatry", "--near",
                 "97401", "--within", "10mi", "--project", project.root)
    assert result.exit_code == 0, result.output
    found = partners(project)
    assert sorted(found) == ["elena-ramos", "jane-smith", "rose-bell"]
    assert found["elena-ramos"]["address"] == "1 Main St, Springfield, OR 97477-1000"
    assert found["rose-bell"] == {"name": "Rose Bell", "credentials": "MD", "specialty": "psychiatry",
                                  "practice": "Eugene Psychiatry", "address": "4 St, Eugene, OR 97401",
                                  "phone": "(541) 686-0000", "npi": npi(200000003)}
    assert run("check", "--project", project.root, "--no-layout").exit_code == 0


def test_epraccur_practices_by_postcode_district(tmp_path):
    project = make_project(tmp_path / "kit")
    project.write("kitgen.yaml", "base_url: https://refer.example.org/\nregion: gb\n")
    project.write("content/practice.yaml", PRACTICE.replace('"+1 503-555-0100"', '"0113 496 0471"')
                  .replace('"+1 503-555-0101"', '"0113 496 0472"').replace("Call or text 988", "Call 111")
                  .replace('"10 Dock St, Portland, OR 97201"', '"1 Park Row, Leeds LS1 5HN"'))
    rows = [epraccur_row("B86001", "PARK ROW SURGERY", ["1 PARK ROW", "", "", "LEEDS", "WEST YORKSHIRE"], "LS1 5HN",
                         "0113 295 1000"),
            epraccur_row("B86002", "OLD SURGERY", ["2 PARK ROW", "", "", "LEEDS", ""], "LS1 5HP", "0113 295 1001",
                         status="C"),  # closed
            epraccur_row("B86003", "HEADINGLEY PRACTICE", ["3 OTLEY RD", "", "", "LEEDS", ""], "LS6 3AA",
                         "0113 295 1002"),  # another district
            epraccur_row("Y02001", "LS1 PRISON HEALTH", ["4 PARK ROW", "", "", "LEEDS", ""], "LS1 5HQ", "",
                         setting="0")]  # not a GP practice
    register = tmp_path / "epraccur.csv"
    register.write_text(plain(rows), encoding="utf-8")
    result = run("prospect", register, "--specialty", "gp", "--near", "LS1 4AP", "--project", project.root)
    assert result.exit_code == 0, result.output
    found = partners(project)
    assert sorted(found) == ["jane-smith", "park-row-surgery"]
    written = found["park-row-surgery"]
    assert written["practice"] == "Park Row Surgery" and written["ods_code"] == "B86001"
    assert written["address"] == "1 Park Row, Leeds, West Yorkshire, LS1 5HN"
    assert written["phone"] == "0113 295 1000"
    assert written["name"].startswith("TODO") and written["credentials"].startswith("TODO")
    checked = run("check", "--project", project.root, "--no-layout")  # the register names no GP: check asks
    assert checked.exit_code == 1
    assert "content/partners/park-row-surgery.yaml:4: name: is still a placeholder" in checked.output
    path = project.root / "content/partners/park-row-surgery.yaml"
    text = path.read_text(encoding="utf-8").splitlines()
    text[3] = "name: Priya Shah"
    text[4] = "credentials: MBChB, MRCGP"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    assert run("check", "--project", project.root, "--no-layout").exit_code == 0
    again = run("prospect", register, "--specialty", "gp", "--near", "LS1", "--project", project.root)
    assert "wrote 0" in again.output  # the ODS code is in the kit


def test_bad_arguments_and_files_are_located_and_write_nothing(tmp_path):
    project = make_project(tmp_path / "kit")
    register = nppes_file(tmp_path)
    before = sorted((project.root / "content/partners").iterdir())

    def refused(*args, says: str) -> None:
        result = run("prospect", *args, "--project", project.root)
        assert result.exit_code != 0 and says in result.output, result.output
        assert sorted((project.root / "content/partners").iterdir()) == before

    refused(register, "--specialty", "cardiology", "--near", "974",
            says="Invalid value for --specialty: 'cardiology' is not a specialty kitgen knows; choose from: "
                 "family-medicine")
    refused(register, "--specialty", "pediatrics", "--near", "Eugene", says="Invalid value for --near")
    refused(register, "--specialty", "pediatrics", "--near", "974", "--within", "10",
            says="a distance is measured from a whole 5-digit ZIP code")
    refused(register, "--specialty", "pediatrics", "--near", "97401", "--within", "far",
            says="'far' is not a distance")
    refused(register, "--specialty", "pediatrics", "--near", "LS1", says="give a US ZIP code")
    refused(register, "--specialty", "pediatrics", "--near", "974", "--also", "rn", says="rn: choose from np, pa")
    other = tmp_path / "referrals.csv"
    other.write_text("date,source\n2026-01-02,Dr Smith\n", encoding="utf-8")
    refused(other, "--specialty", "pediatrics", "--near", "974", says=f"{other}:1: header: not a register kitgen reads")
    cut = tmp_path / "npidata_cut.csv"
    cut.write_text(quoted([[c for c in NPPES if c != "Provider Credential Text"]]), encoding="utf-8")
    refused(cut, "--specialty", "pediatrics", "--near", "974",
            says="header: an NPPES file without the column(s) Provider Credential Text")
    uk = make_project(tmp_path / "uk")
    epraccur = tmp_path / "epraccur.csv"
    epraccur.write_text(plain([epraccur_row("B86001", "X", ["1 ROW"], "LS1 5HN", "")]), encoding="utf-8")
    result = run("prospect", epraccur, "--specialty", "gp", "--near", "LS1", "--within", "5km", "--project", uk.root)
    assert result.exit_code != 0 and "cannot measure distance there" in result.output


def test_an_older_dac_file_and_a_number_that_is_no_phone_number(tmp_path):
    """The DAC files before 2024 name the columns lst_nm, frst_nm, org_nm, cty, st, zip, phn_numbr; a phone number
    that `check` would refuse is left out of the file and named, with its line in the register."""
    project = make_project(tmp_path / "kit")
    old = {"Provider Last Name": "lst_nm", "Provider First Name": "frst_nm", "Facility Name": "org_nm",
           "City/Town": "cty", "State": "st", "ZIP Code": "zip", "Telephone Number": "phn_numbr"}
    rows = [[old.get(c, c) for c in DAC],
            dac_row(npi(300000001), "DIAZ", "ROSA", "MD", "PEDIATRIC MEDICINE", "EUGENE KIDS", "8 ST", "EUGENE",
                    "OR", "97401", "1234")]
    register = tmp_path / "DAC_NationalDownloadableFile.csv"
    register.write_text(plain(rows), encoding="utf-8")
    result = run("prospect", register, "--specialty", "pediatrics", "--near", "97401", "--project", project.root)
    assert result.exit_code == 0, result.output
    assert f"{register}:2: phone: '1234' is not a valid number for region us; left out of rosa-diaz.yaml" \
        in result.output
    found = partners(project)["rosa-diaz"]
    assert found["practice"] == "Eugene Kids" and "phone" not in found
    assert run("check", "--project", project.root, "--no-layout").exit_code == 0
