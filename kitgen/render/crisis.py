"""The crisis and emergency sentence printed on every piece that says "not for emergencies", from the region's
lines and the practice's own (practice.yaml `crisis`), so no piece can print another country's numbers.

Every word goes through the caller's gettext and the list words ("or") through Babel's locale data, so a
document in another language or spelling gets its own; numbers and service names are printed as given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from babel.lists import format_list
from markupsafe import Markup, escape

from kitgen.content.regions import N_, CrisisLine

Gettext = Callable[..., str]   # (message id, **values) -> text, as Jinja's newstyle gettext
Show = Callable[[str, str], str]  # (number, CALL or TEXT) -> how it appears (plain, or a tel: or sms: link on a page)
CALL, TEXT = "call", "text"

EMERGENCY = N_("call %(number)s")
BRIEF = N_("Not for emergencies. In a crisis: %(lines)s. Emergency:\u00a0%(emergency)s.")
BRIEF_WITHOUT_LINES = N_("Not for emergencies. Emergency:\u00a0%(emergency)s.")


def plain(number: str, how: str = CALL) -> str:
    """A number as printed, without a link (PDFs, plain text)."""
    return number


def either(items: Sequence[str], locale: str) -> str:
    """'a, b or c' in the locale's own words and commas, keeping Markup items intact (a link stays a link)."""
    if not any(isinstance(item, Markup) for item in items):
        return format_list(list(items), style="or", locale=locale)
    tokens = [f"\x00{i}\x00" for i in range(len(items))]
    joined = escape(format_list(tokens, style="or", locale=locale))
    for token, item in zip(tokens, items):
        joined = Markup(str(joined).replace(token, str(escape(item))))
    return joined


def instructions(lines: Sequence[CrisisLine], emergency: Sequence[str], gettext: Gettext, locale: str,
                 show: Show = plain) -> str:
    """'call or text 988 (Suicide & Crisis Lifeline) or call 911': every line, then the emergency number."""
    language = locale.split("_")[0]
    items = [_clause(line, line.worded(language)[0], gettext, show) for line in lines]
    items.append(gettext(EMERGENCY, number=either([show(n, CALL) for n in emergency], locale)))
    return either(items, locale)


def brief(lines: Sequence[CrisisLine], emergency: Sequence[str], gettext: Gettext, locale: str,
          show: Show = plain) -> str:
    """The card's few words: 'Not for emergencies. In a crisis: Lifeline 13 11 14. Emergency: 000.'"""
    number = either([show(n, CALL) for n in emergency], locale)
    if not lines:
        return gettext(BRIEF_WITHOUT_LINES, emergency=number)
    language = locale.split("_")[0]
    return gettext(BRIEF, lines=either([_clause(line, line.worded(language)[1], gettext, show) for line in lines],
                                       locale),
                   emergency=number)


def _clause(line: CrisisLine, wording: str, gettext: Gettext, show: Show) -> str:
    values = {"name": line.name if line.own else gettext(line.name)}
    if line.call:
        values["call"] = show(line.call, CALL)
    if line.text:
        values["text"] = show(line.text, TEXT)  # a text line's number links to sms:
    return gettext(wording, **values)
