"""A sparse two-column page that still looks laid out (the one-pager): type as large as the page allows, columns
ending near each other, the footer at the foot of the page.

The template marks where its main and side columns, its content and its footer end (the anchors `main-end`,
`side-end`, `content-end`, `foot-end`) and takes words in its density besides the type size: "shifted" moves the
sections that may move to the foot of the main column, "pinned" sets the footer at the foot of the page. A short
profile (the UK sweep kit) printed at the first step's 10.5 pt with its main column ending a third of a page
above the side one and the footer hung mid-page. A layout is tried again only when the first shows the gap, and
kept only when it fits its page and did what it was for. A template without the anchors (a project theme's own)
is laid out once, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kitgen.render.balance import LaidOut, bottom_margin

MAIN, SIDE, CONTENT, FOOT = "main-end", "side-end", "content-end", "foot-end"
FILL = 0.2    # the first step leaving more than this share of the page blank below the footer tries larger type
SLACK = 0.12  # a side column ending less than this share of the page below the main one stays where it is
PIN = 0.15    # a footer ending less than this share of the page above its foot stays under the content

D = TypeVar("D", bound=LaidOut)


def _ends(document: LaidOut) -> dict[str, float] | None:
    """Where each marked part ends on a one-page document, in points from the top; None when it marks none."""
    if len(document.pages) != 1:
        return None
    anchors = document.pages[0].anchors
    found = {name: float(anchors[name][1]) for name in (MAIN, SIDE, CONTENT, FOOT) if name in anchors}
    return found if len(found) == 4 else None


def _blank_below(document: LaidOut) -> float:
    """The share of a marked one-page document left blank under its footer."""
    page, ends = document.pages[0], _ends(document)
    assert ends is not None
    return (float(page.height) - bottom_margin(page) - ends[FOOT]) / float(page.height)


def evened(document: D, layout: Callable[[str], D], density: str, larger: str | None = None) -> D:
    """`document`, or its page laid out again: with the side column's movable sections in the main column when
    the side column ran more than SLACK of the page longer; in the `larger` step when it fits and more than FILL
    of the page still lay blank; with the footer at the foot when more than PIN of the page lay blank below it."""
    if _ends(document) is None:
        return document
    document, density = _shifted(document, layout, density)
    if larger and _blank_below(document) > FILL:
        large, large_density = _shifted(layout(larger), layout, larger)
        if _ends(large) is not None:
            document, density = large, large_density
    return _pinned(document, layout, density)


def _shifted(document: D, layout: Callable[[str], D], density: str) -> tuple[D, str]:
    ends = _ends(document)
    if ends is None or ends[SIDE] - ends[MAIN] <= SLACK * float(document.pages[0].height):
        return document, density
    shifted = layout(f"{density} shifted")
    moved = _ends(shifted)
    if moved is not None and max(moved[MAIN], moved[SIDE]) < max(ends[MAIN], ends[SIDE]):
        return shifted, f"{density} shifted"
    return document, density


def _pinned(document: D, layout: Callable[[str], D], density: str) -> D:
    ends = _ends(document)
    if ends is None or _blank_below(document) <= PIN:
        return document
    pinned = layout(f"{density} pinned")
    low = _ends(pinned)
    return pinned if low is not None and low[FOOT] > ends[FOOT] and low[CONTENT] <= ends[CONTENT] + 1 else document
