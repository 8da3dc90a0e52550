"""QR codes as small vector SVGs: qrcode computes the matrix, we draw it as one path of horizontal runs.

qrcode's own SVG factories draw a shape per module (about 4x larger, and slower to parse in WeasyPrint), and
carry a fixed size in mm; ours has only a viewBox, so CSS sizes it exactly.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules on every side, as the standard asks


@lru_cache(maxsize=1024)
def matrix(data: str) -> tuple[bytes, ...]:
    """The code's modules (1 dark, 0 light), with error correction M and the quiet zone included. Kept for the
    next file of the same address (a partner's SVG and PNG): making one takes about 20 ms."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return tuple(bytes(row) for row in code.get_matrix())


def svg(data: str, title: str | None = None) -> str:
    """A standalone SVG of `data`'s QR code; the title is what screen readers and tagged PDFs announce."""
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
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
            f'shape-rendering="crispEdges"><title>{label}</title>'
            f'<rect width="{size}" height="{size}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(path)}"/></svg>\n')


def png(data: str) -> bytes:
    """The code as a 1-bit PNG with one pixel per module, for PDFs.

    Printed with interpolation off (CSS `image-rendering: pixelated`) every module is a sharp square, exactly as
    with vectors; but a PDF embeds the image once and places it twenty times, where WeasyPrint re-parses an SVG
    path for every card (a card sheet renders in half the time).
    """
    import io

    from PIL import Image  # WeasyPrint's own dependency

    rows = matrix(data)
    image = Image.new("1", (len(rows), len(rows)), 1)
    image.putdata([0 if dark else 1 for row in rows for dark in row])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def png_for_partner(kit: Any, partner: Any) -> bytes:
    return png(kit.referral_url(partner))


def for_partner(kit: Any, partner: Any) -> bytes:
    """The partner's QR code file: the referral URL, labelled for screen readers and tagged PDFs."""
    url = kit.referral_url(partner)
    return svg(url, f"QR code: {kit.practice.name} secure referral form, {url}").encode()
