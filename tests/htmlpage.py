"""Built pages read as a browser parses them (tinyhtml5, WeasyPrint's HTML5 parser), not as strings."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import tinyhtml5

NS = "{http://www.w3.org/1999/xhtml}"


class Page:
    def __init__(self, path: Path):
        self.root = tinyhtml5.parse(path.read_text(encoding="utf-8"))

    def all(self, tag: str, **attrs) -> list:
        found = []
        for el in self.root.iter(NS + tag):
            if all(_matches(el, k.rstrip("_"), v) for k, v in attrs.items()):
                found.append(el)
        return found

    def one(self, tag: str, **attrs):
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
        return found[0]

    def meta(self, name: str) -> str | None:
        return next((m.get("content") for m in self.all("meta") if m.get("name") == name), None)

    @property
    def lang(self) -> str | None:
        return self.root.get("lang")

    @property
    def title(self) -> str:
        return text(self.one("title"))

    def hrefs(self) -> list[str]:
        return [a.get("href") for a in self.all("a") if a.get("href")]

    def section(self, heading: str):
        """The <section> whose h2 reads `heading`."""
        for sec in self.all("section"):
            h2 = sec.find(NS + "h2")
            if h2 is not None and text(h2) == heading:
                return sec
        raise AssertionError(f"no section headed {heading!r}")


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _matches(el, key: str, value: str) -> bool:
    if key == "class":
        return value in (el.get("class") or "").split()
    return el.get(key) == value


def forwarded(out: Path, address: str) -> str:
    """Where a QR code's address leads: a code holds the kit's own address (<base_url>r/<code>/ or p/<code>/),
    whose page in site/ forwards with a refresh <meta>, as a browser with JavaScript off follows it; any other
    address is returned as it is."""
    base = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["base_url"]
    if not address.startswith(base):
        return address
    page = (out / "site" / address[len(base):] / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', page)
    return html.unescape(found.group(1)) if found else address
