"""HTML to PDF with WeasyPrint, keeping one font configuration and one parsed print stylesheet per process.

Imported only when a PDF must be rendered: `import weasyprint` costs most of a second.
"""

from __future__ import annotations

from pathlib import Path

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class OutputOnlyFetcher(URLFetcher):
    """Loads files from the output being built and nothing else: never the network, never the rest of the disk."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file"})
        self.root = root

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            from urllib.request import url2pathname
            path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:"))).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"{path} is outside the output being built")
        return super().fetch(url, headers)


class PdfRenderer:
    """One per process: the stylesheet is parsed and the fonts are loaded once, then reused for every document."""

    def __init__(self, out_dir: Path, print_css: str):
        root = Path(out_dir).resolve()
        self.fonts = FontConfiguration()
        self.fetcher = OutputOnlyFetcher(root)
        self.css = weasyprint.CSS(string=print_css, base_url=(root / "site" / "assets" / "print.css").as_uri(),
                                  font_config=self.fonts, url_fetcher=self.fetcher)

    def render(self, html: str, page_dir: Path) -> tuple[bytes, int]:
        """`html` as PDF bytes and its page count; relative URLs resolve against `page_dir`, like the landing
        page beside it."""
        document = weasyprint.HTML(string=html, base_url=(Path(page_dir).resolve() / "index.html").as_uri(),
                                   url_fetcher=self.fetcher).render(stylesheets=[self.css], font_config=self.fonts)
        return document.write_pdf(pdf_tags=True), len(document.pages)
