"""Markdown to HTML for talks: CommonMark plus tables, raw HTML off so text can never become markup."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["table", "replacements",
                                                                                   "smartquotes"])


def to_html(text: str) -> str:
    return _parser().render(text)


def inline_html(text: str) -> str:
    """One paragraph's inline Markdown (emphasis, links, code) as HTML, without the <p>."""
    return _parser().renderInline(text)
