"""report.html: one self-contained file (inline CSS, charts as SVG in data: URLs, no script, nothing fetched),
from the template beside this module. report.pdf is the same HTML, through pdf.py."""

from __future__ import annotations

import base64
from pathlib import Path

import jinja2
from markupsafe import Markup

from kitgen.content.model import Kit
from kitgen.desk import ledger
from kitgen.report import charts
from kitgen.report.figures import PartnerFigures, Report, number

TEMPLATE = "report.html"
SHOWN_OTHERS = 30  # other sources listed in the report; free text can make thousands, report.csv has them all


def report_html(kit: Kit, report: Report) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=lambda v: number(v) or "–", pct=_pct)
    return env.get_template(TEMPLATE).render(kit=kit, report=report, charts=_charts(report), paper=_paper(kit),
                                               shown_others=SHOWN_OTHERS, money=lambda v: ledger.money(kit, v),
                                               why=ledger.WHY)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _paper(kit: Kit) -> str:
    return "A4" if kit.config.paper == "a4" else "letter"


def _charts(report: Report) -> dict[str, Markup]:
    """Every chart as an <img> of its SVG, by name: 'overview', 'time', and each charted partner's slug."""
    quarters = report.quarters
    made = {}
    partner_counts = [sum(p.referrals.by_quarter[q].referrals for p in report.partners if q in p.referrals.by_quarter)
                      for q in quarters]
    other_counts = [sum(o.by_quarter[q].referrals for o in report.others if q in o.by_quarter) for q in quarters]
    made["overview"] = image(charts.overview(quarters, partner_counts, other_counts), (
        f"Chart: referrals per quarter, {quarters[0]} to {quarters[-1]}, {sum(partner_counts)} from partners and "
        f"{sum(other_counts)} from other sources. Busiest quarter: "
        f"{max(zip(quarters, partner_counts, other_counts), key=lambda t: t[1] + t[2])[0]}."))
    logged = [p for p in report.partners if p.contacts or p.referrals.total.referrals]
    if logged:
        made["time"] = image(charts.time_and_referrals(
            [_short(p) for p in logged], [p.minutes for p in logged], [p.referrals.total.referrals for p in logged]),
            "Chart: hours logged with each partner against the referrals received from them: " + "; ".join(
                f"{p.partner.display_name}, {p.minutes / 60:.1f} hours, {p.referrals.total.referrals} referrals"
                for p in logged) + ".")
    for p in charted(report):
        referrals = [p.referrals.by_quarter[q].referrals if q in p.referrals.by_quarter else 0 for q in quarters]
        contacts = [p.contacts_in(q) for q in quarters]
        made[p.partner.slug] = image(charts.referrals_and_contacts(quarters, referrals, contacts), (
            f"Chart: {p.partner.display_name}, referrals received and contacts made per quarter, {quarters[0]} to "
            f"{quarters[-1]}; the figures are in the table below."))
    return made


def image(svg: str, alt: str) -> Markup:
    """An SVG as an <img> with a data: URL: the page stays one file, each chart its own document (its ids and
    styles cannot clash with the page's), and WeasyPrint reads it with its SVG parser rather than as HTML.
    Inline <svg> text would also defeat axe's contrast check, which cannot see a background behind SVG text
    (dequelabs/axe-core#1819)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup('<img class="chart" alt="{}" src="data:image/svg+xml;base64,{}">').format(alt, Markup(data))


def charted(report: Report) -> list[PartnerFigures]:
    """Partners with something to draw: a referral, or a contact in the report's quarters."""
    return [p for p in report.partners
            if p.referrals.total.referrals or any(p.contacts_in(q) for q in report.quarters)]


def _short(p: PartnerFigures) -> str:
    """A chart label: 'Dr. Smith'."""
    return p.partner.salutation  # "Dr. Smith", "Dr Smith" (gb, au...), "Mr Reid", or the name
