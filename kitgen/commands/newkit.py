"""`kitgen init DIR`: the user's own kit project, from six answers (asked in a terminal, or given as flags).

What kitgen cannot know is written as "TODO …": `kitgen check` lists every one with its line, and `kitgen build`
refuses to publish them. No fictional practice, partner or talk is copied in (that is `kitgen init --example`):
nothing of someone else's can end up on a physician's desk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import click

from kitgen.content import regions, urls
from kitgen.content.mail import addr_spec_problem
from kitgen.content.partnerfile import yaml_scalar
from kitgen.content.text import PLACEHOLDER
from kitgen.content.text import problem as text_problem

# What a referral carries in each region (kitgen.content.regions' codes), as the region's fax form asks for it
# (kitgen/documents and docs/regions/): the third item of `referral.what_to_send`, or (au) the whole list.
_FIRST_TWO = ["Patient name and phone number", "Reason for referral, in a sentence or two"]
WHAT_TO_SEND = {
    "us": [*_FIRST_TWO, "Insurance plan and member ID"],
    "ca": [*_FIRST_TWO, "Extended health plan (insurer), if any"],
    "gb": [*_FIRST_TWO, "NHS number; the insurer and authorisation code if the patient is insured"],
    "ie": [*_FIRST_TWO, "Medical card (GMS) number, if any"],
    # what a Better Access referral carries: docs/regions/au.md
    "au": ["Patient name, date of birth and address", "Diagnosis and current medications",
           "The number of sessions referred",
           "The GP Mental Health Treatment Plan (or the psychiatrist's or paediatrician's plan)"],
    "nz": [*_FIRST_TWO, "NHI number; the ACC claim or EAP approval number, if any"],
}
INSURANCE = {"au": "Medicare (Better Access)"}  # else a TODO: the plans are the practice's own
# Who the scaffold's service is for: the family doctor as North America calls one, the GP elsewhere.
SPECIALTY = {"us": "family-medicine", "ca": "family-medicine"}


@dataclass
class Answers:
    """The six things a new kit needs from its owner; None where not given (written as a TODO)."""

    name: str | None = None
    region: str | None = None
    phone: str | None = None
    email: str | None = None
    form_url: str | None = None
    site_url: str | None = None


def _text(value: str) -> str | None:
    return "is empty" if not value.strip() else text_problem(value.strip())


def _phone(value: str) -> str | None:
    return _text(value) or (None if sum(c.isdigit() for c in value) >= 3 else "has no phone number digits")


def _email(value: str) -> str | None:
    return _text(value) or addr_spec_problem(value.strip())


def _form_url(value: str) -> str | None:
    return _text(value) or urls.problem(value.strip(), https=True)


def _site_url(value: str) -> str | None:
    return _text(value) or urls.problem(value.strip())


def region_code(value: str | None) -> str:
    """The table's code for an answer ("GB " -> "gb"); the default region when none was given."""
    return (value or regions.DEFAULT).strip().lower()


def _region(value: str) -> str | None:
    return regions.problem(region_code(value))


def region_choices() -> str:
    """'us, ca, gb, ie, au or nz', from the one region table."""
    codes = list(regions.REGIONS)
    return f"{', '.join(codes[:-1])} or {codes[-1]}"


# field -> (question, example, check): the same checks `kitgen check` applies to the written file
QUESTIONS: dict[str, tuple[str, str, Callable[[str], str | None]]] = {
    "name": ("Your practice's name", "Riverbend Counseling", _text),
    "region": (f"Region ({region_choices()})", regions.DEFAULT, _region),
    "phone": ("The phone number physicians call to refer", "+1 541-555-0142", _phone),
    "email": ("E-mail address for referral questions", "referrals@yourpractice.com", _email),
    "form_url": ("Your secure online referral form (https://)", "https://intake.yourpractice.com/refer", _form_url),
    "site_url": ("Where the kit's pages will be hosted", "https://refer.yourpractice.com/", _site_url),
}


def problems(answers: Answers) -> list[tuple[str, str]]:
    """(field, message) for every given answer that the kit would refuse."""
    found = []
    for f in fields(answers):
        value = getattr(answers, f.name)
        if value is not None:
            message = QUESTIONS[f.name][2](value)
            if message:
                found.append((f.name, message))
    return found


def _todo(what: str) -> str:
    return yaml_scalar(f"{PLACEHOLDER} {what}")


def example(name: str, answers: Answers) -> str:
    """The example shown with a question: a phone number as the region already answered writes it."""
    if name == "phone" and answers.region and _region(answers.region) is None:
        return regions.get(region_code(answers.region)).phone_example
    return QUESTIONS[name][1]


def kitgen_yaml(answers: Answers) -> str:
    region = regions.get(region_code(answers.region))
    paper, stock = region.paper, region.card_stock
    base = yaml_scalar(answers.site_url.strip()) if answers.site_url else _todo("where output/site/ will be hosted, "
                                                                                "e.g. https://refer.yourpractice.com/")
    return "\n".join([
        "# kitgen settings for this kit project. Every key is explained in docs/format.md.",
        f"base_url: {base}   # where output/site/ will be hosted",
        f"region: {region.code}          # {region_choices()}: crisis numbers, phone numbers, paper, the fax form",
        f"paper: {paper}        # letter or a4: the one-pager and the handout",
        f"card_stock: {stock}   # the business-card stock you buy (docs/printing.md lists them)",
        "card_backs: true     # a second page with the card backs, for double-sided printing",
    ]) + "\n"


def practice_yaml(answers: Answers, today: datetime.date) -> str:
    def given(name: str, what: str) -> str:
        value = getattr(answers, name)
        return yaml_scalar(value.strip()) if value else _todo(what)

    region = regions.get(region_code(answers.region))
    send, insurance = WHAT_TO_SEND[region.code], INSURANCE.get(region.code)
    lines = [
        "# Your practice profile: what every physician's page and printed piece says about you.",
        "# Every field is described in docs/format.md. Lines that say TODO are yours to fill in:",
        "# `kitgen check` lists them all, and `kitgen build` refuses to publish them.",
        f"name: {given('name', 'your practice name')}",
        "# tagline: Therapy for anxiety and depression, usually within a week",
        "# logo: images/logo.svg        # put the file in content/images/",
        "contact:",
        f"  phone: {given('phone', 'the phone number physicians call to refer')}",
        f'  # fax: "{region.phone_example}"',
        f"  email: {given('email', 'your e-mail address for referral questions')}",
        "  # website: https://yourpractice.com",
        f"  address: {_todo('your street address, city and postcode')}",
        "referral:",
        f"  form_url: {given('form_url', 'your secure online referral form, https://…')}",
        "  # patient_url: https://yourpractice.com/first-visit   # patients' QR code; without it, your phone only",
        "  steps:                      # how a physician's office refers, in their order",
        "    - Hand your patient our card, or let them scan the QR code.",
        "    - Or call us while the patient is still in your office.",
        "  what_to_send:               # what you need with a referral",
        *[f"    - {yaml_scalar(item)}" for item in send],
        "availability:",
        "  accepting_new_clients: true",
        f"  first_appointment_within_days: {_todo('how many days until a new client is usually seen, e.g. 7')}",
        "  telehealth: false",
        f"  as_of: {today.isoformat()}           # update it when availability changes; kitgen warns after 60 days",
        "insurance:                    # the plans you accept, one per line",
        f"  - {yaml_scalar(insurance) if insurance else _todo('a plan you accept')}",
        "fees:                         # ways to pay besides the plans: kitgen words them in each language",
        "  self_pay: true              # clients may pay without insurance",
        "  sliding_scale: false        # lower fees by income",
        "services:                     # what you offer; a service listing a specialty leads for those physicians",
        f"  - name: {_todo('your main service, e.g. Anxiety and panic')}",
        f"    summary: {_todo('one or two sentences on what you offer')}",
        f"    specialties: [{SPECIALTY.get(region.code, 'general-practice')}]",
    ]
    return "\n".join(lines) + "\n"


def write_kit(target: Path, answers: Answers, today: datetime.date) -> list[Path]:
    """Write a new kit project into `target` (empty, or missing); FileExistsError when it already holds one."""
    target = Path(target)
    clashes = [target / item for item in ("kitgen.yaml", "content") if (target / item).exists()]
    if clashes:
        raise FileExistsError(f"{clashes[0]} already exists; choose an empty folder")
    files = {
        "kitgen.yaml": kitgen_yaml(answers),
        "content/practice.yaml": practice_yaml(answers, today),
        ".gitignore": "/output/\n",
    }
    for folder in ("partners", "talks", "images"):  # one file per physician, per talk; your logo and photos
        (target / "content" / folder).mkdir(parents=True, exist_ok=True)
    made = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if rel == ".gitignore" and path.exists():
            continue
        path.write_text(text, encoding="utf-8")
        made.append(path)
    return made


def ask(answers: Answers) -> None:
    """Ask, in a terminal, for every answer not given as an option; each is checked as `kitgen check` would."""
    def checked(check: Callable[[str], str | None]) -> Callable[[str], str]:
        def convert(value: str) -> str:
            message = check(value)
            if message:
                raise click.BadParameter(message)
            return value.strip()
        return convert

    for name, (question, _, check) in QUESTIONS.items():
        if getattr(answers, name) is None:
            setattr(answers, name, click.prompt(f"{question} (e.g. {example(name, answers)})",
                                                value_proc=checked(check)))
