"""Friendly specialty names, and what each register calls them.

NPPES: NUCC Health Care Provider Taxonomy codes (nucc.org; checked against the NUCC v21.1 expansion in HL7's
fhir-directory-attestation, input/fsh/examples/ValueSet-HealthcareProviderTaxonomy.fsh). A specialty is a code
prefix: 207Q covers Family Medicine (207Q00000X) and all its subspecialties (207QA0505X Adult Medicine…).
DAC: the Medicare specialty text in `pri_spec` / `sec_spec_all` ("FAMILY PRACTICE", "OBSTETRICS/GYNECOLOGY",
"CERTIFIED NURSE MIDWIFE (CNM)", as the Doctors and Clinicians file writes them).
epraccur: practices, not people; every practice is general practice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Specialty:
    slug: str  # the partner file's `specialty`
    physician: tuple[str, ...]  # NUCC code prefixes of physicians of this specialty
    dac: tuple[str, ...]  # DAC pri_spec texts
    np: tuple[str, ...] = ()  # NUCC codes of nurse practitioners who do this work (363L…)
    pa: bool = False  # physician assistants (363A00000X, 363AM0700X "Medical") kept: NPPES gives PAs no specialty
    midwife: bool = False  # 367A00000X Advanced Practice Midwife, 176B00000X Midwife; DAC's CNM


_PRIMARY_NP = ("363LF0000X", "363LP2300X", "363LA2200X")  # Family, Primary Care, Adult Health
SPECIALTIES = {
    "family-medicine": Specialty("family-medicine", ("207Q", "208D00000X"), ("FAMILY PRACTICE", "GENERAL PRACTICE"),
                                 _PRIMARY_NP, pa=True),
    "internal-medicine": Specialty("internal-medicine", ("207R00000X", "207RG0300X"),
                                   ("INTERNAL MEDICINE", "GERIATRIC MEDICINE"), _PRIMARY_NP + ("363LG0600X",),
                                   pa=True),  # general internists and geriatricians; not cardiologists (207RC…)
    "pediatrics": Specialty("pediatrics", ("208000000X", "2080A0000X", "2080P0006X"), ("PEDIATRIC MEDICINE",),
                            ("363LP0200X",), pa=True),  # general, adolescent and developmental-behavioural
    "ob-gyn": Specialty("ob-gyn", ("207V",), ("OBSTETRICS/GYNECOLOGY",), ("363LW0102X", "363LX0001X", "363LP1700X"),
                        midwife=True),
    "psychiatry": Specialty("psychiatry", ("2084P0800X", "2084P0802X", "2084P0804X", "2084P0805X", "2084P0015X"),
                            ("PSYCHIATRY", "GERIATRIC PSYCHIATRY", "ADDICTION MEDICINE"), ("363LP0808X",)),
    "general-practice": Specialty("general-practice", ("208D00000X",), ("GENERAL PRACTICE",)),
}
# What people type: "family medicine", "OB-GYN", "paediatrics", "GP".
ALIASES = {
    "family": "family-medicine", "family-practice": "family-medicine", "fm": "family-medicine",
    "internal": "internal-medicine", "internist": "internal-medicine", "im": "internal-medicine",
    "paediatrics": "pediatrics", "pediatric": "pediatrics", "peds": "pediatrics",
    "obstetrics": "ob-gyn", "obgyn": "ob-gyn", "gynecology": "ob-gyn", "gynaecology": "ob-gyn",
    "obstetrics-and-gynecology": "ob-gyn", "obstetrics-gynecology": "ob-gyn", "psychiatrist": "psychiatry",
    "gp": "general-practice", "general-practitioner": "general-practice",
}
ROLES = ("np", "pa", "midwife")
PA_CODES = ("363A00000X", "363AM0700X")
MIDWIFE_CODES = ("367A00000X", "176B00000X")
DAC_ROLE = {"NURSE PRACTITIONER": "np", "PHYSICIAN ASSISTANT": "pa", "CERTIFIED NURSE MIDWIFE (CNM)": "midwife"}


def named(text: str) -> Specialty | None:
    """The specialty `text` names ("family medicine", "OB/GYN", "ob-gyn"), else None."""
    key = "-".join(text.lower().replace("/", " ").replace("&", " and ").replace("-", " ").split())
    key = {"ob-gyn": "ob-gyn", "ob-and-gyn": "ob-gyn"}.get(key, key)
    if key in SPECIALTIES:
        return SPECIALTIES[key]
    alias = ALIASES.get(key) or ALIASES.get(key.replace("-", ""))
    return SPECIALTIES[alias] if alias else None


def nppes_match(code: str, wanted: list[Specialty], roles: set[str]) -> tuple[Specialty, str] | None:
    """The wanted specialty a primary NUCC taxonomy `code` belongs to, and the role ("physician", "np", "pa",
    "midwife"), else None."""
    for s in wanted:
        if code.startswith(s.physician):
            return s, "physician"
    for s in wanted:
        if "np" in roles and code in s.np:
            return s, "np"
        if "pa" in roles and s.pa and code in PA_CODES:
            return s, "pa"
        if "midwife" in roles and s.midwife and code in MIDWIFE_CODES:
            return s, "midwife"
    return None


def dac_match(pri_spec: str, wanted: list[Specialty], roles: set[str]) -> tuple[Specialty, str] | None:
    """As nppes_match, for the DAC file's primary specialty text. An NP or PA there has no specialty of their own:
    kept for the first wanted specialty that takes them."""
    spec = pri_spec.strip().upper()
    for s in wanted:
        if spec in s.dac:
            return s, "physician"
    role = DAC_ROLE.get(spec)
    if role and role in roles:
        for s in wanted:
            if (role == "np" and s.np) or (role == "pa" and s.pa) or (role == "midwife" and s.midwife):
                return s, role
    return None
