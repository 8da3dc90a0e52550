"""The kit's content as typed, validated objects: the practice profile and the whole kit, what the templates see
(kitgen.yaml is config.py, the partner files and talks partners.py). Field types and defaults are the schema."""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from anyascii import anyascii

from kitgen.content import codes, phones, regions, rules
from kitgen.content.config import Config
from kitgen.content.partners import Partner, Talk
from kitgen.content.rules import SLUG as SLUG  # where other modules have imported it from
from kitgen.content.schema import derived, lines, rule
from kitgen.content.yamlload import Document

_SYLLABIC = ("CJK", "HANGUL", "HIRAGANA", "KATAKANA")  # a character is a syllable: slugs part them
# Specialties whose patients are children: a service for one means the practice sees children.
CHILD_SPECIALTIES = {"pediatrics", "paediatrics", "adolescent-medicine", "neonatology", "developmental-pediatrics",
                     "child-psychiatry", "child-and-adolescent-psychiatry"}
AUDIENCES = ["adults", "children", "families"]  # practice.yaml `patients`: whom the patient pieces address
VOICES = ["we", "I"]  # practice.yaml `voice`: how kitgen's words on every piece speak for the practice


# --- practice ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    phone: str = rule(rules.phone)
    email: str = rule(rules.email)
    address: str = lines()  # may span lines (a postal address)
    fax: str | None = rule(rules.phone, None)
    website: str | None = rule(rules.web_url, None)


@dataclass(frozen=True)
class Referral:
    form_url: str = rule(rules.https_url)
    steps: list[str] = rule(rules.non_empty_list)
    what_to_send: list[str] = rule(rules.non_empty_list)
    tracking_param: str = rule(lambda v, _: None if re.fullmatch(r"[A-Za-z0-9_.-]+", v)
                               else f"{v!r} must be letters, digits, '_', '.' or '-'", "ref")
    acknowledge_within_hours: int | None = rule(rules.positive, None)
    commitments: list[str] = field(default_factory=list)  # promises to physicians, printed as written
    patient_url: str | None = rule(rules.https_url, None)  # where a patient asks for a first visit (cards, leaflet)
    form_baa_signed: bool = False  # the form's service signed a BAA: silences the general-purpose form warning


@dataclass(frozen=True, kw_only=True)
class Availability:
    accepting_new_clients: bool
    first_appointment_within_days: int = rule(rules.not_negative)
    as_of: datetime.date
    telehealth: bool = False
    hours: str | None = lines(None)


@dataclass(frozen=True)
class Service:
    name: str
    summary: str = lines()
    specialties: list[str] = field(default_factory=list)
    for_patients: str | None = None  # the service in a patient's words, for the patient leaflet (else its name)


@dataclass(frozen=True)
class NotAFit:
    who: str = lines()
    instead: str = lines()


@dataclass(frozen=True)
class Clinician:
    name: str
    credentials: str
    focus: str = lines()
    photo: str | None = rule(rules.image, None)
    languages: list[str] = field(default_factory=list)  # named in the kit's language once loaded (languages.named)
    language_tags: tuple[str, ...] = derived(())  # the languages' tags, for pieces in other languages

    @property
    def slug(self) -> str:
        """The name as a file-name part: 'Renée Thibodeaux' -> 'renee-thibodeaux', 'Мария Иванова' ->
        'mariya-ivanova', '王伟' -> 'wang-wei' (per-clinician card sheets). Transliterated by anyascii (ISC licence;
        unidecode is GPL), one syllable per Chinese, Japanese or Korean character; names whose slugs still collide
        are refused where they are written (load.py)."""
        ascii_name = "".join(f" {anyascii(c)} " if unicodedata.name(c, "").startswith(_SYLLABIC) else anyascii(c)
                             for c in self.name)
        return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "clinician"


@dataclass(frozen=True)
class Signer:
    """Who signs the intro letters and e-mails: a person, not the practice."""

    name: str
    credentials: str | None = None  # default: those of the clinician of that name
    role: str | None = None         # "Clinical director", printed under the name
    signature: str | None = rule(rules.image, None)  # an image of the handwritten signature, printed above the name


@dataclass(frozen=True)
class LocalCrisisLine:
    """A crisis line the practice prints besides (or instead of) the region's: a county crisis team, a hospital."""

    name: str
    call: str | None = rule(rules.service_phone, None)
    text: str | None = rule(rules.service_phone, None)

    @staticmethod
    def whole_problems(values: dict[str, object]) -> list[tuple[str, str]]:
        if not values.get("call") and not values.get("text"):
            return [("name", "needs a number: add `call:`, `text:` or both")]
        return []


@dataclass(frozen=True)
class Crisis:
    lines: list[LocalCrisisLine] = field(default_factory=list)
    replace: bool = False  # print only these lines, not the region's (the emergency number always stays)

    @staticmethod
    def whole_problems(values: dict[str, object]) -> list[tuple[str, str]]:
        if values.get("replace") and not values.get("lines"):
            return [("replace", "replaces the region's crisis lines with none; add your own under `lines:`")]
        return []


@dataclass(frozen=True)
class Fees:
    """Ways to pay besides the insurance plans, worded by kitgen in each piece's language ("Self-pay", "Pago por
    cuenta propia") wherever the plans are listed."""

    self_pay: bool = False       # clients may pay the fee themselves, without insurance
    sliding_scale: bool = False  # lower fees by income


@dataclass(frozen=True, kw_only=True)
class Practice:
    name: str = rule(rules.sender_name)
    contact: Contact
    referral: Referral
    availability: Availability
    services: list[Service] = rule(rules.non_empty_list)
    insurance: list[str] = field(default_factory=list)  # plans by name; none at all needs fees.self_pay
    tagline: str | None = None
    logo: str | None = rule(rules.image, None)
    not_a_fit: list[NotAFit] = field(default_factory=list)
    clinicians: list[Clinician] = field(default_factory=list)
    crisis: Crisis = field(default_factory=Crisis)  # own crisis lines, printed with the region's
    signer: Signer | None = None  # who signs the letters; default: the only clinician, else the first
    sees_children: bool | None = None  # deprecated alias of `patients` (lint.py warns): true = not adults only
    patients: str | None = rule(rules.one_of(AUDIENCES), None)  # whom patient pieces address; unset: from specialties
    voice: str = rule(rules.one_of(VOICES), "we")  # kitgen's words say "we" or "I" for the practice, on every piece
    fees: Fees = field(default_factory=Fees)  # self-pay, sliding scale: listed with the insurance plans

    @staticmethod
    def whole_problems(values: dict[str, object]) -> list[tuple[str, str]]:
        """A practice that takes no insurance says how clients pay instead (`fees.self_pay`)."""
        fees = values.get("fees")  # converted: a Fees, or absent
        if not values.get("insurance") and not (isinstance(fees, Fees) and fees.self_pay):
            return [("insurance", "needs at least one plan you accept; if you take no insurance, leave it out and "
                                  "set fees: {self_pay: true}")]
        return []

    @property
    def audience(self) -> str:
        """Whom the patient pieces speak to: `patients`; else from the services: every one for a children's
        specialty (pediatrics and its kin) "children", some "families", none "adults". The old `sees_children`
        still counts: false is "adults", true keeps the derived value unless that is "adults" ("families")."""
        if self.patients is not None:
            return self.patients
        child = [bool(set(s.specialties) & CHILD_SPECIALTIES) for s in self.services]
        derived = "children" if child and all(child) else "families" if any(child) else "adults"
        if self.sees_children is not None:
            return ("families" if derived == "adults" else derived) if self.sees_children else "adults"
        return derived

    @property
    def children(self) -> bool:
        """Whether the practice sees children (the fax form asks for a parent or guardian): not adults only."""
        return self.audience != "adults"

    @property
    def says_i(self) -> bool:
        """kitgen's words speak for the practice as "I" (`voice: I`), else as "we"."""
        return self.voice == "I"

    @property
    def signed_by(self) -> Signer | None:
        """Who signs: `signer` (with the credentials of the clinician of that name unless it gives its own), else
        the only clinician, else the first; None for a practice without clinicians (the practice signs)."""
        if self.signer is not None:
            if self.signer.credentials is not None:
                return self.signer
            same = next((c for c in self.clinicians if c.name == self.signer.name), None)
            return Signer(self.signer.name, same.credentials if same else None, self.signer.role,
                          self.signer.signature)
        if self.clinicians:
            first = self.clinicians[0]
            return Signer(first.name, first.credentials)
        return None

    @property
    def solo(self) -> bool:
        """One clinician: "Your therapist" rather than "Our therapists"; with `voice: I`, "I listen" rather than
        "your therapist listens" (a group's patient may see another clinician). The voice itself is `says_i`."""
        return len(self.clinicians) == 1

    @property
    def languages(self) -> list[str]:
        """Every language a clinician sessions in, once each, in the order the profile first names them: named in
        the kit's language once loaded ("Spanish" for `Español` or `es`, languages.named)."""
        return list(dict.fromkeys(lang for c in self.clinicians for lang in c.languages))


# --- the whole kit -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kit:
    """Everything a build needs, validated. Derived values live here so every template agrees on them."""

    root: Path
    config: Config
    practice: Practice
    partners: list[Partner]
    talks: list[Talk]
    practice_doc: Document | None = field(default=None, repr=False, compare=False)  # where each value is
    config_doc: Document | None = field(default=None, repr=False, compare=False)

    def config_line(self, *key: str | int) -> int:
        """The line in kitgen.yaml of the value at `key`, for messages that point at it."""
        return self.config_doc.line(key) if self.config_doc is not None else 0

    def practice_line(self, *key: str | int) -> int:
        """The line in practice.yaml of the value at `key` (e.g. "services"), for messages that point at it."""
        return self.practice_doc.line(key) if self.practice_doc is not None else 0

    @functools.cached_property
    def referral_codes(self) -> dict[str, str]:
        """Slug -> the short code printed on the partner's cards (see codes.py)."""
        return codes.assign(self.partners)

    @functools.cached_property
    def crisis_lines(self) -> list[regions.CrisisLine]:
        """What every "not for emergencies" line prints: the region's crisis lines (unless the practice replaces
        them), then the practice's own."""
        own = self.practice.crisis
        lines = [] if own.replace else list(self.config.regional.crisis_lines)
        region = self.config.region
        return lines + [regions.local_line(line.name, line.call and phones.display(line.call, region),
                                           line.text and phones.display(line.text, region)) for line in own.lines
                        if line.name is not None]  # None: a piece in a language the name has no version in

    def referral_code(self, partner: Partner) -> str:
        return self.referral_codes[partner.slug]

    def referral_url(self, partner: Partner) -> str:
        """The form URL with `<tracking_param>=<slug>` added, keeping any query it already has."""
        return self._tracked(self.practice.referral.form_url, partner)

    def patient_url(self, partner: Partner) -> str | None:
        """Where the patient's QR code goes (cards, patient leaflet): `referral.patient_url`, tagged with the
        partner like the referral URL so the practice knows who sent the patient. None without one: the patient
        pieces then offer the phone only, never the physicians' form (check/validate.py's patient_url warns)."""
        url = self.practice.referral.patient_url
        return self._tracked(url, partner) if url else None

    def qr_url(self, partner: Partner) -> str:
        """What the physicians' QR codes encode: an address of the kit's own site (`<base_url>r/<code>/`) that
        forwards to `referral_url` (documents/redirects.py), so printed codes follow `form_url` when it moves."""
        return self.config.site_root + self.redirect_path(partner, "r")

    def patient_qr_url(self, partner: Partner) -> str | None:
        """What the patients' QR codes encode (`<base_url>p/<code>/`, forwarding to `patient_url`), or None."""
        return self.config.site_root + self.redirect_path(partner, "p") if self.patient_url(partner) else None

    def redirect_path(self, partner: Partner, folder: str) -> str:
        """`r/<code>/` (the referral form) or `p/<code>/` (patients); with private URLs the partner's token
        instead of the code, since four characters can be tried one by one and the page names the partner."""
        key = partner.url_token if self.config.private_urls and partner.url_token else self.referral_code(partner)
        return f"{folder}/{key}/"

    def _tracked(self, url: str, partner: Partner) -> str:
        parts = urllib.parse.urlsplit(url)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        query.append((self.practice.referral.tracking_param, partner.slug))
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def card_sheets(self, partner: Partner | None = None) -> list[str]:
        """The card sheets to print: one per clinician (their slugs) when kitgen.yaml asks, else the practice's
        one sheet (""), which names every clinician."""
        if not self.config.cards_per_clinician or not self.practice.clinicians:
            return [""]
        return list(dict.fromkeys(c.slug for c in self.practice.clinicians))

    def page_path(self, partner: Partner) -> str:
        """The page's folder under the site root: the slug, plus the partner's token when URLs are private."""
        if self.config.private_urls and partner.url_token:
            return f"{partner.slug}-{partner.url_token}/"
        return f"{partner.slug}/"

    def page_url(self, partner: Partner) -> str:
        return self.config.site_root + self.page_path(partner)

    def services_for(self, partner: Partner) -> list[Service]:
        """Services that matter to this physician's specialty first, the rest after, each in profile order."""
        services = self.practice.services
        return ([s for s in services if partner.specialty in s.specialties]
                + [s for s in services if partner.specialty not in s.specialties])

    def patients_call(self, partner: Partner) -> str:
        """What the patient pieces call the partner: "gp" where patients say "your GP" for a general practitioner
        (the region's SAYS_GP), "doctor" for anyone titled, else "provider" (a nurse practitioner, a PA)."""
        if partner.gp and self.config.regional.says_gp:
            return "gp"
        return "doctor" if partner.honorific else "provider"

    def featured(self, service: Service, partner: Partner) -> bool:
        return partner.specialty in service.specialties

    def talk_for(self, partner: Partner) -> Talk | None:
        """The partner's chosen talk, else the first whose specialties match, else the first."""
        by_slug = {t.slug: t for t in self.talks}
        if partner.talk:
            return by_slug[partner.talk]
        matching = [t for t in self.talks if partner.specialty in t.specialties]
        found = matching or self.talks
        return found[0] if found else None
