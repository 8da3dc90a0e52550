"""Measuring a kit's PDFs as printed (pdfplumber): glyphs outside their page's content box or their column, type
under 7 pt, web and e-mail addresses broken anywhere but after / . @, postcodes parted from their town, and how much
of a one-pager's content box is left blank. tests/test_layout.py asserts on these; run as a script on built kits
(`python tests/layoutcheck.py OUT...`) it prints the figures.

Boxes are the templates' own numbers: each kind's @page margins, the card stock's cells (text 3 mm inside each
card, the checks' safe line), and the one-pager's grid (a 66 mm side column, 72 mm condensed, after a gutter).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from kitgen.content.stock import CardStock

MM = 72 / 25.4
SMALLEST = 7.0  # pt: docs/printing.md's promise
SLACK = 0.3     # pt: rounding in the PDF's glyph boxes


def qr_squares(page) -> list[dict]:
    """The vector QR codes on a pdfplumber page: each is drawn on a white square (the symbol with its quiet zone) of
    at least 15 mm, then its dark modules as filled paths; raster images are page.images."""
    return [r for r in page.rects if r.get("non_stroking_color") in ((1,), (1.0, 1.0, 1.0), (0, 0, 0, 0))
            and r["width"] >= 15 * MM and abs(r["width"] - r["height"]) < 0.1]

# @page margins (top, right, bottom, left) in mm, as print.css, the leaflet and partials/kit_extras.css set them
MARGINS = {"one-pager": (11, 12, 11, 12), "lunch-and-learn": (14, 16, 6, 16), "patient-leaflet": (13, 15, 12, 15),
           "fax-referral-form": (10, 12, 10, 12), "intro-letter": (16, 20, 16, 20), "report-back": (16, 20, 16, 20)}
# postcodes as the fixtures write them, each with the word before it that it must share a line with
POSTCODES = [("OR", "97477"), ("NSW", "2060"), ("Manchester", "M4 1PW")]


@dataclass
class Fault:
    file: str
    page: int
    what: str

    def __str__(self) -> str:
        return f"{self.file} p{self.page}: {self.what}"


def kind_of(path: Path) -> str:
    return re.sub(r"-(es|fr|en)$", "", path.stem)


Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pt


def content_boxes(kind: str, page: pdfplumber.page.Page, stock: CardStock, inset: float = 3.0) -> list[Box]:
    """Where the page's glyphs may lie: inside the @page margins; on cards, each card less `inset` mm (the checks'
    safe line); on the thank-you sheet, the page less 5 mm."""
    w, h = float(page.width), float(page.height)
    if kind in MARGINS:
        t, r, b, left = (v * MM for v in MARGINS[kind])
        return [(left, t, w - r, h - b)]
    if kind == "thank-you-cards":
        return [(5 * MM, 5 * MM, w - 5 * MM, h - 5 * MM)]
    if not kind.startswith("cards"):  # a new kind of PDF: say where its text may lie, above
        raise ValueError(f"layoutcheck: no content box for {kind}; add its @page margins to MARGINS")
    if stock.print_shop:  # the page is the trim, with the bleed around it
        x0, y0 = (stock.bleed + inset) * MM, (stock.bleed + inset) * MM
        return [(x0, y0, w - x0, h - y0)]
    page_w = stock.page_mm[0]
    boxes = []
    for x, y in stock.cells():
        for left in (x, page_w - x - stock.card_w):  # the fronts, and the backs mirrored for duplex
            boxes.append(((left + inset) * MM, (y + inset) * MM, (left + stock.card_w - inset) * MM,
                          (y + stock.card_h - inset) * MM))
    return boxes


def outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    def inside(c: dict, box: tuple[float, float, float, float]) -> bool:
        x0, t, x1, b = box
        return c["x0"] >= x0 - SLACK and c["x1"] <= x1 + SLACK and c["top"] >= t - SLACK and c["bottom"] <= b + SLACK
    return [c for c in chars if c["text"].strip() and not any(inside(c, box) for box in boxes)]


def text_lines(page: pdfplumber.page.Page) -> str:
    return page.extract_text(x_tolerance=1.5, y_tolerance=2) or ""


def broken_addresses(text: str, addresses: list[str]) -> list[str]:
    """Each place an address is split over two lines after a character other than / . @ (or before one)."""
    found = []
    for address in addresses:
        pattern = r"\n?".join(re.escape(ch) for ch in address)
        for m in re.finditer(pattern, text):
            part = m.group(0)
            for i, ch in enumerate(part):
                if ch == "\n" and part[i - 1] not in "/.@":
                    found.append(part.replace("\n", " / "))
                    break
    return found


def parted_postcodes(text: str) -> list[str]:
    found = []
    for town, code in POSTCODES:
        pattern = re.escape(town) + r"\s+" + r"\s+".join(map(re.escape, code.split()))
        found += [m.group(0).replace("\n", " / ") for m in re.finditer(pattern, text) if "\n" in m.group(0)]
    return found


def grid(page: pdfplumber.page.Page) -> tuple[float, float, float, float] | None:
    """One-pager: (main column's right edge, side column's left edge, grid top, grid bottom) in pt. The side column
    starts with the referral box (a tinted or framed rectangle 66 mm wide, 72 mm condensed, after a 7 or 5 mm
    gutter); the grid ends at the footer's rule."""
    shapes = page.rects + page.lines
    box = [r for r in shapes if any(abs(r["width"] - w * MM) < 1.5 * MM for w in (66, 72))]
    rules = [r["top"] for r in shapes if r["width"] > page.width * 0.6]  # the footer is framed by its top rule
    if not box or not rules:
        return None
    side = min(box, key=lambda r: r["top"])
    gap = (7 if abs(side["width"] - 66 * MM) < 1.5 * MM else 5) * MM
    return side["x0"] - gap, side["x0"], side["top"], max(rules)


def gutter_faults(page: pdfplumber.page.Page) -> list[str]:
    """One-pager: glyphs of the grid that reach into the gutter between the main column and the side column."""
    found = grid(page)
    if found is None:
        return ["(no grid found)"]
    lo, hi, top, bottom = found
    return [c["text"] for c in page.chars if top < c["top"] < bottom and c["x1"] > lo + SLACK and c["x0"] < hi - SLACK
            and c["text"].strip()]


def column_ends(page: pdfplumber.page.Page) -> tuple[float, float, float, float] | None:
    """One-pager: where the main column's and the side column's last glyphs end, where the footer's rule is, and
    where the page's last glyph ends (pt from the top); None without a grid."""
    found = grid(page)
    if found is None:
        return None
    lo, _, top, rule = found
    chars = [c for c in page.chars if c["text"].strip()]
    inside = [c for c in chars if top - 2 < c["top"] < rule - 3 * MM]
    main, side = (max((c["bottom"] for c in inside if (c["x1"] <= lo + SLACK) == is_main), default=top)
                  for is_main in (True, False))
    return main, side, rule, max(c["bottom"] for c in chars)


def blank_fraction(page: pdfplumber.page.Page) -> float:
    """How much of the content box a reader sees blank, as a share of its height: the largest of the page's blank
    foot (below the last glyph), the emptier column's blank (the difference between the columns' ends) and the
    band between the columns and the footer."""
    t, _, b, _ = (v * MM for v in MARGINS["one-pager"])
    height = float(page.height) - b - t
    chars = [c for c in page.chars if c["text"].strip()]
    foot = (float(page.height) - b - max(c["bottom"] for c in chars)) / height
    ends = column_ends(page)
    if ends is None:
        return foot
    main, side, rule, _ = ends
    return max(foot, abs(main - side) / height, (rule - 3 * MM - max(main, side)) / height)


def measure(pdf_path: Path, addresses: list[str], stock: CardStock) -> tuple[list[Fault], float | None]:
    """Every fault of one PDF, and its blank fraction when it is a one-pager."""
    faults: list[Fault] = []
    kind = kind_of(pdf_path)
    blank = None
    name = str(pdf_path)
    with pdfplumber.open(pdf_path) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            small = sorted({(round(c["size"], 2)) for c in chars if c["size"] < SMALLEST - 0.01})
            if small:
                texts = "".join(c["text"] for c in chars if c["size"] < SMALLEST - 0.01)[:60]
                faults.append(Fault(name, n, f"type at {small} pt: {texts!r}"))
            out = outside(chars, content_boxes(kind, page, stock))
            if out:
                faults.append(Fault(name, n, f"{len(out)} glyphs outside the content box: "
                                             f"{''.join(c['text'] for c in out)[:60]!r}"))
            for image in page.images + qr_squares(page):  # QR codes: their square carries the 4-module quiet zone
                on = [c["text"] for c in chars if c["x1"] > image["x0"] + SLACK and c["x0"] < image["x1"] - SLACK
                      and c["bottom"] > image["top"] + SLACK and c["top"] < image["bottom"] - SLACK]
                if on:
                    faults.append(Fault(name, n, f"on a code or its quiet zone: {''.join(on)[:40]!r}"))
            text = text_lines(page)
            faults += [Fault(name, n, f"address broken: {b!r}") for b in broken_addresses(text, addresses)]
            faults += [Fault(name, n, f"postcode parted: {p!r}") for p in parted_postcodes(text)]
            if kind == "one-pager":
                gutter = gutter_faults(page)
                if gutter:
                    faults.append(Fault(name, n, f"in the gutter: {''.join(gutter)!r}"))
                blank = blank_fraction(page)
    return faults, blank


def addresses(kit: object) -> list[str]:
    """The web and e-mail addresses a kit prints (as printed: no scheme, no trailing slash)."""
    from kitgen.render.filters import plain_url
    practice, config = kit.practice, kit.config  # type: ignore[attr-defined]
    c = practice.contact
    found = [c.email, plain_url(c.website or ""), plain_url(config.base_url)]
    found += [p.email for p in kit.partners if p.email]  # type: ignore[attr-defined]
    found += [plain_url(u) for u in (practice.referral.form_url, practice.referral.patient_url) if u]
    return [a for a in found if a]


def measure_kit(root: Path) -> tuple[list[Fault], dict[str, float]]:
    from kitgen.content.load import load_kit
    kit, _ = load_kit(root)
    stock, known = kit.config.stock, addresses(kit)
    faults, blanks = [], {}
    for path in sorted((root / "output").rglob("*.pdf")):
        fs, blank = measure(path, known, stock)
        faults += fs
        if blank is not None:
            blanks[str(path.relative_to(root))] = blank
    return faults, blanks


if __name__ == "__main__":
    for root in sys.argv[1:]:
        fs, blanks = measure_kit(Path(root))
        for f in fs:
            print(f)
        for path, blank in blanks.items():
            print(f"{root}/{path}: blank {blank:.0%}")
