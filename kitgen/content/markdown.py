"""Markdown to HTML for talks: CommonMark plus tables, raw HTML off so text can never become markup."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

QUOTE = re.compile(r"['\"]")
APOSTROPHE = "\u2019"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["table", "replacements"])
    md.core.ruler.at("smartquotes", _smartquotes)
    return md.enable("smartquotes")


def to_html(text: str) -> str:
    html: str = _parser().render(text)  # markdown_it's render is untyped
    return html


def inline_html(text: str) -> str:
    """One paragraph's inline Markdown (emphasis, links, code) as HTML, without the <p>."""
    html: str = _parser().renderInline(text)
    return html


def _smartquotes(state: StateCore) -> None:
    """markdown-it-py's smartquotes rule (MIT), the same quotes in linear time: its own re-slices the text and
    rebuilds it for every quote, so 250,000 `"` in a talk took 20 s. Here each token's characters are replaced in
    a list (positions never move) and the stack is indexed by level, so a closing quote finds its opener at once."""
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        if token.type == "inline" and token.children is not None and QUOTE.search(token.content):
            _quotes(token.children, state.md.options.quotes)


def _quotes(tokens: list[Token], quotes: str | list[str]) -> None:
    chars: dict[int, list[str]] = {}  # token index -> its characters, quotes replaced in place
    stack: list[tuple[int, int, bool, int]] = []  # open quotes: (token, position, single, level)
    by_kind: dict[tuple[int, bool], list[int]] = defaultdict(list)  # (level, single) -> their places in stack
    by_level: dict[int, list[int]] = defaultdict(list)  # level -> places in stack

    def put(i: int, at: int, char: str) -> None:
        if i not in chars:
            chars[i] = list(tokens[i].content)
        chars[i][at] = char

    def cut(size: int) -> None:
        while len(stack) > size:
            _, _, single, level = stack.pop()
            by_kind[level, single].pop()
            by_level[level].pop()

    def neighbour(i: int, step: int) -> int:
        j = i + step
        while 0 <= j < len(tokens):  # the nearest character in another token of the line; a space at its ends
            if tokens[j].type in ("softbreak", "hardbreak"):
                break
            if tokens[j].content:
                return ord(tokens[j].content[-1 if step < 0 else 0])
            j += step
        return 0x20

    for i, token in enumerate(tokens):
        level = token.level
        while stack and stack[-1][3] > level:
            cut(len(stack) - 1)
        if token.type != "text":
            continue
        text = token.content
        for match in QUOTE.finditer(text):
            at, single = match.start(), match.group() == "'"
            last = ord(text[at - 1]) if at > 0 else neighbour(i, -1)
            following = ord(text[at + 1]) if at + 1 < len(text) else neighbour(i, 1)
            last_punct = isMdAsciiPunct(last) or isPunctChar(chr(last))
            next_punct = isMdAsciiPunct(following) or isPunctChar(chr(following))
            last_space, next_space = isWhiteSpace(last), isWhiteSpace(following)
            can_open = not next_space and not (next_punct and not (last_space or last_punct))
            can_close = not last_space and not (last_punct and not (next_space or next_punct))
            if following == 0x22 and not single and 0x30 <= last <= 0x39:  # 1"" : the first is an inch mark
                can_open = can_close = False
            if can_open and can_close:  # inside a word only between punctuation: foo-"-bar-"-baz
                can_open, can_close = last_punct, next_punct
            if not can_open and not can_close:
                if single:
                    put(i, at, APOSTROPHE)
                continue
            if can_close:
                below = max((places[-1] for lv, places in by_level.items() if lv < level and places), default=-1)
                openers = by_kind[level, single]
                if openers and openers[-1] > below:
                    j = openers[-1]
                    opener, where = stack[j][0], stack[j][1]
                    put(i, at, quotes[3] if single else quotes[1])
                    put(opener, where, quotes[2] if single else quotes[0])
                    cut(j)
                    continue
            if can_open:
                stack.append((i, at, single, level))
                by_kind[level, single].append(len(stack) - 1)
                by_level[level].append(len(stack) - 1)
            elif single:
                put(i, at, APOSTROPHE)
    for i, replaced in chars.items():
        tokens[i].content = "".join(replaced)
