"""A fillable PDF that office software can fill, print and flatten: a post-process of WeasyPrint's form fields.

WeasyPrint 70 writes fields that only PDFium (Chrome) draws right. Measured on the fax form (issue 24), filled and
flattened by four engines, PDFium kept 18/18 values, poppler 18/18 but 0/4 ticks, pdftk (iText) and pypdf 0/18:
- each field's /DA names a subset CID font (which has no glyph for most typed letters, and which iText cannot use)
  and carries a `gs` operator that a /DA may not hold: the fields get Helvetica and ZapfDingbats, the standard
  fonts every engine has, with WinAnsiEncoding, which covers typed Latin text (é, ñ, ü, ø, ß...);
- the page content begins `1 0 0 -1 0 792 cm` outside any q/Q, so whatever a flattener appends to the page is drawn
  upside down: each page's content is wrapped in q ... Q;
- the widgets' /Rect are written top-first: written lower-left first, as the PDF reference has them;
- with /NeedAppearances set, poppler redraws every check box from its /DA and /MK, which it has not: they get a
  /DA, a /MK caption (ZapfDingbats' check, or its dot for a radio button) and (a check box) an empty /Off
  appearance;
- a field's accessible name (/TU) is its label's first line, or its lines run together without their spaces
  ("Date of birth(MM/DD/YYYY)"): `labels` reads the whole label from the HTML;
- a radio button's widget also carries the group's /T (a field of its own, "urgency.urgency") and is listed in
  /AcroForm /Fields beside its group: both removed, and each button's accessible name (/TU) is its option (/Opt).
How to write a date is said by the template, in the label (Region.date_hint, through the catalogs): the label is
also the field's accessible name, and no wording is added here, where no catalog reaches.

Used on the fax form; it takes any PDF with fields, so another fillable piece (a report-back letter) can use it too.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pikepdf
from pikepdf import Array, Dictionary, Name, String

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

CHECK, DOT = "4", "l"  # ZapfDingbats' check mark and filled circle, the captions Acrobat writes
RADIO = 1 << 15


def labels(root: Element) -> dict[str, str]:
    """Each field's accessible name, by field name: the text of the first <label> for its (first) input, its
    whitespace collapsed, as a browser would announce it."""
    names: dict[str, str] = {}
    inputs = {el.get("id"): el for el in root.iter() if el.tag in ("input", "textarea", "select") and el.get("name")}
    for label in root.iter("label"):
        field = inputs.get(label.get("for"))  # an element without children is falsy: no `or` here
        if field is None:
            field = next((el for el in label.iter() if el.tag in ("input", "textarea", "select") and el.get("name")),
                         None)
        if field is not None:
            names.setdefault(str(field.get("name")), " ".join("".join(label.itertext()).split()))
    return names


def make_fillable(pdf: bytes | pikepdf.Pdf, names: Mapping[str, str] | None = None) -> bytes:
    """`pdf` (WeasyPrint's output, with or without fields) as bytes that every engine fills and flattens right;
    `names` (from `labels`) are the fields' accessible names, where WeasyPrint's are cut short."""
    doc = pdf if isinstance(pdf, pikepdf.Pdf) else pikepdf.open(io.BytesIO(pdf))
    form = doc.Root.get("/AcroForm")
    if form is not None:
        form.DR = Dictionary(Font=Dictionary({
            "/Helv": doc.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                                  Encoding=Name.WinAnsiEncoding)),
            "/ZaDb": doc.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1,
                                                  BaseFont=Name.ZapfDingbats))}))
        form.DA = String("/Helv 0 Tf 0 g")
        form.Fields = Array([field for field in form.Fields if "/Parent" not in field])  # root fields only
        for field in form.Fields:
            if names and str(field.get("/T", "")) in names:
                field.TU = String(names[str(field.T)])
            _field(doc, field)
        for page in doc.pages:
            _wrap(page)
    out = io.BytesIO()
    doc.save(out, deterministic_id=True)  # the same input gives the same bytes
    return out.getvalue()


def _field(doc: pikepdf.Pdf, field: pikepdf.Dictionary) -> None:
    size, colour = _size_and_colour(str(field.get("/DA", "")))
    if field.get("/FT") == "/Tx":
        field.DA = String(f"/Helv {size} Tf {colour}")
    if field.get("/FT") == "/Btn":
        radio = bool(int(field.get("/Ff", 0)) & RADIO)
        options = list(field.get("/Opt", []))
        for i, widget in enumerate(field.get("/Kids", [field])):
            widget.DA = String(f"/ZaDb 0 Tf {colour}")
            mk = widget.get("/MK", Dictionary())
            mk.CA = String(DOT if radio else CHECK)
            widget.MK = mk
            if not radio:  # pypdf's flatten draws a group's first appearance at every button: only the chosen has one
                _off_state(doc, widget)
            if "/Kids" in field:  # a button of a group: a widget, not a field of its own
                for key in ("/T", "/FT", "/V"):
                    if key in widget:
                        del widget[key]
                if i < len(options):
                    widget.TU = String(str(options[i]))
    for widget in field.get("/Kids", [field]):
        x0, y0, x1, y1 = (float(v) for v in widget.Rect)
        widget.Rect = Array([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)])


def _size_and_colour(da: str) -> tuple[str, str]:
    """The font size and fill colour of WeasyPrint's /DA, in operators a /DA may hold."""
    size = re.search(r"([\d.]+)\s+Tf", da)
    colour = re.search(r"((?:[\d.]+\s+){3})rg|([\d.]+)\s+g\b", da)
    fill = f"{colour[1].strip()} rg" if colour and colour[1] else f"{colour[2]} g" if colour else "0 g"
    return (size[1] if size else "0"), fill


def _off_state(doc: pikepdf.Pdf, widget: pikepdf.Object) -> None:
    """An empty appearance for an unticked box, so no engine falls back to a state it guesses."""
    normal = widget.get("/AP", Dictionary()).get("/N")
    if not isinstance(normal, pikepdf.Dictionary) or "/Off" in normal:
        return
    x0, y0, x1, y1 = (float(v) for v in widget.Rect)
    off = pikepdf.Stream(doc, b"")
    off.Type, off.Subtype = Name.XObject, Name.Form
    off.BBox = Array([0, 0, abs(x1 - x0), abs(y1 - y0)])
    normal.Off = off


def _wrap(page: pikepdf.Page) -> None:
    """The page's content in q ... Q, so the coordinates it sets do not reach what a flattener appends."""
    page.contents_coalesce()
    contents = page.obj.Contents
    contents.write(zlib.compress(b"q\n" + contents.read_bytes() + b"\nQ\n"), filter=Name.FlateDecode)
