"""What a kit is made of: one table of document kinds. Adding a kind of document is adding one row here (and its
template): the planner, the renderers, the manifest, the landing page's download list, the preview's index and
the page-limit messages all read the row. A row says how its kind fans out (one file per patient language, one
card sheet per clinician) and what it is made by (a template, or a function).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NewType

from kitgen import record
from kitgen.content.languages import file_part
from kitgen.content.regions import N_  # links are messages of the catalogs (scripts/catalogs.py)

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner, Talk

Area = Literal["site", "desk"]
Format = Literal["html", "pdf", "code"]
Scope = Literal["partner", "practice"]

SITE: Area = "site"  # deployed as is, public
DESK: Area = "desk"  # the therapist's own, never deployed

# Functions get the kit (and partner) as documents see them: kitgen/record.py's proxies, which stand for the Kit and
# Partner they wrap. The theme is a render.themes.Theme, typed `object` here as the table sits below render/.
Maker = Callable[["Kit", "Partner | None", object, str], bytes]  # (kit, partner, theme, variant) -> the bytes
Context = Callable[["Kit", "Partner | None", object], dict[str, object]]  # -> extra template variables
FanOut = Callable[["Kit", "Partner | None"], Sequence[str]]


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
    sparse: str | None = None           # a larger layout tried when the first leaves the page blank (render/columns.py)
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
            variant = f"{base}-{file_part(tag)}" if base else file_part(tag)
        return self.filename.format(variant=variant) if variant else \
            self.filename.replace("-{variant}", "").format(variant="")

    def path(self, folder: str | None = None, variant: str = "") -> str:
        """Where a document of this kind goes, relative to the output folder; `folder` is the partner's."""
        name = self.named(variant)
        return f"{self.area}/{folder}/{name}" if self.per_partner else f"{self.area}/{name}"

    def variants(self, kit: Kit, partner: Partner | None) -> Sequence[Variant]:
        made = self.fan_out(kit, partner) if self.fan_out else ("",)
        if not self.patient:
            return [variant_of(v) for v in made]
        config = kit.config
        return [variant_of(v, tag if config.other_language(tag) else None) for v in made for tag in config.patient_tags]

    def href(self, root: str, variant: str = "") -> str:
        """The link from a partner's page: beside it, or at the site root for practice-wide files."""
        name = self.named(variant)
        return name if self.per_partner else root + name


Variant = NewType("Variant", str)  # one file of a kind: its fan-out part, and "@<tag>" for another patient language


def variant_of(base: str, tag: str | None = None) -> Variant:
    """The variant of fan-out part `base` in patient language `tag` (None: the kit's own): 'maya-ortiz', 'es' ->
    'maya-ortiz@es'. Job paths and the state file are made from this form: it does not change."""
    return Variant(base if tag is None else f"{base}@{tag}")


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
    variant: Variant
    talk: Talk | None  # the partner's talk, read only if the line names it (so only then recorded as read)

    @property
    def text(self) -> str:
        return self.fill(self.kind.link or "")

    def fill(self, link: str) -> str:
        """`link` (the row's, or its translation in the page's catalog) with the talk's title and the variant."""
        talk = self.talk.title if "{talk}" in link and self.talk is not None else ""
        return link.format(talk=talk, variant=split(self.variant)[0])

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

    def links(self, kit: Kit, partner: Partner, root: str, talk: Talk | None) -> list[Download]:
        """What a partner's page offers, one line per file (per variant for kinds that fan out)."""
        record.note(record.DOWNLOADS)
        return [Download(k, k.href(root, v), v, talk)
                for k in self.downloads if talk or not k.needs_talk for v in k.variants(kit, partner)]


@dataclass(frozen=True)
class Named:
    """A function named "module:function", imported on its first call: the table stays data, and a no-op build
    imports no maker (tests/test_layers.py resolves every row)."""

    target: str

    def __call__(self, *args: Any) -> Any:  # Any: it is a Maker, a Context or a FanOut, as its row says
        return self.resolve()(*args)

    def resolve(self) -> Callable[..., Any]:
        return _resolve(self.target)


@functools.cache
def _resolve(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _m(name: str) -> Named:
    return Named(f"kitgen.documents.makers:{name}")


KINDS = KindTable([
    Kind("landing", "index.html", "html", "landing.html", context=_m("page_head")),
    Kind("qr", "qr.svg", "code", make=_m("qr_svg"), label="QR code"),
    Kind("qr_print", "qr-print.svg", "code", make=_m("qr_print"), embedded=True),  # vectors in PDFs
    # referral.patient_url's, for print
    Kind("patient_qr_print", "patient-qr.svg", "code", make=_m("patient_qr_print"), embedded=True,
         fan_out=_m("with_patient_url")),
    Kind("one_pager", "one-pager.pdf", "pdf", "one_pager.html", max_pages=1, link=N_("One-page summary (PDF)"),
         label="one-pager", densities=("roomy", "normal", "snug", "compact"), sparse="airy"),
    Kind("cards", "cards-{variant}.pdf", "pdf", "cards.html", max_pages=2, label="cards", fan_out=_m("card_sheets"),
         context=_m("patient_qr"), fitted=True, overflow="shorten the text on the cards", patient=True),
    Kind("patient_leaflet", "patient-leaflet-{variant}.pdf", "pdf", "patient_leaflet.html", max_pages=1,
         link=N_("Leaflet for your patients: what to expect and how to book (PDF)"), label="patient leaflet",
         context=_m("patient_qr"), overflow="shorten the services' for_patients lines, the insurance list or the hours",
         patient=True, densities=("large", "normal", "compact")),
    Kind("handout", "lunch-and-learn.pdf", "pdf", "handout.html", max_pages=2, needs_talk=True, balanced=True,
         context=_m("parts"),
         overflow="shorten the talk", title="lunch-and-learn handout", link=N_("Lunch-and-learn handout: {talk} (PDF)"),
         label="lunch-and-learn"),
    Kind("headers", "_headers", "code", make=_m("headers"), scope="practice"),
    # the addresses the QR codes hold, forwarding to the form and the patients' address (documents/redirects.py)
    Kind("redirect", "r/{variant}/index.html", "code", make=_m("redirect_page"), scope="practice",
         fan_out=_m("redirect_keys")),
    Kind("patient_redirect", "p/{variant}/index.html", "code", make=_m("patient_redirect_page"), scope="practice",
         fan_out=_m("patient_redirect_keys")),
    Kind("redirect_js", "assets/redirect.js", "code", make=_m("redirect_js"), scope="practice"),
    Kind("redirects", "_redirects", "code", make=_m("redirects_file"), scope="practice",
         fan_out=_m("redirects_wanted")),
    Kind("brand_css", "assets/brand.css", "code", make=_m("brand_css"), scope="practice"),
    Kind("web_font", "assets/fonts/{variant}.woff2", "code", make=_m("web_font"), scope="practice",
         fan_out=_m("web_faces")),
    Kind("favicon", "assets/favicon.{variant}", "code", make=_m("favicon_file"), scope="practice",
         fan_out=_m("favicon_formats")),
    Kind("fax_form", "fax-referral-form.pdf", "pdf", "fax_form.html", max_pages=1, forms=True,
         link=N_("Fax referral form, fillable (PDF)"), label="fax form"),
    Kind("vcard", "referrals.vcf", "code", make=_m("vcard_file"), scope="practice", mime="text/vcard",
         link=N_("The referral line for your contacts (vCard)"), label="contact card"),
    # the therapist's own (desk/<slug>/ and desk/): never deployed
    Kind("intro_letter", "intro-letter.pdf", "pdf", "intro_letter.html", area=DESK, max_pages=1,
         context=_m("intro_paragraphs"), overflow="shorten the intro text", label="intro letter"),
    Kind("intro_email", "intro-email.eml", "code", make=_m("intro_email"), area=DESK, label="intro e-mail"),
    Kind("thank_you", "thank-you-cards.pdf", "pdf", "thank_you.html", area=DESK, max_pages=1,
         label="thank-you cards"),
    Kind("report_back", "report-back.pdf", "pdf", "report_back.html", area=DESK, max_pages=1, forms=True,
         overflow="shorten the practice's name, tagline or address", label="report-back letter"),
    Kind("followups", "followups.ics", "code", make=_m("followups_file"), area=DESK, scope="practice",
         label="follow-up calendar"),
])

