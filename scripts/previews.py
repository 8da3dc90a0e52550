"""Every picture in the README, from one command: PNG previews of each PDF in the example kit (one-pager, card
sheet fronts and backs, patient leaflet, handout, fax form, intro letter, thank-you cards, and the Spanish card
sheets and leaflet; first pages), built fresh into a temporary folder and rasterised with pypdfium2 as a reader
would see them, then the phone screenshot of a landing page (scripts/screenshots.py, in Debian's Chromium; skip
it with --no-screenshot).

usage: python scripts/previews.py [--partner SLUG] [--dpi 100] [--out docs/images] [--no-screenshot]

Files are palette PNGs (64 colours): small enough to keep in git, sharp enough to read the text.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kitgen.build.pipeline import build  # noqa: E402
from kitgen.content.load import load_kit  # noqa: E402

# preview name: (area, PDF in the partner's folder there, page index)
PREVIEWS = {"one-pager": ("site", "one-pager.pdf", 0), "cards": ("site", "cards.pdf", 0),
            "cards-back": ("site", "cards.pdf", 1), "patient-leaflet": ("site", "patient-leaflet.pdf", 0),
            "handout": ("site", "lunch-and-learn.pdf", 0), "fax-form": ("site", "fax-referral-form.pdf", 0),
            "intro-letter": ("desk", "intro-letter.pdf", 0), "thank-you": ("desk", "thank-you-cards.pdf", 0),
            # the patient pieces in Spanish (kitgen.yaml patient_languages); skipped for a kit without them
            "cards-es": ("site", "cards-es.pdf", 0), "cards-back-es": ("site", "cards-es.pdf", 1),
            "patient-leaflet-es": ("site", "patient-leaflet-es.pdf", 0)}


def rasterise(pdf: Path, page: int, dpi: int) -> Image.Image:
    """One page as a 64-colour image on white: text stays crisp, the file stays small."""
    image = pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72).to_pil().convert("RGB")
    return image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--project", type=Path, default=REPO, help="kit project (default: the example kit here)")
    ap.add_argument("--partner", default="jane-smith", help="whose kit to show (default: jane-smith)")
    ap.add_argument("--dpi", type=int, default=100)
    ap.add_argument("--out", type=Path, default=REPO / "docs/images")
    ap.add_argument("--no-screenshot", action="store_true", help="only the PDF previews, not the phone screenshot")
    a = ap.parse_args()
    kit, _ = load_kit(a.project)
    partner = next((p for p in kit.partners if p.slug == a.partner), None)
    if partner is None:
        print(f"previews: no partner '{a.partner}' in {a.project}", file=sys.stderr)
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        build(a.project, Path(tmp) / "output", partners=[partner.slug], jobs=1)
        folders = {"site": Path(tmp) / "output/site" / kit.page_path(partner),
                   "desk": Path(tmp) / "output/desk" / partner.slug}
        for name, (area, pdf, page) in PREVIEWS.items():
            if not (folders[area] / pdf).is_file():
                continue
            target = a.out / f"{name}.png"
            rasterise(folders[area] / pdf, page, a.dpi).save(target, optimize=True)
            print(f"{target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}: "
                  f"{target.stat().st_size // 1024} KB")
    if a.no_screenshot:
        return 0
    return subprocess.run([sys.executable, str(REPO / "scripts/screenshots.py"), "--slug", partner.slug,
                           "--out", str(a.out / "landing-phone.png")]).returncode


if __name__ == "__main__":
    sys.exit(main())
