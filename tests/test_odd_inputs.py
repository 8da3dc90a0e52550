"""Odd but valid inputs from the issue-23 red-team pass: each is located, none is a traceback or a slow command."""

from __future__ import annotations

from conftest import make_project
from hypothesis import given, settings
from hypothesis import strategies as st
from readback import kitgen_check

FORM = "form_url: https://secure.harborlight.example/refer?src=kit"


def check(project, *args: str):
    return kitgen_check(project.root, *args)


def with_base_url(tmp_path, extra: int):
    project = make_project(tmp_path / "kit")
    text = (project.root / "kitgen.yaml").read_text()
    project.write("kitgen.yaml", text.replace("base_url: https://refer.example.org/",
                                              "base_url: https://refer.example.org/" + "x" * extra + "/"))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("base_url:"))
    return project, line


def test_a_qr_address_too_dense_for_the_card_code_is_a_warning_then_an_error(tmp_path):
    """21 mm on the cards: a warning past 0.4 mm modules (version 7, 107+ bytes), an error under 0.25 mm (version
    15, 413+ bytes), and an address no QR code holds (2,331+ bytes) is the same error, not a traceback. The codes
    hold <base_url>r/<code>/ (redirects.py), so base_url is what makes them dense; a long form_url is not."""
    project, line = with_base_url(tmp_path / "a", 0)
    assert "base_url" not in check(project).output
    project = make_project(tmp_path / "long-form" / "kit")
    text = (project.root / "content/practice.yaml").read_text()
    project.write("content/practice.yaml", text.replace(FORM, FORM + "x" * 400))
    assert "squares a side" not in check(project).output, "the form's own address is printed in no code"
    project, line = with_base_url(tmp_path / "b", 90)
    result = check(project)
    assert result.exit_code == 0
    assert f"kitgen.yaml:{line}: base_url: warning: the address a QR code holds (" in result.output
    assert "mm on the 21 mm code on the business cards; phones need 0.4 mm" in result.output
    for extra in (400, 2400):
        project, line = with_base_url(tmp_path / f"c{extra}", extra)
        result = check(project)
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"kitgen.yaml:{line}: base_url: "), result.output
        assert "use a shorter base_url" in result.output


def test_a_talk_full_of_straight_quotes_costs_no_more_than_its_length(tmp_path):
    """markdown-it-py's smart quotes are quadratic (250,000 `"` added 20 s to every command); ours are linear."""
    import time

    from conftest import TALK
    project = make_project(tmp_path / "kit")
    project.write("content/talks/perinatal-screening.md", TALK + "\n" + '"' * 250_000 + "\n")
    start = time.perf_counter()
    result = check(project)
    assert time.perf_counter() - start < 8, "linear: about 1 s here, where the quadratic rule took over 20"
    assert result.exit_code in (0, 1)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("\"' a1-*_`\n.()[]é“\t>#"), max_size=40))
def test_smart_quotes_are_those_of_markdown_it(text):
    """The linear rule gives exactly markdown-it-py's quotes, apostrophes and inch marks."""
    from markdown_it import MarkdownIt

    from kitgen.content.markdown import to_html
    theirs = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["table", "replacements",
                                                                                    "smartquotes"])
    assert to_html(text) == theirs.render(text)


def test_a_lookalike_host_in_any_address_people_follow_is_a_warning_at_its_line(tmp_path):
    """A Cyrillic 'а' in harborlight, in form_url, patient_url, website or base_url (as letters or as xn--)."""
    project = make_project(tmp_path / "kit")
    practice = (project.root / "content/practice.yaml").read_text()
    practice = practice.replace("https://secure.harborlight.example/", "https://secure.h\u0430rborlight.example/")
    practice = practice.replace("https://harborlight.example/first-visit", "https://xn--80ak6aa92e.com/first-visit")
    practice = practice.replace("website: https://harborlight.example", "website: https://harborlight.ex\u0430mple")
    project.write("content/practice.yaml", practice)
    config = (project.root / "kitgen.yaml").read_text()
    project.write("kitgen.yaml", config.replace("https://refer.example.org/", "https://refer.ex\u0430mple.org/"))
    result = check(project)
    assert result.exit_code == 0, result.output
    lines = {"referral.form_url": "secure.h\u0430rborlight.example", "referral.patient_url": "\u0430\u0440\u0440\u04cf\u0435.com",
             "contact.website": "harborlight.ex\u0430mple"}
    for field, host in lines.items():
        line = next(i for i, text in enumerate(practice.splitlines(), 1) if text.strip().startswith(field.split(".")[-1]
                                                                                                      + ":"))
        assert f"content/practice.yaml:{line}: {field}: warning: the host {host!r} mixes " in result.output, field
    assert "kitgen.yaml:" in result.output and "base_url: warning: the host 'refer.ex\u0430mple.org' mixes Cyrillic " \
        "and Latin letters in one part, so it can pass for another site's address (a homograph)" in result.output


def test_hosts_in_one_alphabet_or_latin_beside_chinese_japanese_korean_pass():
    from kitgen.content.urls import lookalike_host
    for url in ("https://harborlight.example/refer", "https://münchen.de", "https://пример.рф", "https://例え.jp",
                "https://ドメイン名例.jp/x", "https://한국.kr", "https://straße.de"):
        assert lookalike_host(url) is None, url


def test_images_whose_names_differ_only_in_case_are_refused_where_the_second_is_named(tmp_path):
    """media/images/Team.png and media/images/team.png are two files here but one on a Mac, Windows or a
    case-insensitive host: one picture would replace the other on the site."""
    import io

    from PIL import Image
    project = make_project(tmp_path / "kit")
    for name, colour in (("Team.png", "red"), ("team.png", "blue")):
        out = io.BytesIO()
        Image.new("RGB", (200, 200), colour).save(out, format="PNG")
        (project.root / "content/images").mkdir(exist_ok=True)
        (project.root / "content/images" / name).write_bytes(out.getvalue())
    practice = (project.root / "content/practice.yaml").read_text()
    practice = practice.replace("  - name: Ana Ruiz\n    credentials: LCSW\n",
                                "  - name: Ana Ruiz\n    credentials: LCSW\n    photo: images/team.png\n")
    practice = "logo: images/Team.png\n" + practice
    project.write("content/practice.yaml", practice)
    line = practice.splitlines().index("    photo: images/team.png") + 1
    result = check(project)
    assert result.exit_code == 1, result.output
    assert f"content/practice.yaml:{line}: clinicians[0].photo: 'images/team.png' and 'images/Team.png' (logo, " \
           "line 1) differ only in upper and lower case" in result.output, result.output
    project.write("content/practice.yaml", practice.replace("images/team.png", "images/Team.png"))
    assert check(project).exit_code == 0, "the same file twice is no clash"
