"""A light landing page: WOFF2 subsets of the faces the page uses (made at build time with fontTools), a favicon
from the logo, preload hints. Read back from the built files; the page weight and Lighthouse, measured in
Chromium, are in test_browser.py for the default theme, and at the end of this file (marked browser) for each
other built-in theme, with its fonts, colours and axe."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import statistics
from urllib.parse import urlsplit

import pytest
from chromium import SETUP, chromium, missing_tools, serve
from conftest import copy_project, make_project
from fontTools.ttLib import TTFont
from htmlpage import Page
from PIL import Image
from test_browser import PAGE_BUDGET, PHONE, Visit, _axe, _describe, _lighthouse_on_a_phone

from kitgen.content.fonts import FONTS as FONT_TABLE
from kitgen.content.looks import BUILTIN_THEMES, LOOKS
from kitgen.documents import webfonts
from kitgen.pipeline.pipeline import build
from kitgen.render.themes import builtin_dir

WEB_FACES = ["Inter-Bold", "Inter-Regular", "Inter-SemiBold"]
FONTS = builtin_dir("themes", "default", "assets", "fonts")
SUBSET = {u for first, last in webfonts.PAGE_TEXT for u in range(first, last + 1)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("light") / "kit")
    build(project.root, jobs=1)
    return project


@pytest.fixture
def kit(built, tmp_path):
    return copy_project(built, tmp_path)


def _woff2(path) -> TTFont:
    return _woff2_bytes(path.read_bytes())


def _woff2_bytes(data: bytes) -> TTFont:
    assert data[:4] == b"wOF2"
    return TTFont(io.BytesIO(data))


def test_the_page_gets_woff2_subsets_of_only_the_faces_it_uses(built):
    fonts = built.out / "site/assets/fonts"
    assert sorted(p.stem for p in fonts.glob("*.woff2")) == WEB_FACES, "no italic: the page sets none"
    for face in WEB_FACES:
        woff2 = fonts / f"{face}.woff2"
        assert woff2.stat().st_size < 25_000, f"{face}: {woff2.stat().st_size} bytes"
        font, full = _woff2(woff2), TTFont(FONTS / f"{face}.otf")
        assert set(font.getBestCmap()) == SUBSET & set(full.getBestCmap()), "cut to the page set, nothing lost"
        assert "ñ" in "".join(map(chr, font.getBestCmap())) and "œ" in "".join(map(chr, font.getBestCmap()))
        names = {n.nameID: n.toUnicode() for n in font["name"].names}
        assert "Inter Project Authors" in names[0], "the copyright notice is kept (OFL.txt is copied beside)"
        assert names[1].startswith("Inter") and font["OS/2"].usWeightClass == {"Inter-Regular": 400,
                                                                       "Inter-SemiBold": 600, "Inter-Bold": 700}[face]
        assert "kern" in {r.FeatureTag for r in font["GPOS"].table.FeatureList.FeatureRecord}


def test_the_brand_stylesheet_serves_the_subsets_and_the_page_preloads_them(built):
    css = (built.out / "site/assets/brand.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{[^}]*\}", css)
    assert len(faces) == 3 and all("font-display: swap" in f and "unicode-range: U+0020-007E, U+00A0-00FF" in f
                                   for f in faces)
    assert sorted(re.findall(r'url\("fonts/([^"]+)"\) format\("woff2"\)', css)) == [f"{f}.woff2" for f in WEB_FACES]
    assert ".otf" not in css and ".otf" not in (built.out / "site/assets/site.css").read_text(encoding="utf-8")
    page = Page(built.out / "site/jane-smith/index.html")
    preloads = page.all("link", rel="preload")
    assert sorted(link.get("href") for link in preloads) == [f"../assets/fonts/{f}.woff2" for f in WEB_FACES]
    assert all(link.get("as") == "font" and link.get("type") == "font/woff2" and "crossorigin" in link.attrib
               for link in preloads)


def test_the_pdfs_keep_the_full_otf_files(built):
    state = json.loads((built.out / ".kitgen-state.json").read_text(encoding="utf-8"))["files"]
    embedded = {key for key in state["site/jane-smith/one-pager.pdf"]["made_from"] if "fonts/" in key}
    assert embedded and all(key.endswith(".otf") for key in embedded), embedded
    assert state["site/assets/fonts/Inter-Bold.woff2"]["made_from"] == ["output:site/assets/fonts/Inter-Bold.otf"]


def test_every_character_of_the_example_pages_is_in_the_subset(tmp_path):
    root = builtin_dir()
    build(root, tmp_path / "out", formats={"html", "code"})
    pages = sorted((tmp_path / "out/site").glob("*/index.html"))
    assert len(pages) >= 4
    shown = set()
    for page in pages:
        body = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8").split("<body>", 1)[1])
        shown |= {ord(c) for c in html.unescape(body) if not c.isspace()}
    shown |= {ord(c) for c in re.findall(r'content: "(.)', (tmp_path / "out/site/assets/site.css").read_text())}
    font = _woff2(tmp_path / "out/site/assets/fonts/Inter-Regular.woff2")
    assert shown - set(font.getBestCmap()) == set()


def test_a_second_build_makes_the_same_bytes(built, tmp_path):
    again = tmp_path / "again"
    build(built.root, again, formats={"code"})
    for face in WEB_FACES:
        rel = f"site/assets/fonts/{face}.woff2"
        assert (again / rel).read_bytes() == (built.out / rel).read_bytes()


def _summary(data: bytes) -> dict:
    """What a subset is, independent of how a fontTools release happens to lay its bytes out."""
    font = TTFont(io.BytesIO(data))
    layout = {tag: sorted({r.FeatureTag for r in font[tag].table.FeatureList.FeatureRecord})
              for tag in ("GSUB", "GPOS") if tag in font}
    return {"tables": sorted(font.keys()), "cmap": font.getBestCmap(), "glyphs": font.getGlyphOrder(),
            "widths": dict(font["hmtx"].metrics), "layout": layout,
            "names": sorted((n.nameID, n.toUnicode()) for n in font["name"].names)}


@pytest.mark.parametrize("face", [face for font in FONT_TABLE.values() for face in font.web_faces],
                         ids=lambda face: face.file)
def test_every_built_in_web_face_has_its_subset_made_ahead_and_it_is_the_one_fonttools_makes(face):
    """A build takes the built-in faces' subsets from kitgen/documents/woff2/ (about 1.5 s of CPU each saved):
    each must exist for the recipe as it is now, and be what fontTools makes of the face today."""
    otf = next(builtin_dir("themes").glob(f"*/assets/fonts/{face.filename}")).read_bytes()
    ahead = webfonts.MADE_AHEAD / webfonts.made_ahead_name(otf)
    assert ahead.is_file(), f"no subset of {face.filename} made ahead: run python scripts/webfont_subsets.py"
    assert webfonts.subset(otf) == ahead.read_bytes()
    assert _summary(ahead.read_bytes()) == _summary(webfonts.make_subset(otf))
    shipped = sorted(p.name for p in webfonts.MADE_AHEAD.iterdir())
    assert shipped == sorted(webfonts.built_in_faces()), "only the subsets a face needs are shipped"
    assert len(shipped) == sum(len(font.web_faces) for font in FONT_TABLE.values())


def test_a_face_with_no_subset_made_ahead_gets_one_made_by_fonttools():
    italic = (FONTS / "Inter-Italic.otf").read_bytes()  # not a web face: nothing is made ahead for it
    assert not (webfonts.MADE_AHEAD / webfonts.made_ahead_name(italic)).exists()
    made = webfonts.subset(italic)
    assert made == webfonts.make_subset(italic) and _woff2_bytes(made)["head"].macStyle & 0b10, "the italic face"


def test_a_projects_own_font_file_remakes_only_its_web_font(kit):
    (kit.root / "themes/default/assets/fonts").mkdir(parents=True)
    (kit.root / "themes/default/assets/fonts/Inter-Bold.otf").write_bytes((FONTS / "Inter-SemiBold.otf").read_bytes())
    written = set(build(kit.root, jobs=1).written)
    assert {"site/assets/fonts/Inter-Bold.otf", "site/assets/fonts/Inter-Bold.woff2"} <= written
    assert not {"site/assets/fonts/Inter-Regular.woff2", "site/assets/fonts/Inter-SemiBold.woff2"} & written
    assert _woff2(kit.out / "site/assets/fonts/Inter-Bold.woff2")["OS/2"].usWeightClass == 600


# --- the favicon -------------------------------------------------------------------------------------------------

def _icons(project) -> list[dict]:
    return [dict(link.attrib) for link in Page(project.out / "site/jane-smith/index.html").all("link", rel="icon")]


def _logo(kit, name: str, data: bytes) -> None:
    (kit.root / "content/images").mkdir(parents=True, exist_ok=True)
    (kit.root / "content/images" / name).write_bytes(data)
    practice = (kit.root / "content/practice.yaml").read_text(encoding="utf-8")
    practice = re.sub(r"(?m)^logo: .*\n", "", practice)
    kit.write("content/practice.yaml", practice + f"logo: images/{name}\n")


def _png(width: int, height: int, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def test_no_logo_no_icon(built):
    assert _icons(built) == []
    assert not list((built.out / "site/assets").glob("favicon*"))


def test_an_svg_logo_is_the_icon_as_it_is(kit):
    _logo(kit, "logo.svg", builtin_dir("content", "images", "logo.svg").read_bytes())
    build(kit.root, jobs=1)
    assert _icons(kit) == [{"rel": "icon", "href": "../media/images/logo.svg", "type": "image/svg+xml"}]
    assert not list((kit.out / "site/assets").glob("favicon*"))


def test_a_raster_logo_becomes_a_48px_png_that_follows_the_logo(kit):
    _logo(kit, "logo.png", _png(400, 300))
    build(kit.root, jobs=1)
    assert _icons(kit) == [{"rel": "icon", "href": "../assets/favicon.png", "type": "image/png"}]
    with Image.open(kit.out / "site/assets/favicon.png") as icon:
        assert icon.format == "PNG" and icon.size == (48, 48) and icon.mode == "RGBA"
        assert icon.getpixel((24, 2))[3] == 0, "a wide logo is centred in a transparent square"
        assert icon.getpixel((24, 24)) == (200, 30, 30, 255)
    (kit.root / "content/images/logo.png").write_bytes(_png(300, 300, (20, 80, 200)))
    assert "site/assets/favicon.png" in build(kit.root, jobs=1).written, "a new logo makes a new icon"
    with Image.open(kit.out / "site/assets/favicon.png") as icon:
        assert icon.getpixel((24, 2)) == (20, 80, 200, 255)
    _logo(kit, "logo.svg", builtin_dir("content", "images", "logo.svg").read_bytes())
    assert "site/assets/favicon.png" in build(kit.root, jobs=1).removed, "an SVG logo needs no PNG"


# --- the built-in themes in Chromium: fonts, colours, axe, weight and Lighthouse per theme ----------------------

THEMES = [t for t in BUILTIN_THEMES if t != "default"]
THEME_FACES = {"warm": ["Inter-Regular.woff2", "Inter-SemiBold.woff2", "Vollkorn-SemiBold.woff2"],
               "quiet": ["Inter-Regular.woff2", "Inter-SemiBold.woff2"]}
THEME_FONTS = {"warm": ("Vollkorn, Georgia, serif", ["Inter 400", "Inter 600", "Vollkorn 600"]),
               "quiet": ("Inter, system-ui, sans-serif", ["Inter 400", "Inter 600"])}
SLUG = "jane-smith"


def _rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture(scope="module")
def browser():
    if missing := missing_tools(java=False):
        pytest.fail(f"the browser tests need {', '.join(missing)}: {SETUP}", pytrace=False)
    with chromium() as b:
        yield b


@pytest.fixture(scope="module", params=THEMES)
def themed_site(request, tmp_path_factory):
    """(theme, URL of) the example kit's pages built in the theme, without the kit's brand: (its own colours)."""
    root = tmp_path_factory.mktemp(f"site-{request.param}")
    shutil.copytree(builtin_dir("content"), root / "content")
    config = re.sub(r"(?m)^(theme:.*|brand:.*(\n[ #].*)*)\n", "", builtin_dir("kitgen.yaml").read_text())
    (root / "kitgen.yaml").write_text(config + f"theme: {request.param}\n", encoding="utf-8")
    build(root, root / "out", formats={"html", "code"})
    with serve(root / "out" / "site") as url:
        yield request.param, url


@pytest.mark.browser
def test_a_themes_page_is_light_set_in_its_fonts_and_colours_and_passes_axe(browser, themed_site):
    theme, url = themed_site
    v = Visit(browser, url, SLUG, **PHONE)
    try:
        assert v.errors == [] and v.outside == []
        loaded = {urlsplit(r.url).path.rsplit("/", 1)[-1] or "index.html": len(r.body()) for r in v.responses}
        total = sum(loaded.values())
        print(theme, total, loaded)
        assert total <= PAGE_BUDGET, f"{total} bytes: {loaded}"
        assert sorted(n for n in loaded if n.endswith((".woff2", ".otf", ".ttf", ".woff"))) == THEME_FACES[theme]
        used = v.js("""async () => { await document.fonts.ready; return [...document.fonts]
            .filter(f => f.status === 'loaded').map(f => f.family.replaceAll('"', '') + ' ' + f.weight).sort(); }""")
        heading_font, faces = THEME_FONTS[theme]
        assert used == faces, "the page renders in the subsets it downloads, and no other"
        style = v.js("""() => { const s = e => getComputedStyle(document.querySelector(e)); return {
            headings: [...new Set([...document.querySelectorAll('h1, h2, h3')].map(h => getComputedStyle(h).color))],
            headingFont: s('h1').fontFamily, h2Font: s('h2').fontFamily, body: s('body').fontFamily,
            masthead: s('.masthead').backgroundColor, button: s('.button.primary').backgroundColor}; }""")
        primary = _rgb(LOOKS[theme].primary)
        assert style == {"headings": [primary], "headingFont": heading_font, "h2Font": heading_font,
                         "body": "Inter, system-ui, sans-serif",
                         "masthead": primary if theme == "warm" else "rgb(255, 255, 255)", "button": primary}
        results = _axe(v)
        assert results["violations"] == [], _describe(results["violations"])
    finally:
        v.context.close()


@pytest.mark.browser
def test_a_themes_page_scores_lighthouse_performance_095_and_accessibility_1(themed_site):
    """As test_browser.py's test for the default theme: one run, or the median of three when the first scores
    below 0.95, at phone size."""
    theme, url = themed_site
    performance = _lighthouse_on_a_phone(f"{url}{SLUG}/", url, theme)
    assert statistics.median(performance) >= 0.95, performance
