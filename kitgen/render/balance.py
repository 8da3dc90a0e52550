"""A two-page document without a mostly blank second page (the lunch-and-learn handout).

A document that spills a little onto page 2 is first condensed onto one page; when it cannot be, page 2 gets a
fair share: the page is broken before the section that leaves the two pages closest to even. The template marks
what may move with anchors, which WeasyPrint reports per page once a document is laid out:

- `kitgen-start` and `kitgen-end`, at the start and the end of the content;
- `part-<n>`, every place a page may break (each section of the talk, the referral box).

The template is asked for each layout by its `density`: "normal", "compact", or "break-<n>" (a page break before
part-<n>).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

from markupsafe import Markup

START, END, PART = "kitgen-start", "kitgen-end", "part-"
FAIR = 0.5    # a second page holding less than half a page gets more of the content
SHARE = 0.4   # ...at least this much of a page, page 1 keeping the rest: it reads on without a half-empty first page



class Page(Protocol):
    """What is read of a laid-out WeasyPrint page (WeasyPrint ships no types)."""

    @property
    def anchors(self) -> Mapping[str, tuple[float, float, float, float]]: ...
    @property
    def height(self) -> float: ...


class LaidOut(Protocol):
    """A laid-out WeasyPrint document, as read here."""

    @property
    def pages(self) -> Sequence[Page]: ...


D = TypeVar("D", bound=LaidOut)


def mark_parts(html: object) -> Markup:
    """Rendered Markdown with an anchor on every section heading (<h2>), numbered in order: part-1, part-2..."""
    count = iter(range(1, 10_000))
    return Markup(re.sub(r"<h2>", lambda _: f'<h2 id="{PART}{next(count)}">', str(html)))


def fill(document: LaidOut) -> float:
    """How much of its page the last page's content takes, 0 to 1 (from the top of the content to its end)."""
    first, last = document.pages[0], document.pages[-1]
    top = first.anchors[START][1] if START in first.anchors else 0.0
    end = last.anchors[END][1] if END in last.anchors else last.height
    usable = first.height - top - bottom_margin(first)
    return max(0.0, end - top) / usable if usable > 0 else 1.0


def bottom_margin(page: Page) -> float:
    box = getattr(page, "_page_box", None)
    return float(box.margin_bottom) if box is not None else 0.0


def best_break(document: LaidOut) -> str | None:
    """The part to break before: the last one that leaves page 2 at least SHARE of a page, else the one that
    leaves the two pages closest to even. Its name without the prefix, or None when no break fits two pages."""
    if len(document.pages) != 2:
        return None
    first = document.pages[0]
    top = first.anchors[START][1] if START in first.anchors else 0.0
    usable = first.height - top - bottom_margin(first)
    total = usable * (1 + fill(document))
    parts = [(name[len(PART):], y) for name, (_, y, _, _) in first.anchors.items() if name.startswith(PART)]
    # after the break, page 2 holds everything from the part on: it must still fit one page
    fitting = [(name, y) for name, y in parts if total - (y - top) <= usable and y - top > 0]
    if not fitting:
        return None
    enough = [(name, y) for name, y in fitting if total - (y - top) >= SHARE * usable]
    if enough:
        return max(enough, key=lambda part: part[1])[0]
    return min(fitting, key=lambda part: abs((part[1] - top) - total / 2))[0]


def lay_out(layout: Callable[[str], D], max_pages: int) -> D:
    """The layout to print: one page when condensing gets it there, else two pages sharing the content fairly,
    else (a document longer than `max_pages` even condensed) the condensed one, which the caller refuses.
    `layout` lays the document out in a density."""
    normal = layout("normal")
    if len(normal.pages) == 1 or (len(normal.pages) <= max_pages and fill(normal) >= FAIR):
        return normal
    compact = layout("compact")
    if len(compact.pages) == 1 or len(normal.pages) > max_pages:
        return compact
    part = best_break(normal)
    if part is None:
        return normal
    balanced = layout(f"break-{part}")
    return balanced if len(balanced.pages) == len(normal.pages) else normal
