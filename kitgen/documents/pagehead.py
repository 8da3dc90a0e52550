"""What a landing page's <head> links besides its stylesheets: the web fonts to fetch at once, and its icon.

Preloading the fonts lets the browser fetch them alongside the stylesheets instead of after them (it otherwise
finds a font only once the CSS is parsed and the text laid out), so the text appears in its own face sooner
and moves less when it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kitgen.documents import favicon, webfonts

if TYPE_CHECKING:
    from kitgen.content.model import Kit


@dataclass(frozen=True)
class Head:
    fonts: list[str]            # relative to the site's assets/ folder
    icon: favicon.Icon | None   # its href is relative to the site's root


def head(kit: Kit, icon_file: str) -> Head:
    """`icon_file`: where the favicon kind writes its PNG, from the site's root."""
    fonts = [f"{webfonts.FOLDER}/{webfonts.file_name(face)}" for _, face in kit.config.brand.web_faces]
    return Head(fonts, favicon.icon(kit, icon_file))
