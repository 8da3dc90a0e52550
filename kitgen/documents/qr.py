"""QR codes as small vector SVGs: qrcode computes the matrix, we draw it as one path of horizontal runs.

qrcode's own SVG factories draw a shape per module (about 4x larger, and slower to parse in WeasyPrint), and
carry a fixed size in mm; ours has only a viewBox, so CSS sizes it exactly.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants
from qrcode.exceptions import DataOverflowError

from kitgen.problems import Level, Problem
from kitgen.project import CONFIG

if TYPE_CHECKING:
    from kitgen.content.model import Kit
    from kitgen.content.partners import Partner

QUIET_ZONE = 4  # modules on every side, as the standard asks
# How small a module (one square) may print. The smallest code kitgen prints is the business card's, 21 mm with
# its quiet zone (print.css .qr-card). A phone scanning from hand distance needs modules of 0.4 mm
# (https://qrtool.ch/en/blog/post.php?slug=qr-code-groesse-druck-mindestmasse); on a laser print the best phone
# of a trial read 0.25-0.34 mm and others needed 0.34-0.76 mm (https://scruss.com/blog/2013/01/07/too-many-qr-codes/).
SMALLEST_MM, SCANS_MM, UNREADABLE_MM = 21.0, 0.4, 0.25


@lru_cache(maxsize=1024)
def matrix(data: str) -> tuple[bytes, ...]:
    """The code's modules (1 dark, 0 light), with error correction M and the quiet zone included. Kept for the
    next file of the same address (a partner's web and print SVG): making one takes about 20 ms."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return tuple(bytes(row) for row in code.get_matrix())


def problems(kit: Kit) -> list[Problem]:
    """A warning when the address a partner's code holds (`<base_url>r/<code>/`, redirects.py) prints too dense
    to scan easily on the cards, an error when no phone would read it or it holds more than a QR code can (2,331
    bytes at level M); at base_url's line, once. The form's own address is not printed in a code: its length
    does not matter here."""
    found: list[Problem] = []
    urls = [u for p in kit.partners for u in (kit.qr_url(p), kit.patient_qr_url(p)) if u]
    if not urls:
        return found
    longest = max(urls, key=lambda u: len(u.encode()))
    size = len(longest.encode())
    line = kit.config_doc.line(("base_url",)) if kit.config_doc else 0
    fix = "use a shorter base_url (a short domain of your own, say)"
    try:
        modules = len(matrix(longest))
    except (DataOverflowError, ValueError):  # qrcode says 'Invalid version (was 41...)' past version 40
        return [Problem(CONFIG, line, "base_url", f"the address a QR code holds is {size} bytes "
                        f"({longest[:60]}...); a QR code holds at most 2,331; {fix}")]
    mm = SMALLEST_MM / modules
    if mm < SCANS_MM:
        level: Level = "error" if mm < UNREADABLE_MM else "warning"
        found.append(Problem(CONFIG, line, "base_url", f"the address a QR code holds ({longest}, {size} bytes) "
                             f"makes a code of {modules - 2 * QUIET_ZONE} squares a side, each "
                             f"{mm:.2f} mm on the {SMALLEST_MM:.0f} mm code on the business cards; phones "
                             f"need {SCANS_MM} mm to scan from hand distance"
                             f"{' and none reads under ' + str(UNREADABLE_MM) + ' mm' if level == 'error' else ''}"
                             f"; {fix}", level))
    return found


def svg(data: str, title: str | None = None, size_of: str = "", ink: tuple[str, str] = ("#000", "#fff")) -> str:
    """A standalone SVG of `data`'s QR code; the title is what screen readers and tagged PDFs announce. `size_of`
    (a CSS length) is its own width and height, for a stylesheet that does not size it; `ink` the dark and the
    light colour."""
    rows = matrix(data)
    size = len(rows)
    path = []
    for y, row in enumerate(rows):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                path.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    label = escape(title or f"QR code: {data}")
    own = f' width="{size_of}" height="{size_of}"' if size_of else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}"{own} role="img" '
            f'shape-rendering="crispEdges"><title>{label}</title>'
            f'<rect width="{size}" height="{size}" fill="{ink[1]}"/>'
            f'<path fill="{ink[0]}" d="{"".join(path)}"/></svg>\n')


PRINT_SIZE = "25mm"  # the print code's own size, quiet zone included, where a theme's stylesheet gives it none
# Black ink alone, on no ink: a press prints the modules from one plate, so they cannot misregister, and a shop's
# RGB-to-CMYK conversion cannot turn them into a four-colour black. WeasyPrint writes these as DeviceCMYK.
PRINT_INK = ("device-cmyk(0 0 0 1)", "device-cmyk(0 0 0 0)")


def print_svg(data: str) -> bytes:
    """The code for PDFs: the same vector SVG, drawn by WeasyPrint as filled paths (no raster to preflight, sharp
    at any size), with a size of its own (an SVG with only a viewBox fills its container's width: a page). Each
    PDF references one file per address, so WeasyPrint parses it once per document however many cards carry it;
    the PDF's <img alt> names it for screen readers."""
    return svg(data, "QR code", PRINT_SIZE, PRINT_INK).encode()


def print_for_partner(kit: Kit, partner: Partner) -> bytes:
    return print_svg(kit.qr_url(partner))


def for_partner(kit: Kit, partner: Partner) -> bytes:
    """The partner's QR code file: the kit's own address that forwards to the referral form (redirects.py),
    labelled for screen readers and tagged PDFs."""
    url = kit.qr_url(partner)
    return svg(url, f"QR code: {kit.practice.name} secure referral form, {url}").encode()
