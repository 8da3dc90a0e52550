"""Filters for kitgen's own sentences that depend on the language: lists joined as the locale joins them."""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from jinja2 import pass_context

from kitgen.render.regional import locale_of


def install(env: jinja2.Environment) -> None:
    @pass_context
    def and_list(context: jinja2.runtime.Context, items: Iterable[str]) -> str:
        """'English, Spanish and French' (en_US: 'English, Spanish, and French'), in the document's locale."""
        from babel.lists import format_list  # Babel's lists only where a list is joined
        return format_list([str(i) for i in items], style="standard", locale=locale_of(context))

    env.filters["and_list"] = and_list
    env.filters["nowidow"] = nowidow


def nowidow(text: str) -> str:
    """The last two words kept on one line (a no-break space between them), so a heading that wraps never leaves
    one short word alone on its last line."""
    head, space, last = str(text).rpartition(" ")
    joined = f"{head}\u00a0{last}" if space and len(last) <= 12 else str(text)
    return type(text)(joined) if isinstance(text, str) else joined
