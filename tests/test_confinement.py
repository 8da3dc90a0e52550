"""kitgen writes and deletes only inside its output folder, whatever the content, the state file or the output
folder itself (a symbolic link, the user's links and read-only folders in it) look like."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_project
from htmlpage import Page

from kitgen.commands.cli import main
from kitgen.pipeline.output import read_state, safe_rel
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError

LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'


def tree(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every file and link under `folder` (except under `skip`): content hash, or where the link points."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = "-> " + os.readlink(path)
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def with_logo(project, logo: str) -> None:
    text = (project.root / "content/practice.yaml").read_text(encoding="utf-8")
    project.write("content/practice.yaml", f"logo: {logo!r}\n" + text)


def leftovers(*folders: Path) -> list[str]:
    return [p.name for folder in folders for p in folder.iterdir() if "kitgen-" in p.name]


@pytest.mark.parametrize("rel, ok", [
    ("site/a/index.html", True), ("manifest.json", True), ("../x", False), ("site/../../x", False),
    ("/etc/passwd", False), ("site//x", False), ("site/./x", False), ("", False), ("site\\..\\x", False),
    ("site/x/", False), ("a\0b", False), (7, False),
])
def test_safe_rel_accepts_only_plain_relative_paths(rel, ok):
    assert (safe_rel(rel) is not None) == ok


def test_a_logo_path_through_dotdot_is_published_by_its_place_in_content_and_never_deleted(tmp_path):
    """Defect 1: media/<path as written> wrote outside output/ (over the content file itself), and after the path
    was fixed the next build deleted content/images/logo.svg."""
    project = make_project(tmp_path / "p" / "kit")
    project.write("content/images/logo.svg", LOGO)
    with_logo(project, "../../../p/kit/content/images/logo.svg")  # resolves to content/images/logo.svg
    out = tmp_path / "out"  # out/site/media/../../.. is tmp_path, where the written path leads to the content file
    before = tree(tmp_path, skip=out)
    build(project.root, out, jobs=1)
    assert tree(tmp_path, skip=out) == before, "nothing outside the output folder changed"
    assert (out / "site/media/images/logo.svg").read_text(encoding="utf-8") == LOGO
    assert Page(out / "site/jane-smith/index.html").one("img", class_="logo").get("src") == \
        "../media/images/logo.svg"
    text = (project.root / "content/practice.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    project.write("content/practice.yaml", "logo: images/logo.svg\n" + text)
    build(project.root, out, jobs=1)
    assert (project.root / "content/images/logo.svg").read_text(encoding="utf-8") == LOGO
    assert tree(tmp_path, skip=out) == {**before, "p/kit/content/practice.yaml":
                                        tree(project.root)["content/practice.yaml"]}


def test_an_absolute_logo_path_into_content_publishes_no_local_path(project):
    project.write("content/images/logo.svg", LOGO)
    with_logo(project, str((project.root / "content/images/logo.svg").resolve()))
    build(project.root, formats={"html", "code"})
    media = sorted(p.relative_to(project.out / "site/media").as_posix()
                   for p in (project.out / "site/media").rglob("*") if p.is_file())
    assert media == ["images/logo.svg"]
    page = (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert 'src="../media/images/logo.svg"' in page and str(project.root) not in page


def test_a_logo_through_a_linked_folder_is_published_under_the_real_path(project):
    project.write("content/images/logo.svg", LOGO)
    (project.root / "content/brand").symlink_to("images")
    with_logo(project, "brand/logo.svg")
    build(project.root, formats={"html", "code"})
    assert (project.out / "site/media/images/logo.svg").is_file()
    assert not (project.out / "site/media/brand").exists()


def test_a_logo_linked_outside_content_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "logo.svg").write_text(LOGO, encoding="utf-8")
    (project.root / "content/images").mkdir(parents=True)
    (project.root / "content/images/shared").symlink_to(elsewhere)
    with_logo(project, "images/shared/logo.svg")
    with pytest.raises(ContentError) as err:
        build(project.root, formats={"html", "code"})
    assert "content/practice.yaml:1: logo: 'images/shared/logo.svg' points outside content/" in str(err.value)
    assert not project.out.exists()


def test_a_crafted_state_file_never_deletes_outside_the_output(project, tmp_path):
    """Defect 1: an entry "../../precious.txt" in .kitgen-state.json made the next build delete that file."""
    build(project.root, formats={"html", "code"})
    precious = tmp_path / "precious.txt"  # project.root is tmp_path/kit; the staging folder sits beside output/
    precious.write_text("mine\n", encoding="utf-8")
    (project.root / "mine.txt").write_text("mine\n", encoding="utf-8")
    state_file = project.out / ".kitgen-state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    record = next(iter(state["files"].values()))
    for rel in ("../../precious.txt", "../mine.txt", "site/../../mine.txt", str(precious), "/../precious.txt",
                "site//../../mine.txt"):
        state["files"][rel] = record
    state["files"]["site/gone/index.html"] = {"fingerprint": "0" * 64, "inputs": {"partner": "x"}}  # newer records
    state["files"]["site/odd.html"] = 42
    state_file.write_text(json.dumps(state), encoding="utf-8")
    trusted = read_state(project.out)["files"]
    build(project.root, force=True, formats={"html", "code"})
    build(project.root, jobs=1)
    assert precious.read_text(encoding="utf-8") == "mine\n"
    assert (project.root / "mine.txt").read_text(encoding="utf-8") == "mine\n"
    assert leftovers(project.root, tmp_path) == []
    assert "site/gone/index.html" in trusted and "site/odd.html" not in trusted
    assert not [rel for rel in trusted if ".." in rel or rel.startswith("/")]


def test_an_output_folder_that_is_a_link_is_built_into_its_target(project, tmp_path):
    """Defect 6: a linked output/ (publishing into a web root) was replaced by a folder, and later builds wedged."""
    webroot = tmp_path / "www" / "kit"
    webroot.mkdir(parents=True)
    project.out.symlink_to(webroot)
    build(project.root, jobs=1)
    text = (project.root / "content/partners/jane-smith.yaml").read_text(encoding="utf-8")
    project.write("content/partners/jane-smith.yaml", text.replace("meeting with us", "meeting with us today"))
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert project.out.is_symlink() and os.readlink(project.out) == str(webroot)
    assert "meeting with us today" in (webroot / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert leftovers(project.root, webroot.parent) == []


def test_the_users_links_in_the_output_stay_links(project, tmp_path):
    """Defect 6: a user's folder link in output/site was deleted by the next build."""
    build(project.root, formats={"html", "code"})
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "doc.txt").write_text("shared\n", encoding="utf-8")
    (project.out / "site/docs").symlink_to(shared)
    (project.root / "CNAME").write_text("refer.example.org\n", encoding="utf-8")
    (project.out / "site/CNAME").symlink_to("../../CNAME")
    text = (project.root / "content/partners/jane-smith.yaml").read_text(encoding="utf-8")
    project.write("content/partners/jane-smith.yaml", text + "office_contact: Dana\n")
    result = build(project.root, formats={"html", "code"})
    assert "site/jane-smith/index.html" in result.written
    assert os.readlink(project.out / "site/docs") == str(shared)
    assert os.readlink(project.out / "site/CNAME") == "../../CNAME"
    assert (shared / "doc.txt").read_text(encoding="utf-8") == "shared\n"


def test_a_link_where_kitgen_writes_is_a_located_error_and_nothing_is_written_through_it(project, tmp_path):
    build(project.root, formats={"html", "code"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(project.out / "site/jane-smith")
    (project.out / "site/jane-smith").symlink_to(elsewhere)
    text = (project.root / "content/partners/jane-smith.yaml").read_text(encoding="utf-8")
    project.write("content/partners/jane-smith.yaml", text + "office_contact: Dana\n")
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "-j", "1"])
    assert result.exit_code == 1
    assert f"{project.out}/site/jane-smith: output: is a symbolic link; kitgen does not write through links" in \
        result.output
    assert list(elsewhere.iterdir()) == []
    assert (project.out / "site/jane-smith").is_symlink()


@pytest.mark.parametrize("where", ["output/site", "output/desk/x"])
def test_an_output_inside_the_projects_output_is_refused(project, where):
    """Defect 6: --out output/site put manifest.json and desk/ into the deployable site."""
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "--out", str(project.root / where)])
    assert result.exit_code == 1
    assert "refusing to build here: it is inside output/" in result.output
    assert not project.out.exists()


def test_an_output_inside_another_kitgen_output_is_refused(project, tmp_path):
    build(project.root, tmp_path / "web", formats={"html", "code"})
    result = CliRunner().invoke(main, ["build", "--project", str(project.root), "--out", str(tmp_path / "web/site")])
    assert result.exit_code == 1
    assert f"refusing to build here: it is inside {tmp_path / 'web'}, another kitgen output folder" in result.output


@pytest.fixture
def unprivileged_project(project):
    """The fixture kit, built by a process that read-only folders stop: root without the capability to override
    file permissions (setpriv), or the unprivileged user running the tests."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: read-only folders would not stop kitgen")
    yield project
    for path, dirs, _files in os.walk(project.root):
        for name in dirs:
            os.chmod(os.path.join(path, name), 0o755)


def as_user(*args: str) -> subprocess.CompletedProcess:
    """`python -m kitgen ARGS` as a process that file permissions apply to."""
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []
    return subprocess.run([*drop, sys.executable, "-m", "kitgen", *args], capture_output=True, text=True)


def test_a_read_only_folder_in_the_output_is_kept_and_never_wedges_later_builds(unprivileged_project):
    """Defect 6: a user's read-only folder in output/site left .output.kitgen-old behind; every later build
    failed."""
    project = unprivileged_project
    first = as_user("build", "--project", str(project.root), "-q", "-j", "1")
    assert first.returncode == 0, first.stderr
    known = project.out / "site/.well-known"
    known.mkdir()
    (known / "security.txt").write_text("Contact: mailto:x@example.org\n", encoding="utf-8")
    known.chmod(0o555)
    for edit in ("today", "this week"):
        text = (project.root / "content/partners/jane-smith.yaml").read_text(encoding="utf-8")
        (project.root / "content/partners/jane-smith.yaml").write_text(
            text.replace("meeting with us", f"meeting with us {edit}"), encoding="utf-8")
        again = as_user("build", "--project", str(project.root), "-q", "-j", "1")
        assert again.returncode == 0, again.stderr
        assert leftovers(project.root) == []
        assert f"meeting with us {edit}" in (project.out / "site/jane-smith/index.html").read_text(encoding="utf-8")
    assert stat.S_IMODE(known.stat().st_mode) == 0o555
    assert (known / "security.txt").read_text(encoding="utf-8") == "Contact: mailto:x@example.org\n"


def test_a_read_only_folder_kitgen_must_write_in_is_a_located_error(unprivileged_project):
    project = unprivileged_project
    assert as_user("build", "--project", str(project.root), "-q", "-j", "1").returncode == 0
    (project.out / "site/jane-smith").chmod(0o555)
    text = (project.root / "content/partners/jane-smith.yaml").read_text(encoding="utf-8")
    (project.root / "content/partners/jane-smith.yaml").write_text(text + "office_contact: Dana\n", encoding="utf-8")
    result = as_user("build", "--project", str(project.root), "-j", "1")
    assert result.returncode == 1
    assert f"{project.out}/site/jane-smith: output: is read-only; kitgen needs to replace site/jane-smith/" in \
        result.stderr
    assert leftovers(project.root) == []
