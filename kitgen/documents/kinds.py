"""What a kit is made of: one table of document kinds. Adding a kind of document is adding one row here (and its
template): the planner, the renderers, the manifest, the landing page's download list, the preview's index and
the page-limit messages all read the row. A row says how its kind fans out (one file per patient language, one
card sheet per clinician) and what it is made by (a template, or a function).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from kitgen.content.regions import N_  # links are messages of the catalogs (scripts/catalogs.py)

if TYPE_CHECKING:
    from kitgen.content.model import Kit, Partner
    from kitgen.render.themes import Theme

Area = Literal["site", "desk"]
Format = Literal["html", "pdf", "code"]
Scope = Literal["partner", "practice"]

SITE: Area = "site"  # deployed as is, public
DESK: Area = "desk"  # the therapist's own, never deployed

# Functions get the kit (and partner) as documents see them: render/record.py's tracked objects, which record
# what was read. They are typed Any for that reason.
Maker = Callable[[Any, Any, "Theme", str], bytes]  # (kit, partner, theme, variant) -> the file's bytes
Context = Callable[[Any, Any, "Theme"], dict[str, Any]]
FanOut = Callable[[Any, Any], Sequence[str]]


@dataclass(frozen=True)
class Kind:
    name: str                           # the key in the manifest's "files"
    filename: str                       # in <area>/<folder>/ (or <area>/ for the practice); "{variant}" when fanned
    format: Format                      # html or pdf (from `template`), or code (made by `make`)
    template: str | None = None         # the entry template in the theme
    make: Maker | None = None           # makes the file's bytes, for format "code"
    area: Area = SITE
    scope: Scope = "partner"
    max_pages: int | None = None        # a PDF longer than this is rendered condensed, then refused
    densities: tuple[str, ...] = ("normal", "compact")  # the layouts tried in turn: the first within max_pages prints
    overflow: str = "shorten the service summaries, not_a_fit, clinicians or the referral steps"  # the advice then
    forms: bool = False                 # a PDF whose inputs become fillable PDF form fields
    needs_talk: bool = False            # made only when the project has a talk for the partner
    link: str | None = None             # its line in the landing page's downloads ({talk} is the talk's title)
    mime: str | None = None             # the link's type attribute, where browsers need telling
    label: str | None = None            # its name in the preview's index; None: not listed there
    title: str = ""                     # its name in messages (default: the name, hyphenated)
    context: Context | None = None      # extra template variables, from (kit, partner, theme)
    fan_out: FanOut | None = None       # the variants to make, from (kit, partner): one file each
    fitted: bool = False                # its template fits text to boxes (render/fit.py): `check` renders it
    balanced: bool = False              # one page if it can, else no mostly blank last page (render/balance.py)
    patient: bool = False               # a patient piece: made once per patient language (kitgen.yaml)
    embedded: bool = False              # PDFs embed it: made before any PDF renders (and for check's layouts)

    # A patient piece's variant is "<fan-out variant>@<language tag>" for a language other than the kit's; its
    # file name gets "-<tag>" ("cards-es.pdf", "cards-maya-ortiz-es.pdf"). The kit's language keeps the plain name.

    @property
    def called(self) -> str:
        return self.title or self.name.replace("_", "-")

    @property
    def per_partner(self) -> bool:
        return self.scope == "partner"

    def named(self, variant: str = "") -> str:
        """The file name of `variant`; the default variant ("") drops its separator: cards-{variant}.pdf is
        cards.pdf, so a kind that fans out only on request keeps its usual name."""
        if not self.fan_out and not self.patient:
            return self.filename
        base, tag = split(variant)
        if tag is not None:
            from kitgen.content.languages import file_part
            variant = f"{base}-{file_part(tag)}" if base else file_part(tag)
        return self.filename.format(variant=variant) if variant else \
            self.filename.replace("-{variant}", "").format(variant="")

    def path(self, folder: str | None = None, variant: str = "") -> str:
        """Where a document of this kind goes, relative to the output folder; `folder` is the partner's."""
        name = self.named(variant)
        return f"{self.area}/{folder}/{name}" if self.per_partner else f"{self.area}/{name}"

    def variants(self, kit: Kit, partner: Partner | None) -> Sequence[str]:
        made = self.fan_out(kit, partner) if self.fan_out else ("",)
        if not self.patient:
            return made
        config = kit.config
        return [v if not config.other_language(tag) else f"{v}@{tag}" for v in made for tag in config.patient_tags]

    def href(self, root: str, variant: str = "") -> str:
        """The link from a partner's page: beside it, or at the site root for practice-wide files."""
        name = self.named(variant)
        return name if self.per_partner else root + name


def split(variant: str) -> tuple[str, str | None]:
    """A variant's fan-out part and its patient language (None: the kit's own): 'maya-ortiz@es' ->
    ('maya-ortiz', 'es')."""
    base, at, tag = variant.partition("@")
    return base, (tag if at else None)


@dataclass(frozen=True)
class Download:
    """One line of a landing page's downloads: a document of a kind that has a `link`."""

    kind: Kind
    href: str
    variant: str
    talk: Any  # the partner's talk, read only if the line names it (so only then recorded as read)

    @property
    def text(self) -> str:
        return self.fill(self.kind.link or "")

    def fill(self, link: str) -> str:
        """`link` (the row's, or its translation in the page's catalog) with the talk's title and the variant."""
        return link.format(talk=self.talk.title if "{talk}" in link else "", variant=split(self.variant)[0])

    @property
    def language(self) -> str | None:
        """The patient language of the file, when it is not the page's."""
        return split(self.variant)[1]

    @property
    def mime(self) -> str | None:
        return self.kind.mime


class KindTable:
    """The kinds, in the order they render, with the lookups everything else uses (kept live, so a row added
    at run time, as a plugin or a test would, is seen everywhere)."""

    def __init__(self, kinds: list[Kind]):
        self._kinds = kinds

    def __iter__(self) -> Iterator[Kind]:
        return iter(self._kinds)

    def __getitem__(self, name: str) -> Kind:
        return next(k for k in self._kinds if k.name == name)

    def __contains__(self, name: object) -> bool:
        return any(k.name == name for k in self._kinds)

    def add(self, kind: Kind) -> None:
        self._kinds.append(kind)

    def remove(self, name: str) -> None:
        self._kinds[:] = [k for k in self._kinds if k.name != name]

    @property
    def file_names(self) -> dict[str, str]:
        """What templates link to, relative to the partner's folder."""
        return {k.name: k.named() for k in self._kinds}

    @property
    def downloads(self) -> list[Kind]:
        return [k for k in self._kinds if k.link]

    def links(self, kit: Any, partner: Any, root: str, talk: Any) -> list[Download]:
        """What a partner's page offers, one line per file (per variant for kinds that fan out)."""
        from kitgen import record
        record.note("table:downloads")
        return [Download(k, k.href(root, v), v, talk)
                for k in self.downloads if talk or not k.needs_talk for v in k.variants(kit, partner)]


# --- makers: imported only when a file of their kind is made, so a no-op build stays light ---------------------

def _qr_svg(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import qr
    return qr.for_partner(kit, partner)


def _qr_print(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import qr
    return qr.print_for_partner(kit, partner)


def _patient_qr_print(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import qr
    return qr.print_svg(kit.patient_qr_url(partner))


def _with_patient_url(kit: Any, partner: Any) -> Sequence[str]:
    """The patient's QR code is made only for a `referral.patient_url`: never the physicians' form."""
    return [""] if kit.patient_url(partner) else []


def _patient_qr(kit: Any, partner: Any, theme: Theme) -> dict[str, Any]:
    """The patient's address and its QR code (beside the document): cards and the patient leaflet. Without
    `referral.patient_url` both are None and the pieces offer the phone only. The address printed is the one the
    code holds: the kit's own, which forwards (redirects.py), so a printed card outlives a change of booking page."""
    url = kit.patient_qr_url(partner)
    return {"patient_url": url, "patient_qr": KINDS["patient_qr_print"].named() if url else None}


def _redirect_keys(folder: str) -> FanOut:
    def keys(kit: Any, partner: Any) -> Sequence[str]:
        from kitgen.documents import redirects
        return redirects.keys(kit, folder)
    return keys


def _redirect_page(folder: str) -> Maker:
    def make(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
        from kitgen.documents import redirects
        return redirects.page(kit, theme, folder, variant)
    return make


def _redirect_js(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import redirects
    return redirects.SCRIPT_TEXT.encode()


def _redirects(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import redirects
    return redirects.redirects_file(kit)


def _redirects_wanted(kit: Any, partner: Any) -> Sequence[str]:
    from kitgen.documents import redirects
    return redirects.wanted(kit)


def _parts(kit: Any, partner: Any, theme: Theme) -> dict[str, Any]:
    from kitgen.render import balance
    return {"parts": balance.mark_parts}


def _card_sheets(kit: Any, partner: Any) -> Sequence[str]:
    return kit.card_sheets(partner)


def _headers(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import privacy
    return privacy.headers_file()


def _vcard(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import vcard
    return vcard.practice_card(kit, theme)


def _intro_email(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import intro
    return intro.intro_email(kit, partner, theme)


def _intro_paragraphs(kit: Any, partner: Any, theme: Theme) -> dict[str, Any]:
    """The letter's body, and its date: the day it is built (SOURCE_DATE_EPOCH's when set), not as_of."""
    from kitgen.documents import intro
    from kitgen.record import build_day
    return {"intro": lambda medium="letter": intro.paragraphs(kit, theme, partner, medium), "build_day": build_day()}


def _followups(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import followups
    return followups.calendar(kit)


def _brand_css(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import brandcss
    return brandcss.stylesheet(kit)


def _web_font(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import webfonts
    return webfonts.make(kit, theme, variant)


def _web_faces(kit: Any, partner: Any) -> list[str]:
    from kitgen.documents import webfonts
    return webfonts.faces(kit)


def _favicon(kit: Any, partner: Any, theme: Theme, variant: str) -> bytes:
    from kitgen.documents import favicon
    return favicon.make(kit)


def _favicon_formats(kit: Any, partner: Any) -> list[str]:
    from kitgen.documents import favicon
    return favicon.formats(kit)


def _page_head(kit: Any, partner: Any, theme: Theme) -> dict[str, Any]:
    from kitgen.documents import pagehead
    return {"head": pagehead.head(kit, KINDS["favicon"].filename)}


KINDS = KindTable([
    Kind("landing", "index.html", "html", "landing.html", context=_page_head),
    Kind("qr", "qr.svg", "code", make=_qr_svg, label="QR code"),
    Kind("qr_print", "qr-print.svg", "code", make=_qr_print, embedded=True),  # vectors in PDFs (issue 24)
    # referral.patient_url's, for print
    Kind("patient_qr_print", "patient-qr.svg", "code", make=_patient_qr_print, embedded=True,
         fan_out=_with_patient_url),
    Kind("one_pager", "one-pager.pdf", "pdf", "one_pager.html", max_pages=1, link=N_("One-page summary (PDF)"),
         label="one-pager", densities=("roomy", "normal", "snug", "compact")),
    Kind("cards", "cards-{variant}.pdf", "pdf", "cards.html", max_pages=2, label="cards", fan_out=_card_sheets,
         context=_patient_qr, fitted=True, overflow="shorten the text on the cards", patient=True),
    Kind("patient_leaflet", "patient-leaflet-{variant}.pdf", "pdf", "patient_leaflet.html", max_pages=1,
         link=N_("Leaflet for your patients: what to expect and how to book (PDF)"), label="patient leaflet",
         context=_patient_qr, overflow="shorten the services' for_patients lines, the insurance list or the hours",
         patient=True, densities=("large", "normal", "compact")),
    Kind("handout", "lunch-and-learn.pdf", "pdf", "handout.html", max_pages=2, needs_talk=True, balanced=True,
         context=_parts,
         overflow="shorten the talk", title="lunch-and-learn handout", link=N_("Lunch-and-learn handout: {talk} (PDF)"),
         label="lunch-and-learn"),
    Kind("headers", "_headers", "code", make=_headers, scope="practice"),
    # the addresses the QR codes hold, forwarding to the form and the patients' address (documents/redirects.py)
    Kind("redirect", "r/{variant}/index.html", "code", make=_redirect_page("r"), scope="practice",
         fan_out=_redirect_keys("r")),
    Kind("patient_redirect", "p/{variant}/index.html", "code", make=_redirect_page("p"), scope="practice",
         fan_out=_redirect_keys("p")),
    Kind("redirect_js", "assets/redirect.js", "code", make=_redirect_js, scope="practice"),
    Kind("redirects", "_redirects", "code", make=_redirects, scope="practice", fan_out=_redirects_wanted),
    Kind("brand_css", "assets/brand.css", "code", make=_brand_css, scope="practice"),
    Kind("web_font", "assets/fonts/{variant}.woff2", "code", make=_web_font, scope="practice", fan_out=_web_faces),
    Kind("favicon", "assets/favicon.{variant}", "code", make=_favicon, scope="practice", fan_out=_favicon_formats),
    Kind("fax_form", "fax-referral-form.pdf", "pdf", "fax_form.html", max_pages=1, forms=True,
         link=N_("Fax referral form, fillable (PDF)"), label="fax form"),
    Kind("vcard", "referrals.vcf", "code", make=_vcard, scope="practice", mime="text/vcard",
         link=N_("The referral line for your contacts (vCard)"), label="contact card"),
    # the therapist's own (desk/<slug>/ and desk/): never deployed
    Kind("intro_letter", "intro-letter.pdf", "pdf", "intro_letter.html", area=DESK, max_pages=1,
         context=_intro_paragraphs, overflow="shorten the intro text", label="intro letter"),
    Kind("intro_email", "intro-email.eml", "code", make=_intro_email, area=DESK, label="intro e-mail"),
    Kind("thank_you", "thank-you-cards.pdf", "pdf", "thank_you.html", area=DESK, max_pages=1,
         label="thank-you cards"),
    Kind("report_back", "report-back.pdf", "pdf", "report_back.html", area=DESK, max_pages=1, forms=True,
         overflow="shorten the practice's name, tagline or address", label="report-back letter"),
    Kind("followups", "followups.ics", "code", make=_followups, area=DESK, scope="practice",
         label="follow-up calendar"),
])
RESERVED_SLUGS = {"assets", "media", "r", "p"}  # site folders that are not partners (r/, p/: redirects.py)

