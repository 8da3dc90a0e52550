"""Template filters and functions that depend on the kit's region and the document's locale: tap-to-call links,
phone numbers as people dial them, dates, and the crisis sentence. They read the region from the render context
(`config`, or `kit` in the intro's), so one theme environment serves any kit and any document.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

import jinja2
from jinja2 import pass_context
from markupsafe import Markup, escape

from kitgen.content import phones, regions
from kitgen.render import crisis

Tel = Callable[[str, str], str]
Longdate = Callable[[datetime.date, str], str]


def region_of(context: jinja2.runtime.Context) -> regions.Region:
    config = context.get("config")
    if config is None and context.get("kit") is not None:
        config = context["kit"].config
    return regions.get(config.region) if config is not None else regions.get(regions.DEFAULT)


def locale_of(context: jinja2.runtime.Context) -> str:
    """The document's locale: the context's `locale` when a document sets one, else the region's."""
    locale = context.get("locale")
    return str(locale) if locale else region_of(context).locale


def gettext_of(context: jinja2.runtime.Context) -> crisis.Gettext:
    """The template's own `_` (i18n.py installs it), bound to this render, so Python-made text uses the same
    catalog; `%` formatting with escaping when there is none yet."""
    installed = cast(Callable[..., str] | None, context.environment.globals.get("gettext"))
    if installed is not None:
        return lambda message, **values: installed(context, message, **values)
    if context.eval_ctx.autoescape:
        return lambda message, **values: Markup(escape(message)) % values
    return lambda message, **values: message % values


def _unbroken(context: jinja2.runtime.Context, number: str) -> str:
    """A number kept on one line (no-break spaces, as the Australian Style Manual advises) in pages and PDFs;
    plain text (the e-mail) keeps plain spaces."""
    return number.replace(" ", "\u00a0") if context.eval_ctx.autoescape else number


def install(env: jinja2.Environment, tel: Tel, longdate: Longdate, sms: Tel) -> None:
    """Add the filters and functions; `tel`, `sms` and `longdate` are render/filters.py's, given the context's
    region and locale here."""

    @pass_context
    def tel_filter(context: jinja2.runtime.Context, number: str) -> str:
        return tel(number, region_of(context).code)

    @pass_context
    def sms_filter(context: jinja2.runtime.Context, number: str) -> str:
        return sms(number, region_of(context).code)

    def shower(context: jinja2.runtime.Context, links: bool) -> crisis.Show:
        if not links:
            return lambda number, how: _unbroken(context, number)
        code = region_of(context).code
        return lambda number, how: Markup('<a href="{}">{}</a>').format(
            (sms if how == crisis.TEXT else tel)(number, code), _unbroken(context, number))

    def lines_of(context: jinja2.runtime.Context) -> list[regions.CrisisLine]:
        kit = context.get("kit")
        return kit.crisis_lines if kit is not None else list(region_of(context).crisis_lines)

    @pass_context
    def crisis_lines(context: jinja2.runtime.Context, links: bool = False) -> str:
        """'call or text 988 (Suicide & Crisis Lifeline) or call 911', with links when `links`: tel: for a number
        to call, sms: for one to text."""
        return crisis.instructions(lines_of(context), region_of(context).emergency, gettext_of(context),
                                   locale_of(context), shower(context, links))

    @pass_context
    def crisis_brief(context: jinja2.runtime.Context) -> str:
        return crisis.brief(lines_of(context), region_of(context).emergency, gettext_of(context),
                            locale_of(context))

    @pass_context
    def phone(context: jinja2.runtime.Context, number: str) -> str:
        return _unbroken(context, phones.display(number, region_of(context).code))

    @pass_context
    def phone_international(context: jinja2.runtime.Context, number: str) -> str:
        return phones.international(number, region_of(context).code)

    @pass_context
    def longdate_filter(context: jinja2.runtime.Context, value: datetime.date) -> str:
        return longdate(value, locale_of(context))

    env.filters.update(tel=tel_filter, sms=sms_filter, longdate=longdate_filter, phone=phone,
                       phone_international=phone_international)
    env.globals.update(crisis_lines=crisis_lines, crisis_brief=crisis_brief)
