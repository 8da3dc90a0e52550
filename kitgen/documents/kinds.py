"""What a kit is made of: one table of document kinds. Adding a kind of document is adding one row here
(and its template); the planner, the renderers, the manifest and the landing page's links all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE = "site"  # deployed as is, public
DESK = "desk"  # the therapist's own, never deployed


@dataclass(frozen=True)
class Kind:
    name: str                    # the key in the manifest's "files"
    filename: str                # on disk, in <area>/<slug>/ (or <area>/ for practice-wide kinds)
    template: str | None         # the entry template in the theme; None when made in code (the QR code)
    format: str                  # "html" or "pdf" (from the template), or "code" (made by `maker`)
    inputs: tuple[str, ...]      # content it is made from, besides its templates, the config and kitgen itself
    area: str = SITE
    max_pages: int | None = None
    per_partner: bool = True
    maker: str | None = None     # "module:function" returning the file's bytes from (kit, partner or None, theme)
    forms: bool = False          # a PDF whose inputs become fillable PDF form fields

    def path(self, folder: str | None = None) -> str:
        """Where a document of this kind goes, relative to the output folder; `folder` is the partner's."""
        return f"{self.area}/{folder}/{self.filename}" if self.per_partner else f"{self.area}/{self.filename}"


# inputs: "partner" (its YAML file), "partners" (every partner file), "practice" (practice.yaml), "talk" (the
# partner's talk), "media" (images the document embeds), "print" (the print stylesheet and the fonts), "url" (only
# the referral URL), "code" (the partner's referral code, which another partner's file can move). Keep them honest:
# a missing input means stale output after an edit; an extra one only means a needless rebuild.
KINDS = [
    Kind("landing", "index.html", "landing.html", "html", ("partner", "practice", "talk", "code")),
    Kind("qr", "qr.svg", None, "code", ("url",), maker="kitgen.documents.qr:for_partner"),
    Kind("qr_print", "qr.png", None, "code", ("url",), maker="kitgen.documents.qr:png_for_partner"),
    Kind("one_pager", "one-pager.pdf", "one_pager.html", "pdf", ("partner", "practice", "media", "print", "code"),
         max_pages=1),
    Kind("cards", "cards.pdf", "cards.html", "pdf", ("partner", "practice", "print", "code"), max_pages=2),
    Kind("handout", "lunch-and-learn.pdf", "handout.html", "pdf", ("partner", "practice", "talk", "print"),
         max_pages=2),
    Kind("headers", "_headers", None, "code", (), per_partner=False, maker="kitgen.documents.privacy:headers_file"),
    Kind("fax_form", "fax-referral-form.pdf", "fax_form.html", "pdf", ("partner", "practice", "print", "code"),
         max_pages=1, forms=True),
    Kind("vcard", "referrals.vcf", None, "code", ("practice",), per_partner=False, maker="kitgen.documents.vcard:practice_card"),
    # the therapist's own (desk/<slug>/ and desk/): never deployed
    Kind("intro_letter", "intro-letter.pdf", "intro_letter.html", "pdf", ("partner", "practice", "media", "print"),
         area=DESK, max_pages=1),
    Kind("intro_email", "intro-email.eml", "intro_email.txt", "code", ("partner", "practice"), area=DESK,
         maker="kitgen.documents.intro:intro_email"),
    Kind("thank_you", "thank-you-cards.pdf", "thank_you.html", "pdf", ("partner", "practice", "media", "print", "code"),
         area=DESK, max_pages=1),
    Kind("followups", "followups.ics", None, "code", ("partners", "practice"), area=DESK, per_partner=False,
         maker="kitgen.documents.followups:calendar"),
]
BY_NAME = {k.name: k for k in KINDS}
FILE_NAMES = {k.name: k.filename for k in KINDS}  # what templates link to, relative to the partner's folder
RESERVED_SLUGS = {"assets", "media"}  # site folders that are not partners


def make(kind: Kind, kit, partner, theme) -> bytes:
    """Run a code-made kind's maker (imported only when needed): maker(kit, partner or None, theme)."""
    import importlib
    module, function = kind.maker.split(":")
    return getattr(importlib.import_module(module), function)(kit, partner, theme)
