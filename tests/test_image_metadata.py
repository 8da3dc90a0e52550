"""Issue 23, medium 3 and the SVG items of low: published images never carry metadata, and an SVG is cleaned and
checked against an allowlist. Each image is built into a real kit and the published file read back."""

from __future__ import annotations

import io
import struct

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, PngImagePlugin
from test_inputs import with_logo

from kitgen.commands.cli import main
from kitgen.content.images import publishable
from kitgen.content.svg import problem as svg_problem
from kitgen.pipeline.pipeline import build

HOME = "/home/ana/Clinic/headshots"  # a local path the files must not publish
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_photo(project, photo: str) -> None:
    text = (project.root / "content/practice.yaml").read_text(encoding="utf-8")
    project.write("content/practice.yaml", text.replace("    languages: [English, Spanish]",
                                                        f"    languages: [English, Spanish]\n    photo: {photo}"))


def headshot() -> bytes:
    """A phone-like JPEG: EXIF with the GPS position, the camera, the artist and the orientation (turned), an XMP
    packet and a comment naming a local path, an sRGB profile."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: shown upright, the photo is 600 wide, 800 high
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15 Pro"  # Model
    exif[0x013B] = "Ana Ruiz"  # Artist
    exif[0x8825] = {1: "N", 2: (45.0, 31.0, 12.5), 3: "W", 4: (122.0, 40.0, 3.2)}  # GPSInfo: the home
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 120, 80)).save(
        out, "JPEG", exif=exif, quality=92, icc_profile=SRGB, comment=HOME.encode(),
        xmp=f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Ana Ruiz</dc:creator>{HOME}</x:xmpmeta>'.encode())
    return out.getvalue()


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order."""
    found, at = [], 8
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        found.append(kind)
        at += 12 + size
    return found


def test_a_headshot_is_published_without_its_location_camera_artist_or_comment(project):
    """Defect 3: a clinician photo up to 1,000 px was published as it was, GPS position and all."""
    (project.root / "content/ana.jpg").write_bytes(headshot())
    with_photo(project, "ana.jpg")
    build(project.root)
    data = (project.out / "site/media/ana.jpg").read_bytes()
    with Image.open(io.BytesIO(data)) as photo:
        assert photo.size == (600, 800)  # upright: the orientation is applied, not carried
        assert dict(photo.getexif()) == {}
        assert "comment" not in photo.info and "xmp" not in photo.info
        assert photo.info["icc_profile"] == SRGB  # colours stay as designed
        assert photo.getpixel((300, 400)) == pytest.approx((200, 120, 80), abs=3)
    for secret in (b"Ana Ruiz", b"Apple", b"iPhone", HOME.encode(), b"xmpmeta"):
        assert secret not in data, secret
    for pdf in (project.out / "site/jane-smith").glob("*.pdf"):
        assert b"iPhone" not in pdf.read_bytes(), pdf.name


def test_a_png_logo_is_published_without_its_text_chunks(project):
    """Defect 3: a PNG's tEXt comment (a local path), its iTXt XMP and its eXIf were published."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"exported from {HOME}/logo.psd")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>Ana Ruiz</x:xmpmeta>")
    info.add_text("Software", "Editor 4.2", zip=True)  # zTXt
    exif = Image.Exif()
    exif[0x013B] = "Ana Ruiz"
    source = Image.new("RGBA", (400, 200), (20, 80, 200, 255))
    source.paste((0, 0, 0, 0), (0, 0, 100, 100))
    source.save(project.root / "content/logo.png", pnginfo=info, exif=exif, icc_profile=SRGB)
    with_logo(project, "logo.png")
    build(project.root, formats={"html", "code"})
    data = (project.out / "site/media/logo.png").read_bytes()
    chunks = png_chunks(data)
    assert not {b"tEXt", b"iTXt", b"zTXt", b"eXIf"} & set(chunks), chunks
    assert b"iCCP" in chunks
    assert HOME.encode() not in data and b"Ana Ruiz" not in data
    with Image.open(io.BytesIO(data)) as logo, Image.open(project.root / "content/logo.png") as original:
        assert logo.mode == original.mode and logo.tobytes() == original.tobytes()  # every pixel, alpha too


def test_a_gif_is_published_as_its_first_frame_without_its_comment(project):
    """Defect 3: GIFs were published as they were, comments (and XMP application blocks) included. kitgen now
    publishes the first frame: that is all any PDF prints, so the page matches the print."""
    frames = [Image.new("P", (120, 60), index) for index in (1, 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 200, 30, 30, 30, 30, 200] + [0] * 759)
    frames[0].save(project.root / "content/logo.gif", save_all=True, append_images=frames[1:], duration=200,
                   loop=0, comment=f"made in {HOME}".encode())
    assert HOME.encode() in (project.root / "content/logo.gif").read_bytes()
    with_logo(project, "logo.gif")
    build(project.root, formats={"html", "code"})
    data = (project.out / "site/media/logo.gif").read_bytes()
    assert HOME.encode() not in data
    with Image.open(io.BytesIO(data)) as logo:
        assert "comment" not in logo.info and getattr(logo, "n_frames", 1) == 1
        assert logo.convert("RGB").getpixel((5, 5)) == (200, 30, 30)


INKSCAPE = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<!-- saved from {HOME} -->
<svg
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:sketch="http://www.bohemiancoding.com/sketch/ns"
   xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/"
   width="64" height="64" viewBox="0 0 64 64"
   inkscape:export-filename="{HOME}/logo.png" inkscape:export-xdpi="96"
   sodipodi:docname="logo.svg" inkscape:version="1.3 (0e150ed6c4, 2023-07-21)">
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff" inkscape:zoom="4"/>
  <metadata id="metadata1"><rdf:RDF><dc:creator>Ana Ruiz</dc:creator></rdf:RDF></metadata>
  <defs><linearGradient id="teal"><stop offset="0" style="stop-color:#1f5f6b"/></linearGradient></defs>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" sketch:type="MSPage" data-name="Layer 1">
    <!-- the wave, redrawn 2024 -->
    <circle cx="32" cy="32" r="30" fill="url(#teal)"/>
    <use xlink:href="#teal"/>
    <text x="32" y="40" xml:space="preserve">R &amp; C</text>
  </g>
</svg>
"""


def test_an_svg_logo_is_published_without_comments_metadata_or_editor_attributes(project):
    """Defect 3: an SVG's comments, <metadata> and inkscape:export-filename (a local path) were published."""
    project.write("content/images/logo.svg", INKSCAPE)
    with_logo(project, "images/logo.svg")
    build(project.root, formats={"html", "code"})
    text = (project.out / "site/media/images/logo.svg").read_text(encoding="utf-8")
    for gone in ("<!--", "<?xml", "metadata", "inkscape", "sodipodi", "sketch", "rdf", "Ana Ruiz", HOME,
                 "data-name", "purl.org"):
        assert gone not in text, gone
    for kept in ('<circle cx="32" cy="32" r="30" fill="url(#teal)"/>', '<use xlink:href="#teal"/>',
                 '<text x="32" y="40" xml:space="preserve">R &amp; C</text>', 'style="stop-color:#1f5f6b"'):
        assert kept in text, kept
    assert svg_problem(text.encode()) is None  # what is published passes the check it came through
    assert publishable(text.encode(), "logo.svg") == text.encode()  # and is already clean


@pytest.mark.parametrize("inner, why", [
    ('<a href="#x"><set attributeName="href" to="javascript:alert(1)"/><rect width="9" height="9"/></a>',
     "has an animation (<set>) that changes a link (attributeName='href'); remove it (line 2 of the SVG)"),
    ('<a xlink:href="#x"><animate attributeName="xlink:href" values="#x;#y" dur="1s"/></a>',
     "has an animation (<animate>) that changes a link (attributeName='xlink:href')"),
    ('<animate attributeName="fill" values="red; javascript:alert(1)" dur="1s"/>',
     "has values='red; javascript:alert(1)', which would run a script; remove it"),
    ('<a href="javascript:alert(1)"><rect width="9" height="9"/></a>',
     "refers to 'javascript:alert(1)' outside the image; embed it or remove the reference"),
    ('<rect width="9" height="9" fill="url(https://tracker.example/p.svg#g)"/>',
     "refers to 'https://tracker.example/p.svg#g' outside the image (in its fill attribute)"),
    ('<rect width="9" height="9" filter="url( http://x.example/f.svg#blur)"/>',
     "refers to 'http://x.example/f.svg#blur' outside the image (in its filter attribute)"),
    ('<use href="sprites.svg#logo"/>', "refers to 'sprites.svg#logo' outside the image"),
    ('<filter id="f"><feImage href="https://x.example/a.png"/></filter>',
     "refers to 'https://x.example/a.png' outside the image"),
    ('<video width="9" height="9"/>', "contains a <video> element, which is not part of a drawing; remove it"),
    ('<g><script>alert(1)</script></g>', "contains a <script> element (scripts and embedded pages are refused)"),
])
def test_an_svg_that_could_run_a_script_or_load_from_outside_is_a_located_error(project, inner, why):
    """Low: <set>/<animate> to javascript: or a link, url(https://…) in presentation attributes were accepted."""
    project.write("content/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                  'xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9">\n' + inner + "\n</svg>\n")
    with_logo(project, "logo.svg")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert f"content/practice.yaml:36: logo: 'logo.svg' {why}" in result.stderr


def test_an_svg_with_an_outside_stylesheet_instruction_is_a_located_error(project):
    """Low: <?xml-stylesheet href="https://…"?> was accepted."""
    project.write("content/logo.svg", '<?xml version="1.0"?>\n<?xml-stylesheet href="https://x.example/a.css"?>\n'
                  '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>\n')
    with_logo(project, "logo.svg")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert ("content/practice.yaml:36: logo: 'logo.svg' loads a stylesheet from outside the image "
            "(<?xml-stylesheet?>); remove it (line 2 of the SVG)") in result.stderr


def test_entities_are_refused_in_any_encoding():
    """The old check looked for the bytes b"<!ENTITY", which a UTF-16 file does not contain."""
    svg = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' \
          '<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    assert svg_problem(svg.encode("utf-16")) == "declares XML entities; export it again without them"


def test_images_are_published_identically_by_two_builds(project, tmp_path):
    """Saved again by Pillow, every image is still the same bytes from one build to the next."""
    (project.root / "content/ana.jpg").write_bytes(headshot())
    with_photo(project, "ana.jpg")
    Image.linear_gradient("L").resize((1500, 500)).convert("RGB").save(project.root / "content/logo.webp",
                                                                      quality=95)
    with_logo(project, "logo.webp")
    build(project.root, tmp_path / "a", formats={"html", "code"})
    build(project.root, tmp_path / "b", formats={"html", "code"})
    for name in ("ana.jpg", "logo.webp"):
        assert (tmp_path / "a/site/media" / name).read_bytes() == (tmp_path / "b/site/media" / name).read_bytes()
    with Image.open(tmp_path / "a/site/media/logo.webp") as logo:
        assert logo.size == (1000, 333) and dict(logo.getexif()) == {}


_PIECES = st.sampled_from([
    '<rect width="4" height="4"/>', '<!-- note -->', '<metadata><x:y xmlns:x="urn:x">Ana</x:y></metadata>',
    '<g inkscape:label="L"><circle r="1"/></g>', '<use xlink:href="#a"/>', '<use href="b.svg#a"/>', "<?pi x?>",
    '<path d="M0 0" fill="url(#a)" data-name="p"/>', '<path fill="url(https://x.example/p)"/>', "<title>T</title>",
    '<set attributeName="href" to="#b"/>', '<animate attributeName="r" values="1;2"/>', "<video/>", "<script/>",
    '<text xml:space="preserve">a &amp; b</text>', "<style>rect{fill:#fff}</style>", '<a onclick="x()"/>',
    '<sodipodi:namedview/>', '<g id="a" style="fill: url(#a)"/>', '<image href="data:image/png;base64,AA"/>',
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_what_the_check_accepts_is_published_clean_and_passes_the_check_again(pieces):
    """The check and the published bytes are one function: an accepted SVG is published clean, the clean SVG
    passes the check and is published as it is; a refused one is a message, never a traceback."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
           'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd">'
           + "".join(pieces) + "</svg>").encode()
    found = svg_problem(svg)
    if found is not None:
        assert isinstance(found, str) and found
        return
    clean = publishable(svg, "logo.svg")
    assert svg_problem(clean) is None and publishable(clean, "logo.svg") == clean
    text = clean.decode()
    assert not any(gone in text for gone in ("<!--", "<?", "metadata", "inkscape", "sodipodi", "data-name"))
