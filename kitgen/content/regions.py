"""What changes from country to country: emergency and crisis numbers, "Dr." or "Dr", how dates are written, and
the default paper and card stock. One row per region (ISO 3166 code), every fact with its source.

The sources were read as stored copies of public pages (each cited beside its fact below and in docs/regions/);
re-check a service's own site before relying on a detail. Crisis-line wordings are gettext message ids (marked with
`N_`), so a catalog can put them in another language or spelling; the names and numbers are the services' own.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass


def N_(message: str) -> str:
    """Marks a message for the catalogs (Babel extracts `N_`) without translating it here."""
    return message


@dataclass(frozen=True)
class CrisisLine:
    """A crisis service, as printed on every piece that says "not for emergencies".

    `call` and `text` are the numbers as the service itself prints them ("13 11 14", "9-8-8"); `wording` is how to
    use it in a sentence ("call or text %(call)s (%(name)s)"), `brief` the few words a business card has room for.
    On the page `call` links to tel: and `text` to sms:, each as a phone in the region dials it (tel:131114,
    sms:+61477131114), derived by phonenumbers in phones.dialled rather than stored here.
    """

    name: str
    wording: str
    brief: str
    call: str | None = None
    text: str | None = None
    # (language, wording, brief): how to reach the line in another language, on pieces in that language
    in_language: tuple[tuple[str, str, str], ...] = ()
    own: bool = False  # the practice's own line: its name is printed as written, never looked up in a catalog

    def worded(self, language: str) -> tuple[str, str]:
        """(wording, brief) for a piece in `language` ('es')."""
        return next(((w, b) for lang, w, b in self.in_language if lang == language), (self.wording, self.brief))


# Wordings for a practice's own lines (practice.yaml `crisis.lines`), chosen by which numbers it gives.
CALL = N_("call %(name)s on %(call)s")
TEXT = N_("text %(name)s on %(text)s")
CALL_OR_TEXT = N_("call or text %(name)s on %(call)s")
CALL_AND_TEXT = N_("call %(name)s on %(call)s or text %(text)s")
BRIEF_CALL = N_("%(name)s %(call)s")
BRIEF_TEXT = N_("%(name)s: text %(text)s")


def local_line(name: str, call: str | None, text: str | None) -> CrisisLine:
    """A practice's own line, worded by the numbers it has."""
    wording = {(True, False): CALL, (False, True): TEXT}.get((bool(call), bool(text)))
    wording = wording or (CALL_OR_TEXT if call == text else CALL_AND_TEXT)
    return CrisisLine(name, wording, BRIEF_CALL if call else BRIEF_TEXT, call, text, own=True)


@dataclass(frozen=True)
class Region:
    code: str                 # ISO 3166-1 alpha-2, lower case: what kitgen.yaml `region` says
    name: str                 # for messages: "region: au (Australia)"
    country: str              # the phonenumbers region code: "AU"
    emergency: tuple[str, ...]
    crisis_lines: tuple[CrisisLine, ...]
    title: str                # before a physician's name: "Dr." or "Dr"
    locale: str               # Babel locale for dates: format_date(..., "long") gives the region's style
    catalog: str              # the gettext catalog of kitgen's own wording (spelling): en_US, en_GB...
    paper: str                # a key of stock.PAPER_MM
    card_stock: str           # a key of stock.STOCKS
    phone_example: str        # a valid number in the national format, for messages
    national_brackets: bool = True  # keep phonenumbers' "(02)" area-code brackets in the national format

    @property
    def says_gp(self) -> bool:
        """Patients call a general practitioner "your GP" here (SAYS_GP)."""
        return self.code in SAYS_GP

    @property
    def date_hint(self) -> str:
        """How a date is written in figures here, for a form's date fields (a message id, DATE_HINTS)."""
        return DATE_HINTS.get(self.code, DAY_FIRST)

    def cost_notes(self, insurance: list[str]) -> list[str]:
        """What a patient checks about paying, as said in this region (message ids, COST_NOTES); in Australia
        the Medicare rebate when the practice lists Medicare, then the private fund's note when it lists a fund
        too (a family told only of Medicare never learns their extras cover may pay)."""
        note = COST_NOTES.get(self.code, COST_NOTES[DEFAULT])
        if self.code == "au" and any("medicare" in plan.lower() for plan in insurance):
            others = [plan for plan in insurance if "medicare" not in plan.lower()]
            return [AU_MEDICARE, note if others else CALL_TO_CHECK]
        return [note]


# The service's name is a message too, so a piece in another language prints the service's own name there
# ("Línea 988 de Prevención del Suicidio y Crisis"; "9-8-8 : Ligne d'aide en cas de crise de suicide").
# 988 in Spanish: call 988 and press 2, or text AYUDA to 988 (988lifeline.org/get-help/what-to-expect;
#   medium.com/wadepthealth/the-spanish-subnetwork-crisis-support-for-people-who-speak-spanish-3ef49f22004f).
_LIFELINE_988 = CrisisLine(N_("Suicide & Crisis Lifeline"), N_("call or text %(call)s (%(name)s)"),
                           N_("call or text %(call)s"), call="988", text="988",
                           in_language=(("es", N_("call %(call)s and press 2 for Spanish, or text AYUDA to %(text)s "
                                                 "(%(name)s)"),
                                         N_("call %(call)s and press 2, or text AYUDA to %(text)s")),))
_SAMARITANS = CrisisLine("Samaritans", N_("call %(name)s free on %(call)s"), N_("%(name)s %(call)s"), call="116 123")

REGIONS: dict[str, Region] = {r.code: r for r in [
    # 911; 988 Suicide & Crisis Lifeline, call or text 988:
    #   https://988lifeline.org/get-help/what-to-expect
    # "Dr." with a full stop (Chicago/Turabian): https://philology.science/academic_writing/manual/341.html
    # "November 10, 2026": Babel's en_US long date. Letter paper, 3.5 x 2 in cards: avery-5371.
    Region("us", "United States", "US", ("911",), (_LIFELINE_988,), "Dr.", "en_US", "en_US",
           "letter", "avery-5371", "(541) 555-0142"),
    # 9-1-1; 9-8-8: Suicide Crisis Helpline, call or text, 24/7, since 30 Nov 2023:
    #   https://mentalhealthcommission.ca/catalyst/988-launches-in-canada/ ; https://cmhasaskatoon.ca/9-8-8/
    # In French, "9-8-8 : Ligne d'aide en cas de crise de suicide", in French and English, by phone and text:
    #   https://quebec.acsm.ca/9-8-8-la-ligne-de-prevention-du-suicide-a-trois-chiffres ; https://camh.ca/fr/agent-du-changement/988
    # "Dr." (Canadian Press: the title is followed by a period): http://tuninst.net/EIDIOM-TXT/Can-press/cp.htm
    # Letter paper and US card stock: the same North American sizes as the US (not re-sourced; print.md).
    Region("ca", "Canada", "CA", ("911",),
           (CrisisLine(N_("Suicide Crisis Helpline"), N_("call or text %(call)s (%(name)s)"),
                       N_("call or text %(call)s"), call="9-8-8", text="9-8-8"),),
           "Dr.", "en_CA", "en_CA", "letter", "avery-5371", "(613) 555-0123"),
    # 999; NHS 111, "select the mental health option" (England, 24/7):
    #   https://www.oundlesurgery.nhs.uk/news/accessing-mental-health-services-via-111
    # Samaritans 116 123, free, any time: https://www.samaritans.org/how-we-can-help/contact-samaritan/
    # "Dr" without a full stop (GOV.UK style): https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style
    # A4; cards are 85 x 55 mm there: avery-c32011 (85 x 54 mm) is the nearest precut stock (printshop-uk is the
    # exact size, from a print shop: one card per page, no default for a kit printed in the office).
    Region("gb", "United Kingdom", "GB", ("999",),
           (CrisisLine("NHS 111", N_("call NHS %(call)s and select the mental health option (England)"),
                       N_("NHS %(call)s (mental health option)"), call="111"), _SAMARITANS),
           "Dr", "en_GB", "en_GB", "a4", "avery-c32011", "0161 496 0471"),
    # 112 or 999 ("If it's urgent, call 112 or 999"): https://www.hse.ie/eng/services/news/newsfeatures/health-services-updates-red-weather-alert/
    # Samaritans 116 123 (as gb); text 50808, free, 24/7, HSE-funded:
    #   https://www.scpdublin1and7.ie/post/24-7-text-support-service-launches-in-ireland
    # "Dr": no Irish style source found; the British convention is assumed. British spelling (en_GB catalog).
    # A4; 85 x 55 mm cards as in Britain: avery-c32011 (85 x 54 mm) is the nearest precut stock.
    Region("ie", "Ireland", "IE", ("112", "999"),
           (_SAMARITANS, CrisisLine("50808", N_("text %(text)s (free, 24/7)"), N_("text %(text)s"), text="50808")),
           "Dr", "en_IE", "en_GB", "a4", "avery-c32011", "087 123 4567"),
    # 000; Lifeline: call 13 11 14, text 0477 13 11 14, 24/7:
    #   https://www.9news.com.au/national/lifeline-launches-247-text-service-as-record-numbers-of-australians-seek-support/51f2cf15-e2ba-40be-830f-a7d80a49f740
    #   https://lifelineh2h.org.au/get-help/telephone-crisis-support/faqs/
    # "Dr" (a contraction, no full stop; AGPS Style Manual):
    #   https://www.dentalcommunity.com.au/news/get-it-write/95af2ebc-5826-ef0b-dbbb-4ef9bd71e33f
    # Phone numbers without brackets ("02 1234 4321"):
    #   https://www.stylemanual.gov.au/grammar-punctuation-and-conventions/numbers-and-measurements/telephone-numbers
    # A4; cards are 90 x 55 mm there: avery-l7414 (90 x 52 mm) is the nearest precut stock (printshop-au is the
    # exact size, from a print shop: one card per page, no default for a kit printed in the office).
    Region("au", "Australia", "AU", ("000",),
           (CrisisLine("Lifeline", N_("call %(name)s on %(call)s or text %(text)s"), N_("%(name)s %(call)s"),
                       call="13 11 14", text="0477 13 11 14"),),
           "Dr", "en_AU", "en_AU", "a4", "avery-l7414", "02 9555 0187", national_brackets=False),
    # 111; 1737 "Need to talk?": free call or text, 24/7:
    #   https://www.health.govt.nz/news-media/news-items/phone-counselling-service-busy-following-christchurch-tragedy
    # "Dr" (contractions take no full stop): https://nzhistory.govt.nz/hands/a-guide-to-style
    # A4; 90 x 55 mm cards as in Australia: avery-l7414 (90 x 52 mm) is the nearest precut stock.
    Region("nz", "New Zealand", "NZ", ("111",),
           (CrisisLine("Need to talk?", N_("call or text %(call)s (%(name)s)"), N_("call or text %(call)s"),
                       call="1737", text="1737"),),
           "Dr", "en_NZ", "en_NZ", "a4", "avery-l7414", "09 555 0123"),
]}
DEFAULT = "us"

# Where a patient says "your GP" for a general practitioner (model.Partner.gp): Britain, Ireland, Australia and
# New Zealand, whose health services and GP colleges use the word (regions.md: "How GPs refer to a therapist";
# nhs.uk, hse.ie, racgp.org.au, rnzcgp.org.nz). In the US and Canada "your doctor" (Canada: "family doctor").
SAYS_GP = {"gb", "ie", "au", "nz"}

# A date in figures on a form: month first in the US (CLDR en_US "M/d/yy"); day first in the UK, Ireland, Australia
# and New Zealand (CLDR en_GB/en_IE/en_NZ "dd/MM/y", en_AU "d/M/yy"); in Canada year first, which the Translation
# Bureau recommends for numeric dates on forms in both official languages (noslangues-ourlanguages.gc.ca/bien-well/
# fra-eng/typographie-typography/dates-eng.html; CLDR en_CA and fr_CA "y-MM-dd").
DAY_FIRST = N_("DD/MM/YYYY")
DATE_HINTS = {"us": N_("MM/DD/YYYY"), "ca": N_("YYYY-MM-DD")}
# The patient leaflet's "Cost and insurance", after "We take: ...". Each says only what the patient can check,
# never what is paid: no practice.yaml field says more.
#   us: health plans with member cost-sharing.
#   ca: psychotherapists, social workers and psychologists are mostly not paid by the provincial plan; extended
#       health benefits, usually through work, often pay part: canadianlabour.ca/uncategorized/provincially-and-
#       territorially-funded-psychotherapy/ ; support.shiftcollab.com/how-do-i-know-if-im-covered-for-therapy
#   gb, ie: private therapy is paid by the patient or a private health insurer (Bupa, AXA Health, Vhi, Laya...);
#       insurers usually want a GP's referral: bupa.co.uk/healthcare-professionals/for-your-role/gps.
#   au: Better Access: Medicare rebates for up to 10 individual sessions a calendar year with a GP's Mental
#       Health Treatment Plan (or a psychiatrist's or paediatrician's referral), from eligible psychologists,
#       social workers and occupational therapists only, hence only when the practice lists Medicare:
#       https://wentwest.com.au/health-professionals/programs-and-priorities/mental-health/
#       better-access-mental-health-initiative ; since 1 Nov 2025 the plan comes from the patient's usual GP or
#       MyMedicare practice: https://cesphn.org.au/news/better-access
#       Otherwise a private health fund's extras cover may pay part.
#   nz: private therapy is paid by the patient, health insurance, ACC (sensitive claims) or another funder
#       (docs/regions/nz.md: the fax form's funding choices).
COST_NOTES = {
    "us": N_("Call to check what your plan pays."),
    "ca": N_("If you have health benefits, for example through work, check what they pay for therapy."),
    "gb": N_("If you have private health insurance, check with your insurer what it pays."),
    "ie": N_("If you have private health insurance, check with your insurer what it pays."),
    "au": N_("Call to check whether your private health fund pays part of the cost."),
    "nz": N_("Call to check whether your health insurance or another funder, such as ACC, pays part of the cost."),
}
# Better Access: a referral from a GP (with a Mental Health Treatment Plan), a psychiatrist or a paediatrician
# (newdirectionspsychology.com.au/medicare-better-access-scheme; ucr.group/medicare-rebates; docs/regions/au.md).
AU_MEDICARE = N_("With a referral from a GP (a Mental Health Treatment Plan), a psychiatrist or a paediatrician, "
                 "Medicare may pay part of the cost.")
CALL_TO_CHECK = N_("Call to check.")

# Not ISO 3166-1 codes, but what people write for a region kitgen has.
_COMMON_MISTAKES = {"uk": "gb", "eng": "gb", "usa": "us", "aus": "au", "can": "ca", "irl": "ie",
                    "nzl": "nz", "gbr": "gb"}


def problem(value: str) -> str | None:
    """Why `value` is not a region code kitgen knows (a sentence for a located message), or None when it is."""
    if value in REGIONS:
        return None
    lower = value.strip().lower()
    guess = lower if lower in REGIONS else _COMMON_MISTAKES.get(lower)
    if guess is None:
        close = difflib.get_close_matches(lower, REGIONS, n=1, cutoff=0.5)
        guess = close[0] if close else None
    hint = f"did you mean '{guess}' ({REGIONS[guess].name})? " if guess else ""
    return f"unknown region {value!r}; {hint}Use an ISO 3166 code: {', '.join(REGIONS)}"


def get(code: str) -> Region:
    return REGIONS[code]
