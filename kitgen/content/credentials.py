"""What a partner's credentials say about the title kitgen puts before their name.

Credentials are written many ways for one degree ("MBBS", "MB BS", "M.B., B.S.", "MBBS (Hons)"), so they are read
normalised: qualifiers in brackets dropped, dots and hyphens ignored, case ignored, and a degree written in parts
("MB BCh BAO", "M.B., B.S.") recognised from its adjacent parts. Three kinds are known:

- a physician's: a medical degree, or a fellowship or membership only physicians hold. These give the region's
  "Dr." / "Dr" (a UK or Irish surgeon who goes by "Mr" or "Ms" sets `title:` in the partner file).
- another doctorate used clinically with the title: a psychologist's PhD or PsyD, a dentist's DDS or DMD, a
  podiatrist's DPM. They are addressed "Dr." (in the US a licensed psychologist with a PhD is "Dr."), so they keep
  the title, but they are not physicians: `physician` stays False for anything that would depend on that.
- other clinicians' (NP, PA-C, RN, LCSW, ...): known, and addressed by name.

Credentials that are none of these get the plain name and a warning from `kitgen check` at the credentials line,
saying how to set `title:` (partner file), which always wins.
"""

from __future__ import annotations

import re

# Primary medical degrees, as each country writes them (normalised: upper case, no dots, spaces or hyphens).
# US/Canada: MD, DO, and McGill's MDCM ("M.D., C.M."). UK, Ireland, Australia, New Zealand and the Commonwealth:
# Bachelor of Medicine and of Surgery, abbreviated per university: MBBS, MBChB, MBBCh, BMBCh, BMBS, BM, MBBChir,
# and in Ireland MB BCh BAO (with the Bachelor of Obstetrics); MB alone and DM (Doctor of Medicine, UK) too.
# Sources: https://medicalschoolexpert.co.uk/medical-degrees-explained/ (MBChB, MBBCh, MBBS, BMBCh, BMBS,
# MBBChir); https://en.wikipedia.org/wiki/Membership_of_the_Royal_College_of_Physicians_of_Ireland and
# https://wikimili.com/en/Medical_education_in_Ireland (MB BCh BAO at every Irish school); Debrett's list of
# medical qualifications (BM, MB, BCh, BChir, ChB, BAO, DM, MD); https://en.wikipedia.org/wiki/Physicians_in_Canada
# (MD, MDCM, DO).
MEDICAL_DEGREES = frozenset({
    "MD", "DO", "MDCM", "DM", "MB", "BM", "MBBS", "MBCHB", "MBBCH", "BMBCH", "BMBS", "MBBCHIR", "MBBCHBAO", "BMED",
})

# Fellowships and memberships that only physicians (medical practitioners) are admitted to. Sources: Debrett's
# (FRCP, FRCPEd, FRCPI, FRCS, MRCP, MRCS); https://www.lancastergatemedicalcentre.co.uk/team (MRCGP, DRCOG);
# http://www.hamiltonmedicalgroup.net.au/patient-information/qualifications.html (FRACGP, FRACP, FRCP, MRCP);
# https://www.racp.edu.au/about/membership-and-post-nominals (FRACP); the Royal Colleges' and American boards'
# own post-nominals for the rest (RANZCOG, RANZCP, ACRRM, ACEM, RCPsych, RCOG, RCPCH, RCPSC, CFPC, ACP, AAFP,
# AAP, ACOG, ACS, ACC, ACEP). A nurses' fellowship (FAAN, FAANP, FACNM) is not among them.
PHYSICIAN_FELLOWSHIPS = frozenset({
    # UK and Ireland
    "FRCP", "FRCPED", "FRCPE", "FRCPI", "FRCPGLAS", "FRCPLOND", "MRCP", "MRCPUK", "MRCPI", "MRCPE",
    "FRCS", "FRCSED", "FRCSI", "FRCSENG", "FRCSGLAS", "MRCS", "MRCSI", "FRCGP", "MRCGP", "MICGP", "FICGP",
    "FRCPSYCH", "MRCPSYCH", "FRCOG", "MRCOG", "FRCPCH", "MRCPCH", "FRCA", "FRCR", "FRCEM", "MRCEM", "FRCOPHTH",
    "DRCOG", "DCH", "DFSRH", "FFPH", "MFPH",
    # Australia and New Zealand
    "FRACP", "FRACGP", "FRNZCGP", "FACRRM", "FRANZCOG", "FRANZCP", "FRACS", "FANZCA", "FACEM", "FRANZCR",
    "FRANZCO", "FRCPA", "FAFPHM", "FACD", "FACHAM", "FAFRM",
    # Canada
    "FRCPC", "FRCSC", "CCFP", "FCFP", "CCFPEM",
    # United States
    "FACP", "FAAFP", "FAAP", "FACOG", "FACS", "FACC", "FACEP", "FAPA", "DFAPA", "FACE", "FCCP", "FASAM",
    "FAAPMR", "FAAAAI", "FACG", "FHM", "FAAHPM",
})

# Doctorates whose holders are addressed "Dr." in clinical work but are not physicians: psychologists (PhD,
# PsyD, EdD), dentists (DDS, DMD; "Dentists may use the courtesy title 'Dr'", General Dental Council, quoted at
# https://pdsurgery.wordpress.com/2015/02/06/what-are-those-post-nominals-a-brief-guide-to-qualifications-after-
# the-names-of-medical-practitioners/), podiatrists (DPM), optometrists (OD), and the UK's DPhil, DClinPsy.
DOCTORATES = frozenset({"PHD", "PSYD", "EDD", "DPHIL", "DCLINPSY", "DCLINPSYCH", "DDS", "DMD", "BDS", "DPM", "OD"})

# Other clinicians' credentials: known, so no warning, and addressed by their name. A doctorate of nursing (DNP)
# or physical therapy (DPT) is here: the title "Dr." for them is restricted in clinical settings in several US
# states, so kitgen does not give it (`title: Dr.` in the partner file does).
OTHER_CLINICIANS = frozenset({
    "NP", "FNP", "FNPBC", "FNPC", "ANP", "ANPBC", "AGNP", "AGNPC", "PNP", "PNPBC", "PMHNP", "PMHNPBC", "WHNP",
    "WHNPBC", "APRN", "APRNBC", "CNM", "CNP", "CNS", "CRNA", "DNP", "RN", "BSN", "MSN", "RGN", "RMN", "BN", "MN",
    "RM", "ENP", "PA", "PAC", "MPAS", "MPA", "LCSW", "LICSW", "LMSW", "MSW", "LPC", "LPCC", "LMFT", "MFT", "LMHC",
    "LCPC", "PMHC", "IBCLC", "RD", "RDN", "LD", "PHARMD", "RPH", "DPT", "PT", "OT", "OTR", "OTRL", "SLP", "CCCSLP",
    "BCBA", "MA", "MS", "MSC", "BSC", "BA", "MED", "MPH", "MBA", "MHA", "MPHIL", "MRES", "BMEDSCI",
    "BMEDSC", "CDE", "CDCES", "LAC", "DC",
})

_BRACKETED = re.compile(r"\([^)]*\)|\[[^]]*\]")  # "(Hons)", "(UK)", "(Lond)": qualifiers, not degrees
_PARTS = re.compile(r"[\s,;/&+]+")
_QUALIFIERS = {"HONS", "HON", "UK", "LOND", "EDIN", "GLAS", "IREL", "IRL", "CANTAB", "OXON", "MELB", "SYD", "NZ",
               "AUS", "USA", "US", "FIRST", "CLASS"}


def _words(credentials: str) -> list[str]:
    """The credentials' words, normalised: 'M.B., B.S. (Hons)' -> ['MB', 'BS']; 'PA-C' -> ['PAC']."""
    text = _BRACKETED.sub(" ", credentials)
    words = [re.sub(r"[.\-'’‐]", "", w).upper() for w in _PARTS.split(text)]
    return [w for w in words if w and w not in _QUALIFIERS]


def _found(credentials: str, known: frozenset[str]) -> bool:
    """Whether a known credential is written in `credentials`, as one word or as adjacent parts ('MB BS')."""
    words = _words(credentials)
    for start in range(len(words)):
        joined = ""
        for word in words[start:start + 4]:
            joined += word
            if joined in known:
                return True
            if joined.endswith("HONS") and joined[:-4] in known:  # "MBBSHons", written as one word
                return True
    return False


# General practice colleges' memberships and fellowships: a patient's "GP" where patients say so (regions.SAYS_GP).
GP_COLLEGES = frozenset({"MRCGP", "FRCGP", "MRACGP", "FRACGP", "MRNZCGP", "FRNZCGP", "MICGP", "FICGP"})


def general_practice(credentials: str) -> bool:
    """A general practice college's membership or fellowship: 'MB ChB, MRCGP', 'BMBS, FRACGP'."""
    return _found(credentials, GP_COLLEGES)


def physician(credentials: str) -> bool:
    """A medical degree or a physician's fellowship: 'BM BCh, FRCP', 'MBBS (Hons), FRACP', 'M.D.'."""
    return _found(credentials, MEDICAL_DEGREES | PHYSICIAN_FELLOWSHIPS)


def doctor(credentials: str) -> bool:
    """Addressed as "Dr": a physician, or a clinical doctorate (a psychologist's PhD or PsyD, a dentist...)."""
    return physician(credentials) or _found(credentials, DOCTORATES)


def known(credentials: str) -> bool:
    """Whether kitgen recognises anything in `credentials` (else `check` warns that the title is a guess)."""
    return doctor(credentials) or _found(credentials, OTHER_CLINICIANS)


def title_problem(value: str) -> str | None:
    """A title is a word or two before the name ('Prof', 'Mr', 'A/Prof', 'Dr.'): no digits, commas or brackets."""
    if len(value) > 30 or not re.fullmatch(r"[^\W\d_]+\.?(?:[ /-][^\W\d_]+\.?)*", value):
        return (f"{value!r} is not a title; write the word before the name, e.g. Prof, Mr, Ms, Dr (or \"\" for "
                "none)")
    return None
