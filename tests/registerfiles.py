"""Small register files with the real layouts, for tests/test_prospect.py and benchmarks/prospect_bench.py.

NPPES: the 330 columns of npidata_pfile_*.csv in order (CMS, NPPES Data Dissemination Readme, data file layout),
every field quoted as CMS writes them. DAC: the 2025 header of DAC_NationalDownloadableFile.csv. epraccur: no
header, 27 columns.
"""

from __future__ import annotations

import csv
import io

_PLACE = "Provider Business Practice Location Address"
_MAIL = "Provider Business Mailing Address"


def nppes_header() -> list[str]:
    head = ["NPI", "Entity Type Code", "Replacement NPI", "Employer Identification Number (EIN)",
            "Provider Organization Name (Legal Business Name)", "Provider Last Name (Legal Name)",
            "Provider First Name", "Provider Middle Name", "Provider Name Prefix Text", "Provider Name Suffix Text",
            "Provider Credential Text", "Provider Other Organization Name", "Provider Other Organization Name Type Code",
            "Provider Other Last Name", "Provider Other First Name", "Provider Other Middle Name",
            "Provider Other Name Prefix Text", "Provider Other Name Suffix Text", "Provider Other Credential Text",
            "Provider Other Last Name Type Code", "Provider First Line Business Mailing Address",
            "Provider Second Line Business Mailing Address", f"{_MAIL} City Name", f"{_MAIL} State Name",
            f"{_MAIL} Postal Code", f"{_MAIL} Country Code (If outside U.S.)", f"{_MAIL} Telephone Number",
            f"{_MAIL} Fax Number", "Provider First Line Business Practice Location Address",
            "Provider Second Line Business Practice Location Address", f"{_PLACE} City Name", f"{_PLACE} State Name",
            f"{_PLACE} Postal Code", f"{_PLACE} Country Code (If outside U.S.)", f"{_PLACE} Telephone Number",
            f"{_PLACE} Fax Number", "Provider Enumeration Date", "Last Update Date", "NPI Deactivation Reason Code",
            "NPI Deactivation Date", "NPI Reactivation Date", "Provider Sex Code", "Authorized Official Last Name",
            "Authorized Official First Name", "Authorized Official Middle Name",
            "Authorized Official Title or Position", "Authorized Official Telephone Number"]
    for k in range(1, 16):
        head += [f"Healthcare Provider Taxonomy Code_{k}", f"Provider License Number_{k}",
                 f"Provider License Number State Code_{k}", f"Healthcare Provider Primary Taxonomy Switch_{k}"]
    for k in range(1, 51):
        head += [f"Other Provider Identifier_{k}", f"Other Provider Identifier Type Code_{k}",
                 f"Other Provider Identifier State_{k}", f"Other Provider Identifier Issuer_{k}"]
    head += ["Is Sole Proprietor", "Is Organization Subpart", "Parent Organization LBN", "Parent Organization TIN",
             "Authorized Official Name Prefix Text", "Authorized Official Name Suffix Text",
             "Authorized Official Credential Text"]
    head += [f"Healthcare Provider Taxonomy Group_{k}" for k in range(1, 16)] + ["Certification Date"]
    assert len(head) == 330
    return head


NPPES = nppes_header()
_AT = {name: i for i, name in enumerate(NPPES)}


def nppes_row(npi: str, *, kind: str = "1", last: str = "", first: str = "", cred: str = "", org: str = "",
              street: str = "", city: str = "", state: str = "", postal: str = "", phone: str = "", fax: str = "",
              taxonomy: str = "", deactivated: str = "", more_taxonomies: tuple[str, ...] = ()) -> list[str]:
    row = [""] * len(NPPES)
    values = {"NPI": npi, "Entity Type Code": kind, "Provider Last Name (Legal Name)": last,
              "Provider First Name": first, "Provider Credential Text": cred,
              "Provider Organization Name (Legal Business Name)": org,
              "Provider First Line Business Practice Location Address": street, f"{_PLACE} City Name": city,
              f"{_PLACE} State Name": state, f"{_PLACE} Postal Code": postal, f"{_PLACE} Telephone Number": phone,
              f"{_PLACE} Fax Number": fax, "Healthcare Provider Taxonomy Code_1": taxonomy,
              "Healthcare Provider Primary Taxonomy Switch_1": "Y" if taxonomy else "",
              "NPI Deactivation Date": deactivated, "Provider First Line Business Mailing Address": "PO BOX 12",
              f"{_MAIL} Postal Code": "973010000", "Provider Enumeration Date": "05/23/2005",
              "Last Update Date": "07/08/2024", "Provider Sex Code": "F" if kind == "1" else ""}
    for k, code in enumerate(more_taxonomies, start=2):
        values[f"Healthcare Provider Taxonomy Code_{k}"] = code
        values[f"Healthcare Provider Primary Taxonomy Switch_{k}"] = "N"
    for name, value in values.items():
        row[_AT[name]] = value
    return row


def quoted(rows: list[list[str]]) -> str:
    """CSV as CMS writes the NPPES file: every field in double quotes, CRLF... LF here (both are read)."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue()


DAC = ["NPI", "Ind_PAC_ID", "Ind_enrl_ID", "Provider Last Name", "Provider First Name", "Provider Middle Name",
       "suff", "gndr", "Cred", "Med_sch", "Grd_yr", "pri_spec", "sec_spec_1", "sec_spec_2", "sec_spec_3",
       "sec_spec_4", "sec_spec_all", "Telehlth", "Facility Name", "org_pac_id", "num_org_mem", "adr_ln_1",
       "adr_ln_2", "ln_2_sprs", "City/Town", "State", "ZIP Code", "Telephone Number", "ind_assgn", "grp_assgn",
       "adrs_id"]


def dac_row(npi: str, last: str, first: str, cred: str, spec: str, org: str, street: str, city: str, state: str,
            postal: str, phone: str) -> list[str]:
    values = dict.fromkeys(DAC, "")
    values.update({"NPI": npi, "Ind_PAC_ID": "1" + npi[:9], "Provider Last Name": last, "Provider First Name": first,
                   "Cred": cred, "pri_spec": spec, "Facility Name": org, "adr_ln_1": street, "City/Town": city,
                   "State": state, "ZIP Code": postal, "Telephone Number": phone, "ind_assgn": "Y"})
    return [values[c] for c in DAC]


def epraccur_row(code: str, name: str, lines: list[str], postcode: str, phone: str, status: str = "A",
                 setting: str = "4") -> list[str]:
    row = [""] * 27
    row[0], row[1], row[2], row[3] = code, name, "Y56", "QWO"
    for i, line in enumerate(lines[:5]):
        row[4 + i] = line
    row[9], row[10], row[12], row[13], row[14], row[17], row[25] = (postcode, "19740401", status, "B", "15F",
                                                                    phone, setting)
    return row


def plain(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
