"""Extract kitgen's own wording (the built-in templates and the `N_` messages in kitgen/) into
themes/default/locale/messages.pot, and bring every catalog there up to date with it.

    python scripts/catalogs.py            # after changing wording: then review what it marked fuzzy
    python scripts/catalogs.py --check    # exit 1 if the template is out of date (the tests check it too)

A new message is added to en_US (the source language) as itself, and to every other catalog as itself marked
fuzzy: kitgen prints the English source for a fuzzy entry, and the tests fail until someone checks the wording
(spelling, terms) and removes the fuzzy flag. Messages no longer used are dropped. Catalogs are read at run time
by kitgen/render/i18n.py; nothing is compiled.

An overlay (OVERLAYS: fr_CA over fr) holds only the messages whose wording differs from its base catalog's; at run
time every other message falls through to the base (i18n.candidates: fr_CA, then fr). Its entries are kept as they
are and dropped when the template no longer has them; nothing is ever added to it, so a new message is translated
once, in the base, and an overlay entry is written by hand only where the regional wording differs.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "themes" / "default"
LOCALE = THEME / "locale"
TEMPLATE = LOCALE / "messages.pot"
SOURCE = "en_US"
# Overlays and the catalog each one refines. A complete fr_CA would double every French translation and drift from
# fr; as an overlay it holds the few Canadian words (balayer, texter, courriel, télécopieur...) and nothing else.
OVERLAYS = {"fr_CA": "fr"}

JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "newstyle_gettext": "true",
         "trim_blocks": "true", "lstrip_blocks": "true"}


def extract() -> Catalog:
    """Every message of the built-in templates and of kitgen's Python (`N_("...")`), with the files using it."""
    catalog = Catalog(project="kitgen", msgid_bugs_address=None, charset="utf-8", fuzzy=False)
    templates = extract_from_dir(THEME / "templates", method_map=[("**.html", "jinja2"), ("**.txt", "jinja2"),
                                                                  ("**.css", "jinja2")],
                                 options_map={"**": JINJA}, keywords={"_": None, "gettext": None,
                                                                        "ngettext": (1, 2)})
    for filename, lineno, message, comments, context in templates:
        catalog.add(message, locations=[(f"themes/default/templates/{filename}", lineno)],
                    auto_comments=comments, context=context)
    python = extract_from_dir(ROOT / "kitgen", method_map=[("**.py", "python")], keywords={"N_": None})
    for filename, lineno, message, comments, context in python:
        catalog.add(message, locations=[(f"kitgen/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def pot_text(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=120, include_lineno=False, sort_output=True, omit_header=False)
    return _stable(out.getvalue().decode("utf-8"))


def _stable(text: str) -> str:
    """Without the dates Babel stamps into the header, so an unchanged catalog is an unchanged file."""
    return "\n".join(line for line in text.splitlines() if not line.startswith(('"POT-Creation-Date:',
                                                                                  '"PO-Revision-Date:'))) + "\n"


def update(locale: str, template: Catalog) -> str:
    path = LOCALE / locale / "LC_MESSAGES" / "messages.po"
    old = read_po(path.open("rb"), locale=locale) if path.is_file() else Catalog(locale=locale)
    new = Catalog(locale=locale, project="kitgen", charset="utf-8", fuzzy=False)
    if locale in OVERLAYS and path.is_file():
        new.header_comment = old.header_comment  # it says what an overlay is
    for message in template:
        if not message.id:
            continue
        kept = old.get(message.id, message.context)
        if kept is not None and kept.string and (kept.id == message.id):
            string, fuzzy = kept.string, kept.fuzzy
        elif locale in OVERLAYS:
            continue  # not the overlay's: its base catalog words it
        else:
            string, fuzzy = message.id, locale != SOURCE
        new.add(message.id, string, locations=message.locations, flags=("fuzzy",) if fuzzy else (),
                context=message.context)
    out = io.BytesIO()
    write_po(out, new, width=120, include_lineno=False, sort_output=True)
    return _stable(out.getvalue().decode("utf-8"))


def overlay_dropped(locale: str, template: Catalog) -> list[str]:
    """The overlay's messages that the template no longer has (update() leaves them out)."""
    path = LOCALE / locale / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return []
    with path.open("rb") as po:
        return [str(m.id) for m in read_po(po) if m.id and template.get(m.id, m.context) is None]


def locales() -> list[str]:
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir()) if LOCALE.is_dir() else []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when messages.pot is out of date")
    parser.add_argument("--add", metavar="LOCALE", action="append", default=[], help="start a catalog")
    args = parser.parse_args()
    template = extract()
    text = pot_text(template)
    if args.check:
        current = TEMPLATE.read_text(encoding="utf-8") if TEMPLATE.is_file() else ""
        if current != text:
            print(f"{TEMPLATE.relative_to(ROOT)} is out of date: run python scripts/catalogs.py", file=sys.stderr)
            return 1
        return 0
    LOCALE.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_text(text, encoding="utf-8")
    for locale in sorted({*locales(), *args.add}):
        path = LOCALE / locale / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        for gone in sorted(overlay_dropped(locale, template)) if locale in OVERLAYS else []:
            print(f"{path.relative_to(ROOT)}: dropped {gone!r}: no longer used; if its new wording differs "
                  f"from {OVERLAYS[locale]} too, add it again", file=sys.stderr)
        path.write_text(update(locale, template), encoding="utf-8")
        fuzzy = sum(1 for m in read_po(path.open("rb")) if m.id and m.fuzzy)
        print(f"{path.relative_to(ROOT)}: {fuzzy} to review" if fuzzy else f"{path.relative_to(ROOT)}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
