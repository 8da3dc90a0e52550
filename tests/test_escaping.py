"""Nothing a content field holds can add a line to a generated file: control characters are refused where they are
written, URLs and e-mail addresses are checked by the code that uses them, and each format has one encoder."""

from __future__ import annotations

import email
import email.policy
import json

import icalendar
import pytest
import vobject
from click.testing import CliRunner
from conftest import PARTNER
from htmlpage import Page
from hypothesis import given, settings
from hypothesis import strategies as st
from test_validation import JANE, fails, replace

from kitgen.commands.cli import main
from kitgen.content.mail import PLAIN_NAME, _reads_back
from kitgen.documents import contentlines
from kitgen.pipeline.pipeline import build
from kitgen.render.filters import tel

PRACTICE_FILE = "content/practice.yaml"
CODE = {"html", "code"}  # the pages and the code-made files; no PDFs needed here


def unquote_6868(value: str) -> str:
    """A parameter value as RFC 6868 defines it (vobject does not decode ^n, ^' and ^^)."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "^" and i + 1 < len(value) and value[i + 1] in "n'^":
            out.append({"n": "\n", "'": '"', "^": "^"}[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


# --- defect 2: injection -----------------------------------------------------------------------------------------

def test_a_line_break_in_a_url_is_refused_where_it_is_written(project):
    replace(project, PRACTICE_FILE, "website: https://harborlight.example",
            'website: "https://harborlight.example\\r\\nX-INJECTED:evil"')
    fails(project, "content/practice.yaml:7: contact.website: contains a line break at character 28 (this field is "
                   "one line); use a space")


def test_a_line_break_in_the_base_url_is_refused(project):
    project.write("kitgen.yaml", 'base_url: "https://refer.example.org/\\nBCC: x@evil.example"\n')
    fails(project, "kitgen.yaml:1: base_url: contains a line break at character 27 (this field is one line); use a "
                   "space")


@pytest.mark.parametrize("url, why", [
    ("https://harborlight.example/our practice", "contains a space, a line break or an invisible character"),
    ("https://harborlight.example:99999/", "has an invalid port; a port is a number from 1 to 65535"),
    ("https://staff:secret@harborlight.example/", "contains a user name or password before '@'"),
    ("https://harbor_light..example/", "has an empty part"),
])
def test_urls_with_spaces_ports_or_credentials_are_refused(project, url, why):
    replace(project, PRACTICE_FILE, "website: https://harborlight.example", f"website: {url}")
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert f"content/practice.yaml:7: contact.website: '{url}'" in result.stderr and why in result.stderr


def test_a_multi_line_address_is_one_property_in_the_vcard(project):
    """Defect 2: a multi-line contact.address put raw line breaks in ADR's LABEL; a line "X-INJECTED:evil" became
    a property of its own."""
    replace(project, PRACTICE_FILE, 'address: "10 Dock St, Portland, OR 97201"',
            'address: |-\n    10 Dock St "Pier ^2"\n    X-INJECTED:evil\n    Portland; OR, 97201')
    build(project.root, formats=CODE)
    address = '10 Dock St "Pier ^2"\nX-INJECTED:evil\nPortland; OR, 97201'
    card = vobject.readOne((project.out / "site/referrals.vcf").read_text(encoding="utf-8"))
    assert sorted(card.contents) == ["adr", "email", "fn", "kind", "note", "org", "rev", "tel", "uid", "url",
                                     "version"]
    assert card.adr.value.street == address
    assert unquote_6868(card.adr.params["LABEL"][0]) == address


def test_a_lone_carriage_return_is_refused_at_its_place(project):
    """Defect 2: a lone CR in a partner's address reached followups.ics as a line break of its own."""
    project.write(JANE, PARTNER + 'address: "480 Lakeside Dr\\rSuite 200"\nlast_contact: 2026-09-01\n')
    fails(project, f"{JANE}:6: address: contains a carriage return at character 16; use a plain line break")


def test_the_calendar_encoder_escapes_every_line_break():
    assert contentlines.text("a\rb\r\nc\nd;e,f\\g") == "a\\nb\\nc\\nd\\;e\\,f\\\\g"
    with pytest.raises(ValueError):
        contentlines.line("SUMMARY", "a\rb")
    with pytest.raises(ValueError):
        contentlines.text("bell\x07")


def test_a_long_practice_name_with_a_comma_is_one_from_address(project):
    """Defect 2: a practice name of 75+ characters with a comma folded into two From: addresses."""
    name = "Harbor Light Therapy and Counseling Associates, a Professional Corporation of Oregon"
    replace(project, PRACTICE_FILE, "name: Harbor Light Therapy", f'name: "{name}"')
    project.write(JANE, PARTNER + "email: jsmith@lakeside.example\n")
    build(project.root, formats=CODE)
    message = email.message_from_bytes((project.out / "desk/jane-smith/intro-email.eml").read_bytes(),
                                       policy=email.policy.default)
    assert [(a.display_name, a.addr_spec) for a in message["From"].addresses] == \
        [(name, "referrals@harborlight.example")]
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == \
        [("", "jsmith@lakeside.example")]  # the office's address, never under the physician's name (issue 13)


def test_new_partner_with_a_line_break_in_the_name_writes_nothing(project):
    """Defect 2: `kitgen new partner $'Eve\\nemail: x@evil.example\\n#'` wrote an injected key."""
    result = CliRunner().invoke(main, ["new", "partner", "Eve\nemail: x@evil.example\n#", "--specialty", "ob-gyn",
                                       "--slug", "eve", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "NAME: name: contains a line break at character 4 (this field is one line); use a space" in result.stderr
    assert not (project.root / "content/partners/eve.yaml").exists()


# --- defect 3: check passes, build crashes -----------------------------------------------------------------------

@pytest.mark.parametrize("address, why", [
    ("a..b@harborlight.example", "a dot may not start or end the part before '@', or follow another dot"),
    (".a@harborlight.example", "a dot may not start or end the part before '@', or follow another dot"),
    ('a"b@harborlight.example', "before '@' use letters, digits and . _ % + - only"),
    # issue 10, defect 2: a trailing dot passed the check, and the e-mail draft could not be written
    ("referrals@riverbend.example.", "the host name 'riverbend.example.' has an empty part (two dots in a row, or "
                                     "a dot at an end)"),
])
def test_an_email_address_the_draft_cannot_use_is_refused_by_check(project, address, why):
    replace(project, PRACTICE_FILE, "email: referrals@harborlight.example", f"email: '{address}'")
    fails(project, f"content/practice.yaml:6: contact.email: {address!r} is not an e-mail address: {why}")


def test_a_partner_email_address_is_checked_the_same_way(project):
    project.write(JANE, PARTNER + "email: dana..lee@lakeside.example\n")
    fails(project, f"{JANE}:6: email: 'dana..lee@lakeside.example' is not an e-mail address: a dot may not start "
                   "or end the part before '@', or follow another dot")


@pytest.mark.parametrize("rel, old, new, where", [
    (PRACTICE_FILE, "name: Harbor Light Therapy", 'name: "Harbor Light\\nTherapy"', "content/practice.yaml:1: name"),
    (JANE, "name: Jane Smith", 'name: "Jane\\r\\nSmith"', f"{JANE}:1: name"),
    (PRACTICE_FILE, "  - name: Anxiety and panic", '  - name: "Anxiety\\nand panic"',
     "content/practice.yaml:22: services[0].name"),
])
def test_a_line_break_in_a_name_is_refused_by_check(project, rel, old, new, where):
    """Defect 3: CR/LF in a practice, partner or service name passed the check and crashed the build."""
    replace(project, rel, old, new)
    result = CliRunner().invoke(main, ["check", "--project", str(project.root)])
    assert result.exit_code == 1
    assert f"{where}: contains a " in result.stderr and "(this field is one line); use a space" in result.stderr


def test_an_invisible_control_character_is_refused_in_any_text_field(project):
    replace(project, PRACTICE_FILE, "Hand your patient our card.", '"Hand your patient\\x07 our card."')
    fails(project, "content/practice.yaml:11: referral.steps[0]: contains an invisible control character (U+0007) at "
                   "character 18; delete it")


# --- defect 4: phone extensions ------------------------------------------------------------------------------------

@pytest.mark.parametrize("number, link", [
    ("+1 541-555-0142 ext. 204", "tel:+15415550142;ext=204"),
    ("+1 541-555-0142 x204", "tel:+15415550142;ext=204"),
    ("+1 541-555-0142 extension 7", "tel:+15415550142;ext=7"),
    ("+1 541-555-0142", "tel:+15415550142"),
])
def test_a_phone_extension_is_an_ext_parameter(number, link):
    assert tel(number) == link


def test_a_phone_extension_reaches_the_page_and_the_vcard_as_ext(project):
    """Defect 4: "+1 541-555-0142 ext. 204" gave tel:+15415550142204."""
    replace(project, PRACTICE_FILE, '"+1 503-555-0100"', '"+1 541-555-0142 ext. 204"')
    build(project.root, formats=CODE)
    hrefs = [a.get("href") for a in Page(project.out / "site/jane-smith/index.html").all("a")]
    assert "tel:+15415550142;ext=204" in hrefs and "tel:+15415550142204" not in hrefs
    card = vobject.readOne((project.out / "site/referrals.vcf").read_text(encoding="utf-8"))
    assert {t.value for t in card.tel_list} == {"tel:+15415550142;ext=204", "tel:+15035550101"}


def test_the_calendar_reads_back_exactly(project):
    name = 'Lakeside; "Women\'s" Health, \\ Clinic'
    project.write(JANE, PARTNER.replace("practice: Lakeside Women's Health", f"practice: {json.dumps(name)}")
                  + 'address: |-\n  480 Lakeside Dr\n  Suite 200\nlast_contact: 2026-09-01\n')
    build(project.root, formats=CODE)
    events = icalendar.Calendar.from_ical((project.out / "desk/followups.ics").read_bytes()).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [f"Follow up: Dr. Jane Smith, {name}"]
    assert str(events[0]["LOCATION"]) == "480 Lakeside Dr\nSuite 200"



@settings(max_examples=300, deadline=None)
@given(st.from_regex(PLAIN_NAME, fullmatch=True).filter(lambda name: len(name) <= 200))
def test_a_plain_name_needs_no_round_trip_because_it_always_reads_back(name):
    """check skips the header round trip for plain names (speed: 200 partners' names); every such name, as the
    intro e-mail addresses it ("Dr. ..."), does read back exactly from a From: header."""
    assert _reads_back(name, "referrals@kitgen.invalid")
    assert _reads_back(f"Dr. {name}"[:200], "referrals@kitgen.invalid")
