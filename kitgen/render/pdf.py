"""HTML to PDF with WeasyPrint, keeping one font configuration and one parsed print stylesheet per process.

Imported only when a PDF must be rendered: `import weasyprint` costs most of a second.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from kitgen import record

# Documents see the output folder under this fixed address, not under its path on disk: WeasyPrint names
# embedded images after their URL, so the same input gives the same bytes wherever it is built.
ROOT_URL = "https://kitgen.invalid/"


class OutputOnlyFetcher(URLFetcher):
    """Serves files of the output being built and nothing else: never the network, never the rest of the disk."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not url.startswith(ROOT_URL):
            raise ValueError(f"kitgen documents load only their own files, not {url}")
        path = (self.root / unquote(urlsplit(url).path).lstrip("/")).resolve()
        if not path.is_relative_to(self.root):
            raise ValueError(f"{url} is outside the output being built")
        record.note(record.output(path.relative_to(self.root).as_posix()))  # the document embeds this file
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})


class PdfRenderer:
    """One per process: the stylesheet is parsed and the fonts are loaded once, then reused for every document."""

    def __init__(self, out_dir: Path, print_css: str):
        self.root = Path(out_dir).resolve()
        self.fonts = FontConfiguration()
        self.fetcher = OutputOnlyFetcher(self.root)
        self.css = weasyprint.CSS(string=print_css, base_url=ROOT_URL + "site/assets/print.css",
                                  font_config=self.fonts, url_fetcher=self.fetcher)

    def lay_out(self, html: str, page_dir: Path, forms: bool = False) -> weasyprint.Document:
        """`html` laid out in pages, not yet written: where its anchors fell can still choose another layout."""
        base = ROOT_URL + Path(page_dir).resolve().relative_to(self.root).as_posix() + "/index.html"
        return weasyprint.HTML(string=html, base_url=base, url_fetcher=self.fetcher).render(
            stylesheets=[self.css], font_config=self.fonts, pdf_forms=forms)

    @staticmethod
    def write(document: weasyprint.Document, forms: bool = False) -> bytes:
        """PDF/UA-1: tagged as before, plus the XMP metadata, title and PDF/UA identifier a validator and a screen
        reader look for (tests/test_pdfua.py validates every kind with page-validation). Form fields are made
        fillable by office software (acroform.py)."""
        data: bytes = document.write_pdf(pdf_variant="pdf/ua-1", pdf_forms=forms)
        if forms:
            from kitgen.render.acroform import labels, make_fillable  # pikepdf, imported only for a fillable PDF
            root = next((box.element for box in document.pages[0]._page_box.descendants()
                         if getattr(box, "element", None) is not None), None) if document.pages else None
            data = make_fillable(data, labels(root) if root is not None else None)
        return data
