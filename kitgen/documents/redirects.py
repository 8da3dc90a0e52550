"""Printed QR codes that outlive a form vendor: every code encodes an address of the kit's own site
(`<base_url>r/<code>/` for the physicians' referral form, `<base_url>p/<code>/` for the patients' address), and
the build writes what forwards it to the current `form_url` / `patient_url` with the partner's tracking parameter.
Changing `form_url` and rebuilding moves every card already printed.

Two layers, so the forward works on any host:
- a static page per code (`r/<code>/index.html`): `<meta http-equiv="refresh">` (works with JavaScript off), a
  visible link (works when a browser ignores refreshes), and a same-origin script calling location.replace (no
  history entry to step back onto). It carries no health information, loads nothing from other hosts, and is
  kept out of search results;
- `_redirects`, which Netlify and Cloudflare Pages read and answer with an HTTP 302 before any page loads (a 302,
  not a 301: browsers keep a 301 for good, and the form may move again). Cloudflare Pages does not serve the file,
  follows a rule even where a file matches it, allows 2,000 static rules of 1,000 characters
  (https://developers.cloudflare.com/pages/configuration/redirects/); Netlify's syntax is the same, one
  `from to status` rule a line (https://docs.netlify.com/manage/routing/redirects/overview/). GitHub Pages and S3 +
  CloudFront read no redirect file: they serve the page. With `private_urls` no `_redirects` is written: a host
  that does not read it would publish the list of every partner's unguessable address.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from kitgen import record
from kitgen.content import languages
from kitgen.render.i18n import gettext_for

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner
    from kitgen.render.themes import Theme

# Where each kind of code lives under the site root, and what it forwards to: ("r", the referral form) and
# ("p", the patients' address). Both are reserved slugs (project.RESERVED_SLUGS).
FOLDERS = ("r", "p")
SCRIPT = "assets/redirect.js"
# Reads the target from the refresh <meta> above it: one script for every page, so the site's CSP ('self') holds.
SCRIPT_TEXT = """// kitgen: forward a printed QR code's address at once, leaving no history entry behind it
(function () {
  var meta = document.querySelector('meta[http-equiv="refresh"]');
  var match = meta && /url=(.*)$/i.exec(meta.getAttribute("content"));
  if (match) { window.location.replace(match[1]); }
})();
"""


def _raw(kit: Kit) -> Kit:
    """The kit itself behind record.TrackedKit: looking a code up must not record every partner as read."""
    return record.unwrap(kit)


def keys(kit: Kit, folder: str) -> list[str]:
    """The codes (or tokens) that get a page in `folder`: every partner's, the patients' only with a patient_url."""
    raw = _raw(kit)
    return [raw.redirect_path(p, folder).split("/")[1] for p in raw.partners
            if folder == "r" or raw.patient_url(p)]


def target(kit: Kit, partner: Partner, folder: str) -> str:
    """Where the code of `partner` in `folder` forwards to, tracking parameter included."""
    url = kit.referral_url(partner) if folder == "r" else kit.patient_url(partner)
    assert url is not None
    return str(url)


def partner_of(kit: Kit, folder: str, key: str) -> Partner:
    """The partner whose code (or token) is `key`, as the tracked kit sees it (so its values are recorded)."""
    raw = _raw(kit)
    for p in raw.partners:
        if raw.redirect_path(p, folder) == f"{folder}/{key}/":
            return record.partner(p) if kit is not raw else p
    raise KeyError(key)


def page(kit: Kit, theme: Theme | None, folder: str, key: str) -> bytes:
    """The static page at `<folder>/<key>/index.html`: forwards at once, with JavaScript on or off."""
    partner = partner_of(kit, folder, key)
    kit.qr_url(partner)  # recorded: the code (or token) that names this page belongs to this partner still
    to = target(kit, partner, folder)
    config = kit.config
    tags = [config.language] if folder == "r" else config.patient_tags
    dirs = theme.dirs if theme else None
    links = []
    for tag in tags:  # the patients' page in every patient language: the cards come in each
        other = config.other_language(tag)
        locale = languages.babel_locale(tag, config.regional.country) if other else languages.kit_locale(config)
        _ = gettext_for(dirs, config.regional, locale)
        text = _("Open the secure referral form") if folder == "r" else _("Request an appointment")
        links.append(f'<p lang="{escape(tag)}"><a href={quoteattr(to)}>{escape(text)}</a></p>')
    name = escape(kit.practice.name)
    html = ["<!DOCTYPE html>", f'<html lang="{escape(config.language)}">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="robots" content="noindex, nofollow">', '<meta name="referrer" content="no-referrer">',
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'self\'; '
            'base-uri \'none\'; form-action \'none\'">',
            f"<meta http-equiv=\"refresh\" content={quoteattr('0; url=' + to)}>",
            f"<title>{name}</title>", f'<script src="../../{SCRIPT}"></script>', "</head>", "<body>",
            f"<h1>{name}</h1>", *links, "</body>", "</html>", ""]
    return "\n".join(html).encode()


def redirects_file(kit: Kit) -> bytes:
    """`_redirects` (Netlify, Cloudflare Pages): one 302 a code, from the address the QR code holds."""
    raw = _raw(kit)
    root = urllib.parse.urlsplit(kit.config.site_root).path or "/"
    lines = ["# kitgen: where each printed QR code goes (rebuild after changing referral.form_url or patient_url)"]
    for p in kit.partners:
        for folder in FOLDERS:
            if folder == "r" or raw.patient_url(p):
                lines.append(f"{root}{raw.redirect_path(p, folder)} {target(kit, p, folder)} 302")
    return ("\n".join(lines) + "\n").encode()


def wanted(kit: Kit) -> Sequence[str]:
    """`_redirects` is written unless URLs are private (see the module's docstring)."""
    return [] if kit.config.private_urls else [""]
