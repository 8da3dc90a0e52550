"""The report's charts, drawn with matplotlib as small SVG documents (embedded in the page by write.py), text kept
as text so the PDF's charts read back. matplotlib is imported here only, so only `kitgen report` pays for it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

INK = "#1c2529"
REFERRALS = "#0e5f63"   # the theme's accent
CONTACTS = "#c65d00"    # the theme's focus orange: apart from the accent for every common colour vision
OTHER = "#7a8a90"
LABELLED = 12  # partners named on the time-and-referrals chart
STYLE: Any = {
    "svg.fonttype": "none",          # <text>, not glyph outlines
    "svg.hashsalt": "kitgen",        # ids from content, not random: the same input gives the same file
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # matplotlib's own font, so the layout's text widths are the drawn ones
    "font.size": 9,
    "text.color": INK, "axes.labelcolor": INK, "xtick.color": INK, "ytick.color": INK,
    "axes.edgecolor": "#9aa9ad", "axes.spines.top": False, "axes.spines.right": False,
    "xtick.major.size": 0, "ytick.major.size": 2,
}


def _svg(figure: Figure) -> str:
    """The figure as a compact SVG document: matplotlib's wrapper groups, unused ids, metadata and global <style>
    go: WeasyPrint's time on a chart grows with its element count."""
    figure.patch.set_visible(False)
    for ax in figure.axes:
        ax.patch.set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    root = ElementTree.fromstring(buffer.getvalue())
    text = buffer.getvalue().decode("utf-8")
    used = set(re.findall(r"url\(#([^)]+)\)", text)) | set(re.findall(r'href="#([^"]+)"', text))
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}metadata", f"{{{SVG}}}style"):
                parent.remove(child)
    _flatten(root, used)
    # the prefixes are a process-wide table that importing WeasyPrint resets: set where they are written
    ElementTree.register_namespace("", SVG)
    ElementTree.register_namespace("xlink", XLINK)
    svg = ElementTree.tostring(root, encoding="unicode", short_empty_elements=True)
    svg = re.sub(r"<defs>\s*</defs>|<defs\s*/>", "", svg)
    return re.sub(r">\s+<", "><", svg)


def _flatten(element: ElementTree.Element, used: set[str]) -> None:
    """Unwrap attribute-less <g> groups and drop the ids nothing points at."""
    i = 0
    while i < len(element):
        child = element[i]
        if "id" in child.attrib and child.attrib["id"] not in used:
            del child.attrib["id"]
        _flatten(child, used)
        if child.tag == f"{{{SVG}}}g" and not child.attrib:
            element.remove(child)
            for j, grandchild in enumerate(list(child)):
                element.insert(i + j, grandchild)
            i += len(child)
            continue
        i += 1


def _ticks(quarters: Sequence[str]) -> list[str]:
    """Quarter labels, thinned to at most about 12 so they never overlap: '2026-Q1' shown as '2026 Q1'."""
    step = max(1, -(-len(quarters) // 12))
    return [q.replace("-", " ") if i % step == 0 else "" for i, q in enumerate(quarters)]


def referrals_and_contacts(quarters: Sequence[str], referrals: Sequence[int],
                           contacts: Sequence[int]) -> str:
    """One physician: referrals received and contacts made, per quarter, side by side."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.4, 2.1))
        ax = figure.add_subplot()
        x = range(len(quarters))
        ax.bar([i - 0.2 for i in x], referrals, width=0.4, color=REFERRALS, label="Referrals received", linewidth=0)
        ax.bar([i + 0.2 for i in x], contacts, width=0.4, color=CONTACTS, label="Contacts made", linewidth=0)
        ax.set_xticks(list(x), _ticks(quarters))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=2, fontsize=8, borderaxespad=0.2)
        ax.set_ylim(0, max([*referrals, *contacts, 1]) * 1.1)
        figure.subplots_adjust(left=0.07, right=0.99, bottom=0.13, top=0.86)
        return _svg(figure)


def overview(quarters: Sequence[str], partners: Sequence[int],
             others: Sequence[int]) -> str:
    """All referrals per quarter, stacked: from partners, from other sources."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.4, 2.3))
        ax = figure.add_subplot()
        x = list(range(len(quarters)))
        ax.bar(x, partners, width=0.6, color=REFERRALS, label="From partners", linewidth=0)
        ax.bar(x, others, width=0.6, bottom=list(partners), color=OTHER, label="Other sources", linewidth=0)
        ax.set_xticks(x, _ticks(quarters))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1), ncols=2, fontsize=8, borderaxespad=0.2)
        ax.set_ylim(0, max([a + b for a, b in zip(partners, others)] + [1]) * 1.1)
        figure.subplots_adjust(left=0.07, right=0.99, bottom=0.12, top=0.87)
        return _svg(figure)


def time_and_referrals(names: Sequence[str], minutes: Sequence[int],
                       referrals: Sequence[int]) -> str:
    """Every partner as a point: hours logged with them against referrals received from them."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(6.4, 2.8))
        ax = figure.add_subplot()
        hours = [m / 60 for m in minutes]
        ax.scatter(hours, referrals, color=REFERRALS, s=28, zorder=3)
        busiest = sorted(range(len(names)), key=lambda i: (-referrals[i], -minutes[i]))[:LABELLED]
        for i in busiest:  # beyond a dozen, names would cover each other; the table lists everyone
            ax.annotate(names[i], (hours[i], referrals[i]), xytext=(5, 3), textcoords="offset points", fontsize=8)
        ax.set_xlabel("Hours logged (contacts' minutes)")
        ax.set_ylabel("Referrals received")
        ax.set_xlim(-max([*hours, 1]) * 0.03, max([*hours, 1]) * 1.25)
        ax.set_ylim(-max([*referrals, 1]) * 0.04, max([*referrals, 1]) * 1.2)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        figure.subplots_adjust(left=0.11, right=0.97, bottom=0.15, top=0.97)
        return _svg(figure)
