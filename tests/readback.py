"""Reading back what kitgen made, as a reader or a phone would, and running `kitgen check`: the helpers several
test modules share."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from click.testing import CliRunner, Result

from kitgen.commands.cli import main


def pdf_text(path: Path | str, *, squeeze: bool = False) -> str:
    """Every page's text, pages joined by a space; `squeeze`: every run of white space one space."""
    import pypdf

    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)
    return " ".join(text.split()) if squeeze else text


def qr_codes(path: Path | str, *, dpi: int = 150, pages: int | None = None) -> list[str]:
    """What a phone reads in the QR codes of the PDF's pages (the first `pages` of them; None: all)."""
    import pypdfium2

    found: list[str] = []
    for i, page in enumerate(pypdfium2.PdfDocument(path)):
        if pages is not None and i >= pages:
            break
        found += [r.text for r in _decoded(page, dpi)]
    return found


def _decoded(page, dpi: int) -> list:
    """zxing-cpp's reading of a pypdfium2 page rendered in grey at `dpi`: its QR codes alone."""
    import zxingcpp

    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


class QrSymbol(NamedTuple):
    text: str
    box: tuple[float, float, float, float]  # mm from the rendered page's top-left corner: x0, y0, x1, y1
    modules: int  # a side, quiet zone excluded


def qr_symbols(pdf: Path | str | bytes, index: int, *, dpi: int, last_pixel: bool = False) -> list[QrSymbol]:
    """The QR codes a phone reads on one page rendered at `dpi`, each with its symbol box and module count.
    zxing gives the corners' pixel coordinates, so the box's far edges run to the start of the last pixel;
    `last_pixel`: to its end (one pixel wider), to measure a quiet zone from the symbol's true edge."""
    import pypdfium2

    k, far = 25.4 / dpi, 1 if last_pixel else 0
    found = []
    for r in _decoded(pypdfium2.PdfDocument(pdf)[index], dpi):
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
        version = int(dict(r.extra)["Version"])  # a dict in zxing-cpp 2.3+
        box = (min(xs) * k, min(ys) * k, (max(xs) + far) * k, (max(ys) + far) * k)
        found.append(QrSymbol(r.text, box, 17 + 4 * version))
    return found


def kitgen_check(root: Path | str, *args: str, layout: bool = False) -> Result:
    """`kitgen check` on the project at `root` (without laying out PDFs unless `layout`), in this process; a
    traceback or an exception other than the exit fails the test."""
    command = ["check", "--project", str(root), *([] if layout else ["--no-layout"]), *args]
    result = CliRunner().invoke(main, command)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result
