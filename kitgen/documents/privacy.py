"""What keeps partner pages out of search engines and hard to guess: host headers and private URL tokens."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kitgen.content.model import Partner

from kitgen.documents.kinds import RESERVED_SLUGS

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


def ensure_tokens(root: Path, partners: Iterable[Partner]) -> list[str]:
    """Give every partner without a token one, appended to its own file so its URL stays stable.

    Appending (not rewriting) keeps the user's comments and layout; the write is atomic.
    """
    added = []
    for partner in partners:
        if partner.url_token or partner.slug in RESERVED_SLUGS:
            continue
        file = root / partner.source
        text = file.read_text(encoding="utf-8")
        line = f"url_token: {new_token()}  # written by kitgen (private_urls): keep it and the URL stays the same\n"
        temp = file.with_name(f".{file.name}.tmp")
        temp.write_text(text + ("" if text.endswith("\n") or not text else "\n") + line, encoding="utf-8")
        os.replace(temp, file)
        added.append(partner.source)
    return added
