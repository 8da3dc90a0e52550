"""Reading back what kitgen made, as a reader or a phone would, and running `kitgen check`: the helpers several
test modules share."""

from __future__ import annotations

from pathlib import Path

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
    import zxingcpp

    found: list[str] = []
    for i, page in enumerate(pypdfium2.PdfDocument(path)):
        if pages is not None and i >= pages:
            break
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        found += [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    return found


def kitgen_check(root: Path | str, *args: str, layout: bool = False) -> Result:
    """`kitgen check` on the project at `root` (without laying out PDFs unless `layout`), in this process; a
    traceback or an exception other than the exit fails the test."""
    command = ["check", "--project", str(root), *([] if layout else ["--no-layout"]), *args]
    result = CliRunner().invoke(main, command)
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result
