"""Files a kit reads besides its YAML text: partner files in any case of .yaml/.yml, links leading out of the
project, and images (size, pixels, decoding, SVG scripts and outside references)."""

from __future__ import annotations

import os
import random

import pytest
from click.testing import CliRunner
from conftest import PARTNER
from PIL import Image
from test_build import SECOND
from test_validation import fails

from kitgen.commands.cli import main
from kitgen.content.svg import problem as svg_problem
from kitgen.pipeline.pipeline import build

CODE = {"html", "code"}


def with_logo(project, logo: str) -> None:
    text = (project.root / "content/practice.yaml").read_text(encoding="utf-8")
    project.write("content/practice.yaml", text + f"logo: {logo}\n")  # line 36 of the fixture practice


# --- defect 7: partner files -------------------------------------------------------------------------------------

def test_a_partner_file_in_capitals_is_a_partner(project):
    """Defect 7: jane-smith.YAML was ignored silently, and her published pages deleted."""
    build(project.root, formats=CODE)
    (project.root / "content/partners/jane-smith.yaml").rename(project.root / "content/partners/jane-smith.YAML")
    project.write("content/partners/omar-haddad.Yml", SECOND)
    result = build(project.root, formats=CODE)
    assert result.removed == []
    assert (project.out / "site/jane-smith/index.html").is_file()
    assert (project.out / "site/omar-haddad/index.html").is_file()


def test_new_partner_sees_a_file_in_capitals(project):
    (project.root / "content/partners/jane-smith.yaml").rename(project.root / "content/partners/jane-smith.YAML")
    result = CliRunner().invoke(main, ["new", "partner", "Jane Smith", "--specialty", "ob-gyn", "--project",
                                       str(project.root)])
    assert result.exit_code == 1
    assert "content/partners/jane-smith.YAML: file: already exists" in result.stderr


def test_a_partner_file_linked_from_outside_the_project_is_refused_unread(project, tmp_path):
    """Defect 7: a link to /etc/shadow was followed and its lines printed as warnings."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("root: $6$hash-of-a-password\n" + PARTNER, encoding="utf-8")
    (project.root / "content/partners/eve.yaml").symlink_to(secret)
    fails(project, "content/partners/eve.yaml: file: is a link to a file outside content/; kitgen reads only the "
                   "project's own files: copy the file here instead")


def test_a_partner_file_linked_inside_content_is_read(project):
    (project.root / "content/shared").mkdir()
    (project.root / "content/shared/omar.yaml").write_text(SECOND, encoding="utf-8")
    (project.root / "content/partners/omar-haddad.yaml").symlink_to("../shared/omar.yaml")
    build(project.root, formats=CODE)
    assert (project.out / "site/omar-haddad/index.html").is_file()


def test_a_talk_linked_from_outside_the_project_is_refused(project, tmp_path):
    (tmp_path / "talk.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (project.root / "content/talks/outside.md").symlink_to(tmp_path / "talk.md")
    fails(project, "content/talks/outside.md: file: is a link to a file outside content/; kitgen reads only the "
                   "project's own files: copy the file here instead")


# --- defect 9: images --------------------------------------------------------------------------------------------

def test_a_logo_over_2_mb_is_refused(project):
    """Defect 9: a 40 MB PNG logo was copied into every PDF (41 MB each) and the page."""
    noise = random.Random(7).randbytes(1200 * 1200 * 3)
    Image.frombytes("RGB", (1200, 1200), noise).save(project.root / "content/logo.png")
    size = (project.root / "content/logo.png").stat().st_size
    assert size > 2 * 1024 * 1024
    with_logo(project, "logo.png")
    fails(project, f"content/practice.yaml:36: logo: 'logo.png' is {size / 1_000_000:.1f} MB; the limit is 2 MB: "
                   "export it smaller (kitgen publishes at most 1,000 pixels on the long side)")


def test_a_logo_over_4000_pixels_is_refused(project):
    Image.new("1", (4001, 20)).save(project.root / "content/logo.png")
    with_logo(project, "logo.png")
    fails(project, "content/practice.yaml:36: logo: 'logo.png' is 4001×20 pixels; the limit is 4,000 on either "
                   "side: scale it down")


@pytest.mark.parametrize("name, data", [
    ("logo.png", b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10),
    ("logo.jpg", b"<html>a web page saved as .jpg</html>"),
])
def test_an_image_that_does_not_decode_is_refused(project, name, data):
    """Defect 9: a corrupt image silently printed its alt text."""
    (project.root / "content" / name).write_bytes(data)
    with_logo(project, name)
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert f"content/practice.yaml:36: logo: '{name}' cannot be read as an image (" in result.stderr
    assert "export it again as PNG or JPEG" in result.stderr


def test_a_truncated_png_is_refused(project):
    Image.new("RGB", (300, 300), "navy").save(project.root / "content/logo.png")
    data = (project.root / "content/logo.png").read_bytes()
    (project.root / "content/logo.png").write_bytes(data[: len(data) // 2])
    with_logo(project, "logo.png")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1 and "'logo.png' cannot be read as an image" in result.stderr


SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{}</svg>'


@pytest.mark.parametrize("inner, why", [
    ("<script>fetch('/__kitgen/desk/')</script>", "contains a <script> element (scripts and embedded pages are "
                                                  "refused); remove it"),
    ('<rect width="10" height="10" onclick="alert(1)"/>', "has an event handler (onclick=…) that would run a script"),
    ('<image href="https://tracker.example/p.png" width="10" height="10"/>',
     "refers to 'https://tracker.example/p.png' outside the image; embed it or remove the reference"),
    ('<image xlink:href="../../secret.png" width="10" height="10"/>', "refers to '../../secret.png' outside the image"),
    ('<rect width="10" height="10" style="fill: url(https://x.example/f.svg#g)"/>',
     "refers to 'https://x.example/f.svg#g' outside the image (in its style)"),
    ("<style>@import url(https://x.example/a.css);</style>", "imports a stylesheet from outside the image"),
    ("<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>hi</div></foreignObject>",
     "contains a <foreignObject> element"),
])
def test_an_svg_with_a_script_or_an_outside_reference_is_refused(project, inner, why):
    """Defect 9: an SVG with an external reference printed its alt text; one with <script> was published as is."""
    (project.root / "content/logo.svg").write_text(SVG.format(inner), encoding="utf-8")
    with_logo(project, "logo.svg")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert f"content/practice.yaml:36: logo: 'logo.svg' {why}" in result.stderr


def test_an_ordinary_svg_with_internal_references_and_embedded_pixels_passes():
    inner = ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
             '<rect width="10" height="10" style="fill: url(#g)"/><use href="#g"/>'
             '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>')
    doctype = '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' \
              '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    assert svg_problem((doctype + SVG.format(inner)).encode()) is None
    assert svg_problem(b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>') == \
        "declares XML entities; export it again without them"


def test_a_clinician_photo_is_checked_like_the_logo(project):
    (project.root / "content/ana.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    text = (project.root / "content/practice.yaml").read_text(encoding="utf-8")
    project.write("content/practice.yaml", text.replace("    languages: [English, Spanish]",
                                                        "    languages: [English, Spanish]\n    photo: ana.jpg"))
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1 and "clinicians[0].photo: 'ana.jpg' cannot be read as an image" in result.stderr


def test_a_good_png_logo_is_published(project):
    Image.new("RGB", (400, 400), "navy").save(project.root / "content/logo.png")
    with_logo(project, "logo.png")
    build(project.root, formats=CODE)
    assert _pixels(project.out / "site/media/logo.png") == _pixels(project.root / "content/logo.png")
    assert os.path.getsize(project.out / "site/media/logo.png") < 2 * 1024 * 1024


# --- images are published scaled down -------------------------------------------------------------------------------

@pytest.mark.pdf
def test_a_large_logo_and_photo_are_published_scaled_down_upright_and_without_their_metadata(project, tmp_path):
    """What kitgen publishes of a raster image is a copy at most 1,000 px on its long side: every PDF embeds that
    copy and the page loads it. A phone photo is turned upright as its camera recorded, and its location is not
    published. The copy is made again when the image changes, and never otherwise."""
    import io

    import pdfplumber

    Image.linear_gradient("L").resize((3000, 1000)).convert("RGB").save(project.root / "content/logo.png")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; shown upright, the photo is 2000 wide, 3000 high
    exif[0x8825] = {1: "N", 2: (45.0, 31.0, 0.0)}  # GPSInfo: a latitude
    Image.new("RGB", (3000, 2000), (200, 120, 80)).save(project.root / "content/ana.jpg", exif=exif, quality=95)
    text = (project.root / "content/practice.yaml").read_text(encoding="utf-8")
    project.write("content/practice.yaml", text.replace("    languages: [English, Spanish]",
                                                        "    languages: [English, Spanish]\n    photo: ana.jpg")
                  + "logo: logo.png\n")
    build(project.root)

    with Image.open(project.out / "site/media/logo.png") as logo:
        assert logo.size == (1000, 333)
    with Image.open(project.out / "site/media/ana.jpg") as photo:
        assert photo.size == (667, 1000)  # upright
        assert dict(photo.getexif()) == {}  # neither the orientation (applied) nor the location
    assert (project.root / "content/logo.png").stat().st_size > 3 * (project.out / "site/media/logo.png").stat().st_size
    for pdf in ("one-pager.pdf", "cards.pdf", "patient-leaflet.pdf"):
        with pdfplumber.open(project.out / "site/jane-smith" / pdf) as document:
            sizes = {tuple(i["srcsize"]) for page in document.pages for i in page.images}
        assert (1000, 333) in sizes and (3000, 1000) not in sizes, pdf
    assert 'src="../media/ana.jpg"' in (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")

    again = build(project.root)
    assert again.written == []
    Image.new("RGB", (1200, 600), (10, 90, 90)).save(project.root / "content/logo.png")
    changed = build(project.root)
    assert "site/media/logo.png" in changed.written and "site/media/ana.jpg" not in changed.written
    assert "site/jane-smith/one-pager.pdf" in changed.written
    with Image.open(io.BytesIO((project.out / "site/media/logo.png").read_bytes())) as logo:
        assert logo.size == (1000, 500)


def test_a_small_raster_logo_is_published_with_its_pixels_as_they_are(project):
    Image.new("RGB", (600, 200), (10, 90, 90)).save(project.root / "content/logo.png")
    with_logo(project, "logo.png")
    build(project.root, formats=CODE)
    assert _pixels(project.out / "site/media/logo.png") == _pixels(project.root / "content/logo.png")


def _pixels(path) -> tuple:
    with Image.open(path) as image:
        return image.mode, image.size, image.tobytes()
