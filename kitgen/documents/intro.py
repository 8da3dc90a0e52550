"""The introduction a therapist sends a physician before meeting: the same short text as a printed letter
(intro_letter) and as a ready-to-send e-mail draft (intro_email).

The text is one theme template, `intro_body.txt`, so the letter and the e-mail never drift apart. The seed rule is
"under 200 words" (one article says 150): above 200 is an error, above 150 a warning, each located at the
practice field that adds the most words, or at the project's own intro template when its wording adds more.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from kitgen.content.mail import POLICY, address_header, text_header
from kitgen.content.regions import N_
from kitgen.documents import letterbody
from kitgen.problems import Level, Problem
from kitgen.record import build_day
from kitgen.render.i18n import gettext_for

if TYPE_CHECKING:
    from kitgen.content.model import Kit, Practice
    from kitgen.content.partners import Partner
    from kitgen.render.themes import Theme

SUBJECT = N_("Referral collaboration – %(practice)s, %(service)s")
MAX_WORDS = 200
AIM_WORDS = 150
BODY = "intro_body.txt"
EMAIL = "intro_email.txt"


def niche(practice: Practice) -> str:
    """What the practice is known for, in a few words: the tagline, else the first service."""
    return practice.tagline or practice.services[0].name


def words(text: str) -> int:
    return len(text.split())


def _context(kit: Kit, partner: Partner, medium: str, own_body: str | None = None) -> dict[str, object]:
    featured = [s.name for s in kit.services_for(partner) if kit.featured(s, partner)]
    return dict(kit=kit, practice=kit.practice, partner=partner, medium=medium, niche=niche(kit.practice),
                featured=featured, referral_url=kit.referral_url(partner), page_url=kit.page_url(partner),
                code=kit.referral_code(partner), signer=kit.practice.signed_by, solo=kit.practice.solo,
                says_i=kit.practice.says_i,
                own_body=own_body if own_body is not None else letterbody.plain(kit, partner))


def paragraphs(kit: Kit, theme: Theme, partner: Partner, medium: str = "letter") -> list[str]:
    """The body as paragraphs (blank-line separated in the template), each on one line. In the letter, the
    practice's own body (content/intro-letter.md) comes as HTML paragraphs, its Markdown rendered."""
    own = letterbody.html(kit, partner) if medium == "letter" else None
    tokens = {f"\x00{i}\x00": p for i, p in enumerate(own or [])}
    context = _context(kit, partner, medium, "\n\n".join(tokens) if own is not None else None)
    text = theme.text_env.get_template(BODY).render(context)
    found = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [tokens.get(p, p) for p in found]


def email_text(kit: Kit, theme: Theme, partner: Partner) -> str:
    return theme.text_env.get_template(EMAIL).render(_context(kit, partner, "email")).strip() + "\n"


def subject(kit: Kit, partner: Partner, theme: Theme | None = None) -> str:
    """Short enough for an inbox line: the niche is the service that matters most to this physician (the one the
    landing page leads with), not the whole tagline."""
    top = kit.services_for(partner)[0].name
    return gettext_for(theme.dirs if theme is not None else None, kit.config.regional)(
        SUBJECT, practice=kit.practice.name, service=top[0].lower() + top[1:] if top[1:2].islower() else top)


def intro_email(kit: Kit, partner: Partner, theme: Theme) -> bytes:
    """The .eml draft: From the practice, to the partner file's `email` (the office's address, so named after the
    office contact when there is one, never after the physician), dated the day it is built: midday local time
    of that day (so no reader's time zone shows another day), or SOURCE_DATE_EPOCH's moment when set.

    `X-Unsent: 1` makes Outlook open it as a draft to send; other mail apps open it as a message to forward.
    """
    msg = EmailMessage(policy=POLICY)  # headers encoded from parts by the code that validated them (mail.py)
    msg["From"] = address_header("From", kit.practice.name, kit.practice.contact.email)
    if partner.email:
        msg["To"] = address_header("To", partner.contact_name or "", partner.email)
    msg["Subject"] = text_header("Subject", subject(kit, partner, theme))
    msg["Date"] = format_datetime(_dated(build_day()))
    msg["X-Unsent"] = "1"
    msg.set_content(email_text(kit, theme, partner))
    return bytes(msg)


def _dated(day: datetime.date) -> datetime.datetime:
    """The e-mail's Date: SOURCE_DATE_EPOCH's moment when set (reproducible builds), else midday of `day` in the
    machine's time zone."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.combine(day, datetime.time(12)).astimezone()


def check(kit: Kit, theme: Theme, partners: Iterable[Partner]) -> list[Problem]:
    """Word limits for every partner's intro, counted as the physician receives it: the e-mail's whole body,
    greeting, links and signature included (the letter says the same, with a QR code for the links). Above 150
    words is a warning, above 200 an error. A template that does not parse is an error at its line, here rather
    than halfway through a build; so is a placeholder of content/intro-letter.md that kitgen does not fill."""
    problems: list[Problem] = letterbody.check(kit, partners)
    if problems:
        return problems
    blame: tuple[str, int, str, str] | None = None
    for partner in partners:
        try:
            count = words(email_text(kit, theme, partner))
        except jinja2.TemplateSyntaxError as exc:
            return [Problem(_shown(kit.root, exc.filename or exc.name or BODY), exc.lineno or 0, "theme",
                            f"template error: {exc.message}")]
        if count <= AIM_WORDS:
            continue
        level: Level = "error" if count > MAX_WORDS else "warning"
        blame = blame or _blame(kit, theme)
        path, line, field, hint = blame
        limit = f"the limit is {MAX_WORDS}" if level == "error" else f"physicians read {AIM_WORDS} or fewer"
        problems.append(Problem(path, line, field, f"the intro e-mail to {partner.slug} is {count} words with its "
                                f"greeting, links and signature ({limit}); {hint}", level))
    return problems


def _blame(kit: Kit, theme: Theme) -> tuple[str, int, str, str]:
    """Where to shorten (path, line, field, advice): the practice field the intro quotes that has the most words,
    or the project's own intro template when its fixed wording has more words than that field."""
    practice = kit.practice
    sizes = {"insurance": words(" ".join(practice.insurance)), "tagline": words(practice.tagline or ""),
             "services": words(" ".join(s.name for s in practice.services))}
    field = max(sizes, key=sizes.__getitem__)
    found = ("content/practice.yaml", kit.practice_line(field), field,
             f"shorten the tagline, the insurance list or the service names, or the theme's {BODY}")
    most = sizes[field]
    own = letterbody.source(kit)
    if own is not None and words(own) > most:
        most, found = words(own), (letterbody.PATH, 1, "body", "shorten your letter")
    for name in (BODY, EMAIL):
        source, filename = theme.template_source(name)
        if not filename or not Path(filename).resolve().is_relative_to(kit.root.resolve()):
            continue  # the built-in theme's wording is kitgen's, and within the limits
        lines = [words(line) for line in _fixed_text(source).splitlines()]
        if sum(lines) > most:
            most, found = sum(lines), (_shown(kit.root, filename), lines.index(max(lines)) + 1, "theme",
                                       "shorten this template's wording (its longest line is here)")
    return found


def _fixed_text(source: str) -> str:
    """A template's own wording: its {{ }}, {% %} and {# #} parts blanked, line breaks kept so lines still count."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", lambda m: "\n" * m.group().count("\n"), source,
                  flags=re.DOTALL)


def _shown(root: Path, filename: str) -> str:
    """A template's path as the user opens it: relative to the project when it is the project's own."""
    path = Path(filename).resolve()
    return path.relative_to(root.resolve()).as_posix() if path.is_relative_to(root.resolve()) else filename
