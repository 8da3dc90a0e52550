"""The reader sweep's kits (tests/test_reader_sweep.py): a covering sample of the combinations a real practice
has, each written as a kit project a therapist there would write.

Six kits, one per region, cover every value of each dimension, and most pairs: solo and group; an adult practice
and a child-and-family one (services for pediatrics and its kin); patient languages [en], [en, es], [en, fr], with
the practice's patient texts translated completely or partly; `referral.patient_url` set or not; a promise
(`acknowledge_within_hours`) or none; `voice: I`, or the default "we"; and partners with credentials as each
country writes them, physicians and not:

| kit | region | clinicians | voice | patients | languages | translations | patient_url | partners |
|---|---|---|---|---|---|---|---|---|
| us | us | group | we | children | en, es | partial | no | DO, FACP (office contact); PA-C |
| ca | ca | solo | I | adults | en, fr | complete | yes | MD, CCFP; NP |
| gb | gb | group | we | adults | en | - | no | BM BCh, FRCP; MB ChB, MRCGP |
| ie | ie | solo | we (default) | children | en, fr | partial | yes | MB BCh BAO, FRCPI (90 mm cards) |
| au | au | group | we | children | en, es | complete | no | MBBS (Hons), FRACP; BMBS, FRACGP |
| nz | nz | solo | I | adults | en | - | yes | MB ChB, FRANZCOG |

The practice's own texts use its voice or no pronoun at all, never "your child", and make no promise beyond
`acknowledge_within_hours`: whatever the sweep finds of those on a piece is kitgen's.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from conftest import Project

# The build day the sweep reads back from the letters: the suite's KITGEN_TODAY (conftest), well after as_of.
TODAY = datetime.date(2026, 11, 20)
AS_OF = datetime.date(2026, 11, 2)

# phone, fax as a therapist there writes them (the numbers of tests/test_regions.py)
PHONES = {
    "us": ("+1 512-555-0142", "+1 512-555-0143"),
    "ca": ("613 555 0123", "613 555 0124"),
    "gb": ("0161 496 0471", "0161 496 0472"),
    "ie": ("01 234 5678", "01 234 5679"),
    "au": ("02 9555 0187", "+61 2 9555 0188"),
    "nz": ("09 555 0123", "09 555 0124"),
}
PLANS = {"us": ["Aetna", "Cigna"], "ca": ["Sun Life", "Manulife"], "gb": ["Bupa", "AXA Health"],
         "ie": ["VHI", "Laya Healthcare"], "au": ["Bupa", "Medibank"], "nz": ["Southern Cross", "nib"]}
TITLE = {"us": "Dr.", "ca": "Dr."}  # "Dr" elsewhere (kitgen/content/regions.py)


@dataclass(frozen=True)
class Partner:
    name: str
    credentials: str
    specialty: str
    physician: bool
    office_contact: str | None = None
    email: str | None = None

    @property
    def slug(self) -> str:
        import unicodedata
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode().lower()
        return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Combo:
    key: str
    region: str
    solo: bool
    voice: str | None           # "I", or None: the default ("we")
    children: bool
    languages: tuple[str, ...]
    complete: bool              # every patient text translated (with a second language)
    patient_url: bool
    promise: bool               # acknowledge_within_hours
    partners: tuple[Partner, ...]
    clinic: str
    practice_name: str = "Harbour Light Therapy"
    card_stock: str | None = None  # None: the region's default

    @property
    def we(self) -> bool:
        return self.voice != "I"

    @property
    def title(self) -> str:
        return TITLE.get(self.region, "Dr")

    @property
    def other_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang != "en")

    def __str__(self) -> str:
        return (f"[kit {self.key}: region {self.region}, {'solo' if self.solo else 'group'}, voice "
                f"{'we' if self.we else 'I'}{'' if self.voice else ' (default)'}, "
                f"{'children' if self.children else 'adults'}, patient_languages {list(self.languages)}"
                + (f", translations {'complete' if self.complete else 'partial'}" if self.other_languages else "")
                + f", patient_url {'set' if self.patient_url else 'unset'}]")


COMBOS = [
    Combo("us", "us", solo=False, voice=None, children=True, languages=("en", "es"), complete=False,
          patient_url=False, promise=True, clinic="Hill Country Pediatrics", partners=(
              Partner("Karen O'Neil", "DO, FACP", "pediatrics", True, "Dana Lee, office manager",
                      "office@hillcountrypeds.example"),
              Partner("Jordan Reyes", "PA-C", "pediatrics", False))),
    Combo("ca", "ca", solo=True, voice="I", children=False, languages=("en", "fr"), complete=True,
          patient_url=True, promise=False, clinic="Clinique Saint-Laurent", partners=(
              Partner("Marc-André Gagnon", "MD, CCFP", "family-medicine", True),
              Partner("Émilie Tremblay", "NP", "family-medicine", False))),
    Combo("gb", "gb", solo=False, voice=None, children=False, languages=("en",), complete=True,
          patient_url=False, promise=True, clinic="Ancoats Medical Practice", partners=(
              Partner("Oluwaseun Adeyemi", "BM BCh, FRCP", "internal-medicine", True),
              Partner("Karen O'Neil", "MB ChB, MRCGP", "general-practice", True))),
    Combo("ie", "ie", solo=True, voice=None, children=True, languages=("en", "fr"), complete=False,
          patient_url=True, promise=False, clinic="Rathmines Children's Clinic",
          # French cards do not fit the region's 85 mm stock today (test_the_regions_card_stock_takes_the_kit)
          card_stock="avery-l7414", partners=(
              Partner("Siobhán McAllister", "MB BCh BAO, FRCPI", "paediatrics", True),)),
    Combo("au", "au", solo=False, voice=None, children=True, languages=("en", "es"), complete=True,
          patient_url=False, promise=True, clinic="Marrickville Family Health", partners=(
              Partner("Zoë Müller-Núñez", "MBBS (Hons), FRACP", "paediatrics", True),
              Partner("Priya Raman", "BMBS, FRACGP", "general-practice", True))),
    Combo("nz", "nz", solo=True, voice="I", children=False, languages=("en",), complete=True,
          patient_url=True, promise=False, clinic="Ponsonby Women's Health", partners=(
              Partner("Aroha Ngata", "MB ChB, FRANZCOG", "ob-gyn", True),)),
]

# --- the practice's own texts --------------------------------------------------------------------------------------

T = dict[str, str]  # a text per language

TAGLINE: T = {"en": "Therapy for anxiety and low mood, usually within a week",
              "es": "Terapia para la ansiedad y el desánimo, por lo general en una semana",
              "fr": "Thérapie pour l'anxiété et la déprime, en général en une semaine"}
HOURS: T = {"en": "Mon–Thu 8am–6pm", "es": "de lunes a jueves, de 8:00 a 18:00", "fr": "du lundi au jeudi, de 8 h à 18 h"}
SLIDING: T = {"en": "Sliding-scale fees", "es": "Tarifa según sus ingresos", "fr": "Tarif selon le revenu"}
CHILD_SERVICES = [
    ("Anxiety in children and teens", "Skills-based therapy for worry, panic and avoidance in ages 6 to 17.",
     {"en": "Children and teens who worry a lot or have panic attacks",
      "es": "Niños y adolescentes que se preocupan mucho o tienen ataques de pánico",
      "fr": "Enfants et adolescents très inquiets ou qui font des crises de panique"}),
    ("School refusal and low mood", "Therapy for low mood and school refusal, with parents involved in every plan.",
     {"en": "Children who feel down or do not want to go to school",
      "es": "Niños que se sienten tristes o no quieren ir a la escuela",
      "fr": "Enfants tristes ou qui ne veulent pas aller à l'école"}),
]
ADULT_SERVICES = [
    ("Anxiety and panic", "Skills-based therapy for worry, panic attacks and avoidance.",
     {"en": "Worry that does not stop, panic attacks",
      "es": "Preocupación que no para, ataques de pánico",
      "fr": "Inquiétude qui ne s'arrête pas, crises de panique"}),
    ("Depression and life changes", "Talk therapy for low mood, grief and big life changes.",
     {"en": "Feeling sad or flat, grief, a big change in life",
      "es": "Tristeza o desánimo, duelo, un gran cambio en la vida",
      "fr": "Tristesse ou découragement, deuil, un grand changement de vie"}),
]
FOCUS: T = {"en": "Anxiety and low mood", "es": "Ansiedad y desánimo", "fr": "Anxiété et déprime"}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French"}
CLINICIANS = [("Maya Ortiz", "LCSW"), ("Ben Cole", "PsyD")]


def _per_language(text: T, combo: Combo, translated: bool) -> str | dict[str, str]:
    """A patient text as practice.yaml writes it: one string for an English-only kit, a mapping with every
    patient language when translated, else the English alone (the partly translated kit's gap)."""
    if not combo.other_languages:
        return text["en"]
    if not translated:
        return text["en"]
    return {lang: text[lang] for lang in combo.languages}


def practice(combo: Combo) -> dict[str, Any]:
    """practice.yaml of `combo`, as a dict (dumped to YAML, and read back to resolve a warning's field)."""
    phone, fax = PHONES[combo.region]
    partial = not combo.complete
    specialties = sorted({p.specialty for p in combo.partners})
    services_written = CHILD_SERVICES if combo.children else ADULT_SERVICES
    child_slugs = ["pediatrics", "child-psychiatry"] if combo.region in ("us", "ca") else ["paediatrics",
                                                                                        "child-psychiatry"]
    services = []
    for i, (name, summary, for_patients) in enumerate(services_written):
        slugs = sorted(set(specialties) | (set(child_slugs) if combo.children else set()))
        # the partly translated kit: the first service has no version in the other language at all
        services.append({"name": name, "summary": summary, "specialties": slugs if i == 0 else specialties,
                         "for_patients": _per_language(for_patients, combo, not (partial and i == 0))})
    we = combo.we
    steps = (["Hand your patient our card.", "Call us while the patient is with you; we can book the first visit."]
             if we else
             ["Hand your patient my card.", "Call me while the patient is with you; I can book the first visit."])
    referral: dict[str, Any] = {
        "form_url": "https://secure.harbourlight.example/refer",
        "steps": steps,
        "what_to_send": ["Patient name and phone number", "Reason for referral"],
    }
    if combo.promise:
        referral["acknowledge_within_hours"] = 48
    if combo.patient_url:
        referral["patient_url"] = "https://harbourlight.example/first-appointment"
    clinicians = CLINICIANS[:1] if combo.solo else CLINICIANS
    langs = [LANGUAGE_NAMES[lang] for lang in combo.languages]
    profile: dict[str, Any] = {
        "name": combo.practice_name,
        "tagline": _per_language(TAGLINE, combo, True),
        "contact": {"phone": phone, "fax": fax, "email": "referrals@harbourlight.example",
                    "website": "https://harbourlight.example", "address": "10 Dock Street, Harbourtown"},
        "referral": referral,
        "availability": {"accepting_new_clients": True, "first_appointment_within_days": 7, "telehealth": True,
                         "hours": _per_language(HOURS, combo, not partial), "as_of": AS_OF},
        # the partly translated kits write "Self-pay" as kitgen's own scaffold once suggested: English, unwarned
        "insurance": [*PLANS[combo.region], _per_language(SLIDING, combo, True) if combo.complete else "Self-pay"],
        "services": services,
        "not_a_fit": [{"who": "Patients at imminent risk of harm",
                       "instead": "Use the crisis and emergency numbers below"}],
        "clinicians": [{"name": n, "credentials": c, "focus": _per_language(FOCUS, combo, not partial),
                        "languages": langs} for n, c in clinicians],
    }
    if combo.voice:
        profile["voice"] = combo.voice
    return profile


def partner_file(combo: Combo, partner: Partner) -> dict[str, Any]:
    written: dict[str, Any] = {"name": partner.name, "credentials": partner.credentials,
                               "specialty": partner.specialty, "practice": combo.clinic}
    if partner.office_contact:
        written["office_contact"] = partner.office_contact
    if partner.email:
        written["email"] = partner.email
    return written


def write_kit(combo: Combo, root: Path) -> Project:
    project = Project(root)
    config = {"base_url": "https://refer.example.org/", "region": combo.region}
    if combo.card_stock:
        config["card_stock"] = combo.card_stock
    if combo.other_languages:
        config["patient_languages"] = list(combo.languages)
    project.write("kitgen.yaml", dump(config))
    project.write("content/practice.yaml", dump(practice(combo)))
    for partner in combo.partners:
        project.write(f"content/partners/{partner.slug}.yaml", dump(partner_file(combo, partner)))
    return project


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def resolve(data: Any, path: str) -> Any:
    """The value at a problem's field path ('services[0].for_patients', 'insurance[2]') in `data`; None if absent."""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(data, list) or index >= len(data):
                return None
            data = data[index]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def english_texts(data: Any, path: str = "") -> dict[str, str]:
    """Every text of the practice's in English, by field path: a mapping's `en`, or a plain string."""
    found: dict[str, str] = {}
    if isinstance(data, dict) and "en" in data and all(isinstance(v, str) for v in data.values()):
        found[path] = data["en"]
    elif isinstance(data, dict):
        for k, v in data.items():
            found.update(english_texts(v, f"{path}.{k}" if path else k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found.update(english_texts(v, f"{path}[{i}]"))
    elif isinstance(data, str):
        found[path] = data
    return found


@dataclass
class Names:
    """What a piece prints as written in every language: names, plans, addresses, numbers and addresses."""

    texts: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, combo: Combo, profile: dict[str, Any]) -> Names:
        from kitgen.content import regions
        names = [combo.practice_name, combo.clinic, profile["contact"]["address"], *PLANS[combo.region]]
        for c in profile["clinicians"]:
            names += [c["name"], c["credentials"]]
        for p in combo.partners:
            names += [p.name, p.credentials, p.surname, p.name.split()[0]]
        names += [line.name for line in regions.REGIONS[combo.region].crisis_lines]
        return cls(sorted(set(names), key=len, reverse=True))
