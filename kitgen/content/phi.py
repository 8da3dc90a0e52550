"""Refuse a referrals file that carries a patient identifier, by its column headers, before any row is read.

kitgen's rule is that health information never passes through it. The report needs only when a referral came,
from whom, and whether and how often the client was seen; a column named like an identifier (the HIPAA Safe Harbor
list, 45 CFR 164.514(b)(2); summarised at https://johndcook.com/blog/hipaa-identifiers-explained) means the file
is a raw export that still has to be trimmed. Header matching is deliberately broad: a false alarm costs a column
rename, a miss would copy a patient's details onto the therapist's disk a second time.

Exports write headers every way ("PATIENTNAME", "fname", "D.O.B.", "Zip5", "Prénom", "Teléfono"), so a header is
folded (case, accents, every separator dropped: "Fecha de Nacimiento" -> "fechadenacimiento") and searched for
the stems below, in English, Spanish and French (the languages kitgen ships). Short stems that hide inside
ordinary words ("age" in "page", "sex" in "Essex", "cell" in "cancelled") must be a whole word instead.
"""

from __future__ import annotations

import re
import unicodedata

# (stems found anywhere in the folded header, short stems that must be a whole word, what it looks like)
IDENTIFIERS: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    (("name", "nombre", "apellido", "prenom", "nomdefamille", "nomdenaissance", "surname", "initials"),
     ("nom", "noms", "fn", "ln"), "a name"),
    (("patient", "paciente", "client", "customer", "guardian", "tutor", "tuteur", "parent", "padre", "madre",
      "person", "usuario", "beneficiar", "guarant", "garant", "fiador", "responsable", "emergenc", "urgence",
      "nextofkin", "spouse", "conyuge", "conjoint", "familiar", "famille"),
     ("pt", "pts", "kin"), "a client or patient"),
    (("birth", "nacimiento", "naissance", "deceased", "death", "defuncion", "deces", "fallec"),
     ("dob", "dod", "ddn", "fnac", "born", "age", "ages", "edad", "agee"), "a birth date or age"),
    (("mail", "correo", "courriel"), (), "an e-mail address"),
    (("phone", "mobile", "telef", "celular", "cellular", "cellphone", "movil", "portable", "cellulaire"),
     ("cell", "tel", "fax", "cel"), "a phone number"),
    (("address", "adress", "adresse", "direccion", "domicil", "street", "calle", "suburb", "county", "ciudad",
      "colonia", "ville", "municipio", "residen"),
     ("city", "rue", "apt"), "an address"),
    (("zip", "postcode", "postal", "codigopostal"), ("cp",), "a ZIP or postcode"),
    (("mrn", "record", "chart", "filenumber", "fileno", "account", "expediente", "historiaclinica", "dossier",
      "cuenta", "compte"),
     (), "a record number"),
    (("medicare", "medicaid", "insur", "member", "policy", "subscriber", "healthcard", "healthnumber", "healthfund",
      "seguro", "poliza", "aseguradora", "afiliad", "assur", "mutuelle", "carnet", "cartevitale", "ramq", "ohip"),
     ("dva", "nhs", "ihi", "msp", "nir"), "an insurance or member number"),
    (("ssn", "socialsecurity", "seguridadsocial", "securitesociale", "passport", "pasaporte", "passeport", "licen",
      "licenc", "driver", "permis", "curp", "identific", "identit", "cedula", "documento"),
     ("sin", "tfn", "nss", "dni", "nie", "rfc", "itin"), "a government identifier"),
    (("diagnos", "icd", "dsm", "condition", "reason", "motivo", "motif", "sintoma", "symptom", "symptome",
      "trastorno", "trouble", "padecimiento", "enfermedad", "maladie", "medicat", "medicament", "allerg"),
     ("dx", "cie", "cim"), "a diagnosis"),
    (("note", "nota", "comment", "coment", "memo", "description", "descripcion", "observa", "remarque",
      "detail", "detalle"),
     (), "free-text notes"),
    (("gender", "genero", "genre", "ethnic", "etnia", "employer", "empleador", "employeur", "occupation",
      "ocupacion", "school", "escuela", "ecole"),
     ("sex", "sexo", "sexe", "race", "raza"), "a personal detail"),
]

# What names the referrer, the clinician or the practice, not the patient: taken out before the search, so
# "Referral source name" or "Nombre del médico" is a column not used, while "Patient's doctor name" still has
# "patient" left.
_REFERRER = (r"(?:source|referr(?:al|er|ing)|physician|doctor|provider|clinician|therapist|practice|clinic|medico"
             r"|medecin|terapeuta|therapeute|fuente|clinica|cabinet|prescripteur|program|programa|programme|service|servicio"
             r"|site|office|location|campaign|campana|campagne)s?")
_NAME, _OF = r"(?:name|nombre|nom)", r"(?:de|del|du|dela|des|of|the)*"
NOT_THE_PATIENT = re.compile(f"{_REFERRER}{_OF}{_NAME}|{_NAME}{_OF}{_REFERRER}")


def words(header: str) -> list[str]:
    """'ClientDOB' -> client, dob; 'Zip5' -> zip, 5; 'Prénom' -> prenom: the header's words, folded to ASCII."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode()
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])",
                    " ", plain)
    return re.findall(r"[a-z0-9]+", spaced.casefold())


def looks_like(header: str) -> str | None:
    """What patient identifier `header` looks like (e.g. "a name"), or None."""
    parts = words(header)
    folded = "".join(parts)  # 'Fecha de Nacimiento' -> 'fechadenacimiento', 'D.O.B.' -> 'dob'
    spared = [m.span() for m in NOT_THE_PATIENT.finditer(folded)]
    kept, at = [], 0
    for word in parts:  # the words outside "referring physician name" and the like
        if not any(start < at + len(word) and at < end for start, end in spared):
            kept.append(word)
        at += len(word)
    folded = NOT_THE_PATIENT.sub(" ", folded)
    found = set(kept) | {folded}
    return next((what for stems, whole, what in IDENTIFIERS
                 if any(stem in folded for stem in stems) or found & set(whole)), None)
