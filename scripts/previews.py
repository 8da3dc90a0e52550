"""Every picture in the README, from one command: PNG previews of each PDF in the example kit (one-pager, card
sheet fronts and backs, patient leaflet, handout, fax form, intro letter, thank-you cards, and the Spanish card
sheets and leaflet; first pages), built fresh into a temporary folder and rasterised with pypdfium2 as a reader
would see them; the cards as a print shop gets them (the kit built again with card_stock: printshop-us and
crop_marks: true, the whole page with its bleed); then the phone screenshot of a landing page
(scripts/screenshots.py, in Debian's Chromium; skip it with --no-screenshot).

usage: python scripts/previews.py [--partner SLUG] [--dpi 100] [--out docs/images] [--no-screenshot]
       python scripts/previews.py --theme warm   (docs/theming.md's side by side: theme-warm-landing.png,
                                                  theme-warm-one-pager.png, theme-warm-cards.png)

With --theme, the example kit is built with that theme and without its brand: colours, so the theme's own
defaults show; only the landing page, the one-pager and the card fronts are made.

Files are palette PNGs (64 colours): small enough to keep in git, sharp enough to read the text.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kitgen.content.load import load_kit  # noqa: E402
from kitgen.pipeline.pipeline import build  # noqa: E402

# preview name: (area, PDF in the partner's folder there, page index)
PREVIEWS = {"one-pager": ("site", "one-pager.pdf", 0), "cards": ("site", "cards.pdf", 0),
            "cards-back": ("site", "cards.pdf", 1), "patient-leaflet": ("site", "patient-leaflet.pdf", 0),
            "handout": ("site", "lunch-and-learn.pdf", 0), "fax-form": ("site", "fax-referral-form.pdf", 0),
            "intro-letter": ("desk", "intro-letter.pdf", 0), "thank-you": ("desk", "thank-you-cards.pdf", 0),
            "report-back": ("desk", "report-back.pdf", 0),
            # the patient pieces in Spanish (kitgen.yaml patient_languages); skipped for a kit without them
            "cards-es": ("site", "cards-es.pdf", 0), "cards-back-es": ("site", "cards-es.pdf", 1),
            "patient-leaflet-es": ("site", "patient-leaflet-es.pdf", 0)}
# the print shop's cards (docs/printing.md): preview name -> page of cards.pdf
PRINT_SHOP = {"cards-printshop": 0, "cards-printshop-back": 1}


THEMED = ("one-pager", "cards")  # with --theme: these, and the landing page


def kit_copy(project: Path, into: Path, **settings: str | None) -> Path:
    """A copy of `project` (kitgen.yaml, content/, its own themes/) in `into` whose kitgen.yaml has each of
    `settings` set (a key's line or indented block replaced; None: left out)."""
    into.mkdir(parents=True)
    shutil.copytree(project / "content", into / "content")
    if (project / "themes").is_dir():
        shutil.copytree(project / "themes", into / "themes")
    config = (project / "kitgen.yaml").read_text(encoding="utf-8")
    for key, value in settings.items():
        config = re.sub(rf"(?m)^{key}:.*\n(?:[ \t]+.*\n)*", "", config)
        config += f"{key}: {value}\n" if value is not None else ""
    (into / "kitgen.yaml").write_text(config, encoding="utf-8")
    return into


def saved(image: Image.Image, target: Path) -> None:
    image.save(target, optimize=True)
    shown = target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
    print(f"{shown}: {target.stat().st_size // 1024} KB")


def rasterise(pdf: Path, page: int, dpi: int) -> Image.Image:
    """One page as a 64-colour image on white: text stays crisp, the file stays small."""
    image = pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72).to_pil().convert("RGB")
    return image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def one_card(pdf: Path, stock: Any, dpi: int) -> Image.Image:
    """The sheet's first card front, with 2 mm of paper around it."""
    image = pdfium.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil().convert("RGB")
    x, y = stock.cells()[0]
    box = [round((v - 2) / 25.4 * dpi) for v in (x, y)] + [round((v + 2) / 25.4 * dpi)
                                                           for v in (x + stock.card_w, y + stock.card_h)]
    image = image.crop(tuple(box))
    edge = round(2 / 25.4 * dpi)  # the card's trim, drawn as a hairline so the white card shows on the white page
    ImageDraw.Draw(image).rectangle((edge, edge, image.width - edge - 1, image.height - edge - 1), outline="#b8b8b8")
    return image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--project", type=Path, default=REPO, help="kit project (default: the example kit here)")
    ap.add_argument("--partner", default="jane-smith", help="whose kit to show (default: jane-smith)")
    ap.add_argument("--dpi", type=int, default=100)
    ap.add_argument("--out", type=Path, default=REPO / "docs/images")
    ap.add_argument("--no-screenshot", action="store_true", help="only the PDF previews, not the phone screenshot")
    ap.add_argument("--theme", help="preview this theme with its own colours (theme-<name>-*.png)")
    a = ap.parse_args()
    if a.theme:
        with tempfile.TemporaryDirectory() as tmp:
            themed = kit_copy(a.project, Path(tmp) / "kit", theme=a.theme, brand=None)  # the theme's own colours
            return previews(themed, a, f"theme-{a.theme}-", THEMED)
    return previews(a.project, a, "", tuple(PREVIEWS))


def previews(project: Path, a: argparse.Namespace, prefix: str, names: tuple[str, ...]) -> int:
    """The PNGs of `names` (and the phone screenshot, named `prefix`landing...) for `project`."""
    kit, _ = load_kit(project)
    partner = next((p for p in kit.partners if p.slug == a.partner), None)
    if partner is None:
        print(f"previews: no partner '{a.partner}' in {project}", file=sys.stderr)
        return 2
    a.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        build(project, Path(tmp) / "output", partners=[partner.slug], jobs=1)
        folders = {"site": Path(tmp) / "output/site" / kit.page_path(partner),
                   "desk": Path(tmp) / "output/desk" / partner.slug}
        for name in names:
            area, pdf, page = PREVIEWS[name]
            if not (folders[area] / pdf).is_file():  # the Spanish pieces of a kit without them
                continue
            if prefix and name == "cards":  # side by side in docs/theming.md: one card, large enough to read
                saved(one_card(folders[area] / pdf, kit.config.stock, a.dpi * 2), a.out / f"{prefix}{name}.png")
            else:
                saved(rasterise(folders[area] / pdf, page, a.dpi), a.out / f"{prefix}{name}.png")
        if not prefix:  # the print shop's cards, in the default look only (docs/printing.md)
            shop = kit_copy(project, Path(tmp) / "print-shop", card_stock="printshop-us", crop_marks="true")
            build(shop, shop / "output", partners=[partner.slug], jobs=1)
            for name, page in PRINT_SHOP.items():
                pdf = shop / "output/site" / kit.page_path(partner) / "cards.pdf"
                saved(rasterise(pdf, page, a.dpi * 2), a.out / f"{name}.png")
    if a.no_screenshot:
        return 0
    landing = a.out / (f"{prefix}landing.png" if prefix else "landing-phone.png")
    return subprocess.run([sys.executable, str(REPO / "scripts/screenshots.py"), "--slug", partner.slug,
                           "--project", str(project), "--out", str(landing)]).returncode


if __name__ == "__main__":
    sys.exit(main())
