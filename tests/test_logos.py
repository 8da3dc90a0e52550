"""Logos of any shape keep their proportions on every piece: a 3:1 and a 1:3 logo, as SVG and as PNG, measured
where they are placed, in the PDFs (pdfplumber: a raster's image box, an SVG's magenta rectangle drawn as vector)
and on the page (Chromium's getBoundingClientRect), each within the box its piece gives a logo."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from conftest import PRACTICE, make_project

from kitgen.pipeline.pipeline import build

MM = 72 / 25.4
MAGENTA = (1.0, 0.0, 1.0)
# piece: (file under the output folder, the logo's box in mm as the piece's stylesheet sets it: width, height)
PIECES = {
    "one_pager": ("site/jane-smith/one-pager.pdf", (40, 14)),
    "cards": ("site/jane-smith/cards.pdf", (30, 9)),
    "patient_leaflet": ("site/jane-smith/patient-leaflet.pdf", (40, 14)),
    "intro_letter": ("desk/jane-smith/intro-letter.pdf", (45, 15)),
    "thank_you": ("desk/jane-smith/thank-you-cards.pdf", (30, 10)),
}
SHAPES = {"wide": (300, 100), "tall": (100, 300)}


def logo_file(shape: str, kind: str) -> bytes:
    """A logo of `shape` that is one flat magenta rectangle, so its placed size is easy to find."""
    w, h = SHAPES[shape]
    if kind == "svg":
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">'
                f'<rect width="{w}" height="{h}" fill="#ff00ff"/></svg>').encode()
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (w, h), (255, 0, 255)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module", params=[(s, k) for s in SHAPES for k in ("svg", "png")], ids=lambda p: "-".join(p))
def kit(request, tmp_path_factory):
    shape, kind = request.param
    project = make_project(tmp_path_factory.mktemp(f"logo-{shape}-{kind}") / "kit")
    (project.root / "content/images").mkdir(parents=True)
    (project.root / f"content/images/logo.{kind}").write_bytes(logo_file(shape, kind))
    project.write("content/practice.yaml", PRACTICE.replace("contact:", f"logo: images/logo.{kind}\ncontact:", 1))
    build(project.root, jobs=2)
    return project, shape, kind


def placed_logos(path, kind: str) -> list[tuple[float, float]]:
    """(width, height) in mm of every logo placed in the PDF, page by page."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if kind == "png":
                boxes = [i for i in page.images if tuple(i["srcsize"]) in SHAPES.values()]
            else:
                boxes = [r for r in page.rects if tuple(r.get("non_stroking_color") or ()) == MAGENTA]
            found += [((b["x1"] - b["x0"]) / MM, (b["bottom"] - b["top"]) / MM) for b in boxes]
    return found


@pytest.mark.parametrize("piece", list(PIECES))
def test_every_printed_logo_keeps_its_proportions_within_its_box(kit, piece):
    project, shape, kind = kit
    rel, (box_w, box_h) = PIECES[piece]
    logos = placed_logos(project.out / rel, kind)
    assert logos, f"no logo on the {piece}"
    w0, h0 = SHAPES[shape]
    for w, h in logos:
        assert w / h == pytest.approx(w0 / h0, rel=0.02), f"{piece}: {w:.2f} x {h:.2f} mm"
        assert w <= box_w + 0.05 and h <= box_h + 0.05, f"{piece}: {w:.2f} x {h:.2f} mm outside {box_w} x {box_h}"
        assert max(w / box_w, h / box_h) == pytest.approx(1, abs=0.01), "as large as its box allows"


@pytest.mark.browser
def test_the_page_masthead_keeps_the_logos_proportions(kit):
    from chromium import SETUP, chromium, missing_tools, serve
    if missing := missing_tools():
        pytest.fail(f"the browser tests need {', '.join(missing)}: {SETUP}", pytrace=False)
    project, shape, _ = kit
    with serve(project.out / "site") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "jane-smith/")
        page.wait_for_function("document.querySelector('.brand .logo').complete")
        box = page.evaluate("""() => {
            const img = document.querySelector('.brand .logo'), s = getComputedStyle(img);
            const r = img.getBoundingClientRect(), px = (v) => parseFloat(v);
            return [r.width - px(s.paddingLeft) - px(s.paddingRight), r.height - px(s.paddingTop) - px(s.paddingBottom)];
        }""")
    w0, h0 = SHAPES[shape]
    assert box[0] / box[1] == pytest.approx(w0 / h0, rel=0.02), box
