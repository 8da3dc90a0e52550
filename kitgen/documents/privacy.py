"""What keeps partner pages out of search engines and hard to guess: host headers and private URL tokens."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kitgen.content.yamlload import parse

if TYPE_CHECKING:
    from kitgen.content.partners import Partner

from kitgen.problems import ContentError, Problem, Problems
from kitgen.project import RESERVED_SLUGS

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def headers_file() -> bytes:
    """`_headers` for hosts that read one (Netlify, Cloudflare Pages): noindex on every file, PDFs included.

    No robots.txt is written on purpose: a crawler that may not fetch a page never sees its noindex.
    """
    lines = ["/*", "  X-Robots-Tag: noindex, nofollow", "  Referrer-Policy: no-referrer",
             "  X-Content-Type-Options: nosniff", f"  Content-Security-Policy: {CSP}",
             "/*.vcf", "  Content-Type: text/vcard; charset=utf-8", ""]
    return "\n".join(lines).encode()


def new_token() -> str:
    """128 random bits as 26 lowercase base32 letters: unguessable, and unrelated to the physician's name."""
    return base64.b32encode(os.urandom(16)).decode().rstrip("=").lower()


def planned_tokens(root: Path, partners: Iterable[Partner]) -> tuple[dict[Path, str], list[Problem]]:
    """Each partner file without a token -> its text with a `url_token:` line appended; problems for the files
    where that line would not be read back as the token (e.g. after a `...` end marker, or a one-line `{...}`
    mapping), each asking the user to add the line where it belongs."""

    planned: dict[Path, str] = {}
    problems: list[Problem] = []
    for partner in partners:
        if partner.url_token or partner.slug in RESERVED_SLUGS:
            continue
        file = root / partner.source
        text = file.read_bytes().decode("utf-8")  # as written: CRLF stays CRLF
        token = new_token()
        line = f"url_token: {token}  # written by kitgen (private_urls): keep it and the URL stays the same\n"
        updated = text + ("" if text.endswith(("\n", "\r")) or not text else "\n") + line
        before, after = parse(text, partner.source, Problems()), parse(updated, partner.source, Problems())
        if before is None or after is None or not isinstance(before.data, dict) or \
                after.data != {**before.data, "url_token": token}:
            where = text.count("\n") + (0 if text.endswith("\n") else 1)
            problems.append(Problem(partner.source, where, "url_token", "private_urls: true needs a url_token in "
                                    "every partner file, and kitgen cannot append one to this file safely (it ends "
                                    "with `...` or is written as one {...} mapping); add the line "
                                    f"`url_token: {token}` to its top-level fields yourself"))
        else:
            planned[file] = updated
    return planned, problems


def ensure_tokens(root: Path, partners: Iterable[Partner]) -> list[str]:
    """Give every partner without a token one, appended to its own file so its URL stays stable.

    Appending (not rewriting) keeps the user's comments and layout. Every appended file is read back first; if
    any would not read back as the same fields plus the token, ContentError and no file is touched (all or
    none). Each write is atomic.
    """
    partners = list(partners)
    planned, problems = planned_tokens(root, partners)
    if problems:
        raise ContentError(problems)
    for file, updated in planned.items():
        temp = file.with_name(f".{file.name}.tmp")
        temp.write_text(updated, encoding="utf-8", newline="")
        os.replace(temp, file)
    return [p.source for p in partners if root / p.source in planned]
