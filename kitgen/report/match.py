"""Which partner a referral's `source` names: the referral code or slug exactly (any case), else the physician's
name as staff type it. Anything else is an "other source" under its own text; a blank one is "unknown".

Names are compared after dropping case, accents, text in parentheses, leading titles (Dr, Dr., Doctor) and
trailing credentials (MD, DO, FACOG...): "DR. TOMAS ALVAREZ, MD", "Tomás Álvarez (McKenzie Valley)" and
"tomas alvarez" are all Tomás Álvarez. Apostrophes, hyphens and spaces inside a name fold away too, as staff type
them every way: "karen oneil" is Karen O'Neil (or O’Neil), "mary jane lee" is Mary-Jane Lee, "mullernunez" is
Müller-Núñez. Accents fold by Unicode decomposition (é is e, ñ is n), and the letters that do not decompose are
folded by hand (ø o, ł l, đ d, æ ae, œ oe, ß ss): an English keyboard types them so. A German transliteration
("Mueller" for Müller) is not folded: it is another spelling, not the same letters. Nothing fuzzier: a near-miss
is listed as an other source, where the therapist sees it, rather than silently credited to the wrong physician.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kitgen.content.model import Kit
from kitgen.content.partners import Partner

UNKNOWN = "unknown"
TITLES = {"dr", "doctor"}
# Degrees and post-nominals seen after US and Australian clinicians' names; compared without dots ("M.D." = MD).
CREDENTIALS = {
    "md", "do", "mbbs", "mbchb", "mbbch", "bmbs", "phd", "psyd", "dpm", "dds", "dmd", "od", "dc", "pharmd",
    "np", "fnp", "fnp-c", "fnp-bc", "aprn", "arnp", "cnp", "cnm", "dnp", "pmhnp", "pmhnp-bc", "pa", "pa-c", "rn",
    "bsn", "msn", "mph", "ms", "msc", "mpas", "lcsw", "lmft", "lpc", "facog", "faap", "facp", "faafp", "fapa",
    "facs", "facc", "fracgp", "fracp", "franzcp", "franzcog", "frcpc", "mrcgp", "abfm", "jr", "sr", "ii", "iii",
}


@dataclass(frozen=True)
class Source:
    """Who a referral is credited to: a partner, or an other source named by its text."""

    key: str                 # the partner's slug, or "other:" + the text as compared
    partner: Partner | None
    name: str                # the partner's display name, or the other source's text ("unknown" when blank)


# Letters with no decomposition into a base letter and an accent, as an English keyboard types them.
_UNDECOMPOSED = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i",
                               "ħ": "h", "ŧ": "t"})
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc\u02b9`\u00b4]")
_HYPHENS = re.compile(r"[\u2010-\u2015\u2212]")


def name_key(text: str) -> str:
    """'Dr. Tomás Álvarez, M.D. (McKenzie)' -> 'tomas alvarez'; "Karen O'Neil-Smith" -> 'karen oneil smith'."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold().translate(_UNDECOMPOSED)
    plain = _HYPHENS.sub("-", _APOSTROPHES.sub("", plain))
    plain = re.sub(r"\([^)]*\)?", " ", plain)
    plain = re.sub(r"\b(dr|doctor)\.(?=\w)", r"\1 ", plain)  # "Dr.Smith": the title, then the name
    words = [w.replace(".", "") for w in re.split(r"[\s,;/]+", plain)]
    words = [w for w in words if w]
    while words and words[0] in TITLES:
        words.pop(0)
    while len(words) > 2 and words[-1] in CREDENTIALS:  # two words stay: "Anh Do" keeps its surname
        words.pop()
    return " ".join(w for word in words for w in word.split("-") if w)  # after the credentials: "PA-C" is one


def compact(key: str) -> str:
    """A name key with its spaces gone: 'mary jane lee' and 'maryjane lee' are one name."""
    return key.replace(" ", "")


def other_key(text: str) -> str:
    return "other:" + " ".join(text.split()).casefold()


class Matcher:
    """Attributes source texts to partners; each distinct text is worked out once (a file has few of them)."""

    def __init__(self, kit: Kit):
        self.exact: dict[str, Partner] = {}
        for p in kit.partners:
            self.exact[p.slug.casefold()] = p
            self.exact[kit.referral_code(p).casefold()] = p
        names: dict[str, list[Partner]] = {}
        for p in kit.partners:
            for variant in {compact(name_key(p.name)), compact(name_key(p.display_name))}:
                names.setdefault(variant, []).append(p)
        # two partners with one name cannot be told apart by name: their referrals need the code or the slug
        self.by_name = {k: ps[0] for k, ps in names.items() if len({p.slug for p in ps}) == 1}
        self.seen: dict[str, Source] = {}

    def match(self, text: str) -> Source:
        found = self.seen.get(text)
        if found is None:
            found = self.seen[text] = self._match(text)
        return found

    def _match(self, text: str) -> Source:
        clean = " ".join(text.split())
        if not clean:
            return Source(other_key(UNKNOWN), None, UNKNOWN)
        partner = self.exact.get(clean.casefold()) or self.by_name.get(compact(name_key(clean)))
        if partner is not None:
            return Source(partner.slug, partner, partner.display_name)
        return Source(other_key(clean), None, clean)
