"""A practice's own intro letter body: `content/intro-letter.md`, Markdown with a few placeholders, used instead of
the built-in wording in the letter and the e-mail (kitgen still writes the greeting, the signature and the links).

Placeholders are names in braces, filled per partner: {physician} ("Dr. Smith", as the greeting names them),
{physician_name} ("Dr. Jane Smith"), {clinic}, {office_contact}, {practice}, {phone}, {fax}, {referral_url},
{page_url}, {code} and {signer}. `{{` and `}}` print a brace. An unknown name, or {fax} or {office_contact} where
the kit has none, is a located problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from kitgen import record
from kitgen.content import phones
from kitgen.content.markdown import inline_html
from kitgen.problems import Problem

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner

PATH = "content/intro-letter.md"
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\s]*)\}")

Values = dict[str, Callable[["Kit", "Partner"], str | None]]
VALUES: Values = {
    "physician": lambda kit, p: p.salutation,
    "physician_name": lambda kit, p: p.display_name,
    "clinic": lambda kit, p: p.practice,
    "office_contact": lambda kit, p: p.contact_name,
    "practice": lambda kit, p: kit.practice.name,
    "phone": lambda kit, p: _phone(kit, kit.practice.contact.phone),
    "fax": lambda kit, p: kit.practice.contact.fax and _phone(kit, kit.practice.contact.fax),
    "referral_url": lambda kit, p: kit.referral_url(p),
    "page_url": lambda kit, p: kit.page_url(p),
    "code": lambda kit, p: kit.referral_code(p),
    "signer": lambda kit, p: kit.practice.signed_by.name if kit.practice.signed_by else kit.practice.name,
}
WHERE = {"fax": "contact.fax in content/practice.yaml", "office_contact": "the partner's office_contact"}


def _phone(kit: Kit, number: str) -> str:
    return phones.display(number, kit.config.region)


def source(kit: Kit) -> str | None:
    """The file's text, or None when the practice has none; recorded as what the intro was made from."""
    record.note(record.file(PATH))
    path = Path(kit.root) / PATH
    return path.read_text(encoding="utf-8") if path.is_file() else None


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def filled(kit: Kit, partner: Partner, text: str, escape_value: Callable[[str], str] = str) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(0) in ("{{", "}}"):
            return match.group(0)[0]
        return escape_value(VALUES[match.group(1)](kit, partner) or "")
    return PLACEHOLDER.sub(value, text)


def plain(kit: Kit, partner: Partner) -> str | None:
    """The body as the e-mail says it: placeholders filled, Markdown left as typed (it reads as plain text)."""
    text = source(kit)
    return None if text is None else "\n\n".join(filled(kit, partner, p) for p in paragraphs(text))


def html(kit: Kit, partner: Partner) -> list[Markup] | None:
    """The body as the letter prints it: each paragraph's inline Markdown rendered (raw HTML stays text), then
    the placeholders filled with escaped values."""
    text = source(kit)
    if text is None:
        return None
    return [Markup(filled(kit, partner, inline_html(p), lambda v: str(escape(v)))) for p in paragraphs(text)]


def check(kit: Kit, partners: Iterable[Partner]) -> list[Problem]:
    """Unknown placeholders, and {fax} or {office_contact} where the kit or a partner has none, at their line."""
    path = Path(kit.root) / PATH
    if not path.is_file():
        return []
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            name = match.group(1)
            if name is None:
                continue
            if name not in VALUES:
                problems.append(Problem(PATH, number, "placeholder", f"{{{name}}} is not a placeholder kitgen "
                                        f"fills; use one of {', '.join('{' + n + '}' for n in VALUES)}"))
                continue
            missing = [p.slug for p in partners if name in WHERE and not VALUES[name](kit, p)]
            if missing:
                whose = f" (for {', '.join(missing)})" if name == "office_contact" else ""
                problems.append(Problem(PATH, number, "placeholder", f"{{{name}}} has nothing to print: there is no "
                                        f"{WHERE[name]}{whose}"))
    return problems
