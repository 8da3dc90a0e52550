"""The fax form filled and flattened by the engines offices use, its values read back from what they drew.

PDFium (Chrome's viewer: values typed into its form environment), poppler (Evince, Okular: the filled file drawn
by pdftocairo and pdftoppm), pdftk (iText: filled from FDF and flattened) and pypdf (filled and flattened). Each
flattened page must show every typed value, accented Latin included, upright inside its box (pdfplumber: the
characters' matrix not mirrored), and a mark in each ticked box and the chosen radio button, none in the others
(a render). Before kitgen/render/acroform.py: PDFium 18/18, poppler 18/18 and 0/4 boxes, pdftk 0/18, pypdf 0/18.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from conftest import PRACTICE, make_project

from kitgen.pipeline.pipeline import build

DPI = 100


@dataclass
class Widget:
    name: str          # the field's full name
    kind: str          # "text", "check" or "radio"
    state: str         # the on-state name of a button widget ("" for text)
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1, lower-left first


def widgets(path: Path) -> list[Widget]:
    out = []
    with pikepdf.open(path) as pdf:
        for annot in pdf.pages[0].get("/Annots", []):
            if annot.get("/Subtype") != "/Widget":
                continue
            fld = annot if "/T" in annot else annot.Parent
            name = str(fld.T)
            x0, y0, x1, y1 = (float(v) for v in annot.Rect)
            rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            if fld.get("/FT") == "/Btn":
                states = [str(k)[1:] for k in annot.AP.N if k != "/Off"]
                radio = bool(int(fld.get("/Ff", 0)) & (1 << 15))
                out.append(Widget(name, "radio" if radio else "check", states[0], rect))
            else:
                out.append(Widget(name, "text", "", rect))
    return out


TEXTS = {
    "referrer_phone": "(503) 555-0188", "referrer_fax": "(503) 555-0189", "referrer_npi": "1234567893",
    "patient_name": "Zoë Müller-Núñez", "patient_dob": "03/14/1988", "patient_phone": "(503) 555-0123",
    "insurance_plan": "Aetna Choice POS II", "member_id": "W123456789", "patient_language": "Español",
    "guardian_name": "François Lefèvre", "guardian_relationship": "Père", "guardian_phone": "(503) 555-0145",
    "reason": "Postpartum anxiety and low mood since June; EPDS 16.", "diagnosis": "F53.0 Postpartum depression",
    "medications": "Sertraline 50 mg daily", "risk_concerns": "Passive thoughts, no plan; safe at home.",
    "referrer_signature": "Jane Smith, MD", "referral_date": "11/20/2026",
}


def values(ws: list[Widget], texts: dict[str, str] = TEXTS) -> dict[str, str]:
    """What the office types: every text field, the second choice of each radio group, every check box ticked."""
    out: dict[str, str] = {}
    radios: dict[str, list[str]] = {}
    for w in ws:
        if w.kind == "text":
            out[w.name] = texts.get(w.name, "Ciarán O'Dóchartaigh")
        elif w.kind == "check":
            out[w.name] = w.state
        else:
            radios.setdefault(w.name, []).append(w.state)
    for name, states in radios.items():
        out[name] = states[1]
    return out


def expected_ticks(ws: list[Widget], vals: dict[str, str]) -> list[bool]:
    return [vals.get(w.name) == w.state for w in ws if w.kind != "text"]


# --- engines -----------------------------------------------------------------------------------------------------

def fill_pikepdf(blank: Path, out: Path, vals: dict[str, str]) -> None:
    """Values only (/V, /AS), no appearance streams: what a form-data import leaves for a viewer to draw."""
    with pikepdf.open(blank) as pdf:
        for annot in pdf.pages[0].Annots:
            fld = annot if "/T" in annot else annot.Parent
            name = str(fld.T)
            if name not in vals:
                continue
            if fld.get("/FT") == "/Btn":
                on = pikepdf.Name("/" + vals[name])
                fld.V = on
                annot.AS = on if on in annot.AP.N else pikepdf.Name.Off
            else:
                fld.V = pikepdf.String(vals[name])
        pdf.Root.AcroForm.NeedAppearances = True
        pdf.save(out)


def pdfium_engine(blank: Path, work: Path, ws: list[Widget], vals: dict[str, str]) -> tuple[Path, Path]:
    """Types each value into its field and clicks each box in PDFium's form environment (what Chrome does), then
    flattens for print. Returns (flattened PDF, PNG of the filled page as PDFium draws it)."""
    pdf = pdfium.PdfDocument(blank)
    pdf.init_forms()
    page = pdf[0]
    handle = pdf.formenv.raw
    for w in ws:
        x, y = (w.rect[0] + w.rect[2]) / 2, (w.rect[1] + w.rect[3]) / 2
        if w.kind == "text":
            raw.FORM_OnLButtonDown(handle, page.raw, 0, x, y)
            raw.FORM_OnLButtonUp(handle, page.raw, 0, x, y)
            text = (vals[w.name] + "\0").encode("utf-16-le")
            buf = ctypes.create_string_buffer(text, len(text))
            raw.FORM_ReplaceSelection(handle, page.raw, ctypes.cast(buf, raw.FPDF_WIDESTRING))
            raw.FORM_ForceToKillFocus(handle)
        elif vals.get(w.name) == w.state:
            raw.FORM_OnLButtonDown(handle, page.raw, 0, x, y)
            raw.FORM_OnLButtonUp(handle, page.raw, 0, x, y)
            raw.FORM_ForceToKillFocus(handle)
    png = work / "pdfium.png"
    page.render(scale=DPI / 72, may_draw_forms=True).to_pil().save(png)
    filled = work / "pdfium-filled.pdf"
    pdf.save(filled)
    page.close()
    pdf.close()
    pdf = pdfium.PdfDocument(filled)
    pdf.init_forms()
    page = pdf[0]
    page.flatten(raw.FLAT_PRINT)
    page.close()
    flat = work / "pdfium-flat.pdf"
    pdf.save(flat)
    pdf.close()
    return flat, png


def poppler_engine(blank: Path, work: Path, ws: list[Widget], vals: dict[str, str]) -> tuple[Path, Path]:
    """poppler draws the filled file (values only, NeedAppearances: poppler makes the appearances, as Evince and
    Okular do): pdftocairo prints it to a flat PDF, pdftoppm to a PNG."""
    filled = work / "poppler-filled.pdf"
    fill_pikepdf(blank, filled, vals)
    flat = work / "poppler-flat.pdf"
    subprocess.run(["pdftocairo", "-pdf", filled, flat], check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-singlefile", filled, work / "poppler"], check=True,
                   capture_output=True)
    return flat, work / "poppler.png"


def _fdf_string(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def pdftk_engine(blank: Path, work: Path, ws: list[Widget], vals: dict[str, str]) -> tuple[Path, Path]:
    """pdftk (iText) fills from FDF and flattens."""
    rows = []
    for name, value in vals.items():
        kind = next(w.kind for w in ws if w.name == name)
        rows.append(f"<< /T ({name}) /V " + (f"/{value}" if kind != "text" else _fdf_string(value)) + " >>")
    fdf = work / "data.fdf"
    fdf.write_bytes(("%FDF-1.2\n1 0 obj\n<< /FDF << /Fields [\n" + "\n".join(rows)
                     + "\n] >> >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n").encode("latin-1"))
    flat = work / "pdftk-flat.pdf"
    subprocess.run(["pdftk", blank, "fill_form", fdf, "output", flat, "flatten"], check=True, capture_output=True)
    return flat, _render(flat, work / "pdftk.png")


def pypdf_engine(blank: Path, work: Path, ws: list[Widget], vals: dict[str, str]) -> tuple[Path, Path]:
    """pypdf fills and flattens (appearance streams written into the page), then drops the widgets."""
    writer = pypdf.PdfWriter(clone_from=blank)
    fields = {n: (v if next(w.kind for w in ws if w.name == n) == "text" else "/" + v) for n, v in vals.items()}
    writer.update_page_form_field_values(writer.pages[0], fields, auto_regenerate=False, flatten=True)
    writer.remove_annotations(subtypes="/Widget")
    del writer.root_object["/AcroForm"]
    flat = work / "pypdf-flat.pdf"
    writer.write(flat)
    return flat, _render(flat, work / "pypdf.png")


def _render(pdf_path: Path, png: Path) -> Path:
    pdf = pdfium.PdfDocument(pdf_path)
    pdf[0].render(scale=DPI / 72, may_draw_forms=False).to_pil().save(png)
    pdf.close()
    return png


ENGINES = {"pdfium": pdfium_engine, "poppler": poppler_engine, "pdftk": pdftk_engine, "pypdf": pypdf_engine}


# --- reading back -------------------------------------------------------------------------------------------------

def read_text(flat: Path, ws: list[Widget], page_height: float) -> dict[str, str]:
    """Each text field's value as it lies in the flattened page: the upright (not mirrored, not rotated) characters
    whose middle is inside the field's box."""
    out = {}
    with pdfplumber.open(flat) as pdf:
        chars = pdf.pages[0].chars
        for w in ws:
            if w.kind != "text":
                continue
            x0, y0, x1, y1 = w.rect
            top, bottom = page_height - y1, page_height - y0
            inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                      and top <= (c["top"] + c["bottom"]) / 2 <= bottom
                      and c["matrix"][0] > 0 and c["matrix"][3] > 0 and c["matrix"][1] == 0 == c["matrix"][2]]
            inside.sort(key=lambda c: (round(c["top"]), c["x0"]))
            out[w.name] = "".join(c["text"] for c in inside)
    return out


def ticked(png: Path, ws: list[Widget], page_height: float) -> list[bool]:
    """Whether each button's box shows a mark: dark pixels in the middle half of the box."""
    from PIL import Image
    image = Image.open(png).convert("L")
    k = image.width / 612 if abs(image.width - 612 * DPI / 72) < 3 else DPI / 72
    out = []
    for w in ws:
        if w.kind == "text":
            continue
        x0, y0, x1, y1 = w.rect
        dx, dy = (x1 - x0) / 4, (y1 - y0) / 4
        box = (round((x0 + dx) * k), round((page_height - y1 + dy) * k), round((x1 - dx) * k),
               round((page_height - y0 - dy) * k))
        pixels = list(image.crop(box).get_flattened_data())
        out.append(sum(p < 128 for p in pixels) / max(len(pixels), 1) > 0.1)
    return out


@dataclass
class Result:
    kept: int
    total: int
    ticks_right: int
    boxes: int
    lost: dict[str, str] = field(default_factory=dict)


def measure(blank: Path, work: Path, texts: dict[str, str] = TEXTS) -> dict[str, Result]:
    ws = widgets(blank)
    vals = values(ws, texts)
    with pikepdf.open(blank) as pdf:
        height = float(pdf.pages[0].MediaBox[3])
    results = {}
    for engine, run in ENGINES.items():
        folder = work / engine
        folder.mkdir(parents=True, exist_ok=True)
        try:
            flat, png = run(blank, folder, ws, vals)
        except subprocess.CalledProcessError as e:
            results[engine] = Result(0, len(TEXTS), 0, 0, {"error": e.stderr.decode()[-300:]})
            continue
        got = read_text(flat, ws, height)
        want = {w.name: vals[w.name] for w in ws if w.kind == "text"}
        lost = {n: got.get(n, "") for n, v in want.items() if "".join(got.get(n, "").split()) != "".join(v.split())}
        ticks = ticked(png, ws, height)
        right = sum(t == e for t, e in zip(ticks, expected_ticks(ws, vals)))
        results[engine] = Result(len(want) - len(lost), len(want), right, len(ticks), lost)
    return results


def fax_form(root: Path, region: str = "us") -> Path:
    project = make_project(root)
    if region != "us":
        project.write("kitgen.yaml", f"base_url: https://refer.example.org/\nregion: {region}\n")
        project.write("content/practice.yaml", PRACTICE.replace('"+1 503-555-0100"', '"0161 496 0471"')
                      .replace('"+1 503-555-0101"', '"0161 496 0472"'))
    build(project.root, jobs=1)
    return project.out / "site/jane-smith/fax-referral-form.pdf"


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("pdftk") and shutil.which("pdftocairo")),
                    reason="pdftk and poppler-utils: scripts/install-test-deps.sh")
def test_every_engine_keeps_every_value_upright_in_its_box(tmp_path):
    blank = fax_form(tmp_path / "kit")
    results = measure(blank, tmp_path / "engines")
    assert {engine: (r.kept, r.total, r.ticks_right, r.boxes, r.lost) for engine, r in results.items()} == {
        engine: (18, 18, 4, 4, {}) for engine in ENGINES}


def test_every_field_has_its_whole_label_as_accessible_name(tmp_path):
    with pikepdf.open(fax_form(tmp_path / "kit")) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        names = {name: str(f.TU) for name, f in fields.items()}
        assert all(names.values()), names
        assert names["consent"].endswith("is shared with Harbor Light Therapy."), "not cut at the line's end"
        assert names["patient_dob"] == "Date of birth (MM/DD/YYYY)" and names["referral_date"] == "Date (MM/DD/YYYY)"
        urgency = fields["urgency"]
        assert names["urgency"] == "Urgency" and int(urgency.Ff) & (1 << 15), "one choice: a radio group"
        assert [str(kid.TU) for kid in urgency.Kids] == ["Routine", "Within a week", "Urgent: please also call us"]
        assert not any("/T" in kid for kid in urgency.Kids), "each button a widget of the group, not a field"
        for f in fields.values():
            for widget in f.get("/Kids", [f]):
                x0, y0, x1, y1 = (float(v) for v in widget.Rect)
                assert x0 < x1 and y0 < y1, "lower-left first"
                assert " gs" not in str(widget.get("/DA", f.get("/DA", ""))) and "/Helv" in pdf.Root.AcroForm.DR.Font


def test_a_date_field_says_the_regions_order(tmp_path):
    reader = pypdf.PdfReader(fax_form(tmp_path / "kit", "gb"))
    fields = reader.get_fields()
    assert fields["patient_dob"]["/TU"] == "Date of birth (DD/MM/YYYY)"
    assert "Date of birth (DD/MM/YYYY)" in " ".join(reader.pages[0].extract_text().split())
