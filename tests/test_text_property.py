"""Property: any text in any string field, control characters and CR/LF included, is either refused by `check`
and `build` alike (the same located problems), or built into a vCard, a calendar and an e-mail draft that real
parsers (vobject, icalendar, email) read back to exactly the intended properties: nothing added, nothing lost.

Builds here make the pages and the code-made files (formats html and code); PDF layout is covered elsewhere.
`KITGEN_FUZZ=random KITGEN_FUZZ_EXAMPLES=2000` explores further.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import json
import os
import re
import tempfile
from pathlib import Path

import icalendar
import pytest
import vobject
import yaml
from conftest import CONFIG, PARTNER, PRACTICE, TALK, make_project
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_escaping import unquote_6868

from kitgen.check.validate import validate
from kitgen.documents import intro
from kitgen.documents.followups import due_date
from kitgen.pipeline.pipeline import build
from kitgen.problems import ContentError
from kitgen.render.filters import tel

EXAMPLES = int(os.environ.get("KITGEN_FUZZ_EXAMPLES", "80"))
FUZZ = settings(deadline=None, max_examples=EXAMPLES, derandomize=os.environ.get("KITGEN_FUZZ") != "random",
                database=None, suppress_health_check=list(HealthCheck))

FULL_PARTNER = PARTNER + ("address: 480 Lakeside Dr, Suite 200, Eugene, OR 97401\noffice_contact: Dana Lee\n"
                          "email: dana.lee@lakeside.example\nlast_contact: 2026-09-01\n")
TALK_FRONT, TALK_BODY = TALK.split("---\n")[1], TALK.split("---\n", 2)[2]
FILES = {"kitgen.yaml": yaml.safe_load(CONFIG + "language: en\n"),
         "content/practice.yaml": yaml.safe_load(PRACTICE.replace("  as_of:", "  hours: Mon-Thu 8-6\n  as_of:")),
         "content/partners/jane-smith.yaml": yaml.safe_load(FULL_PARTNER),
         "content/talks/perinatal-screening.md": yaml.safe_load(TALK_FRONT)}


def string_fields(data, key=()) -> list[tuple]:
    """The path of every string value in `data`."""
    if isinstance(data, str):
        return [key]
    if isinstance(data, dict):
        return [k for name, value in data.items() for k in string_fields(value, (*key, name))]
    if isinstance(data, list):
        return [k for i, value in enumerate(data) for k in string_fields(value, (*key, i))]
    return []


FIELDS = [(rel, key) for rel, data in FILES.items() for key in string_fields(data)]
PIECES = ["\r\n", "\n", "\r", "\t", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", ",", ";", ":", "\\", '"', "'",
          "^", "<", ">", "@", " ", "  ", "X-INJECTED:evil", "BEGIN:VEVENT", "Bcc: x@evil.example", "=?utf-8?q?x?=",
          "é", "日本", "https://", "a" * 80]
SAFE = [p for p in PIECES if p.isprintable()] + ["\n"]  # what a text field accepts (a line break: some fields)
printable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                    max_size=30)
pieces = st.lists(st.sampled_from(SAFE) | st.text(alphabet="abcXYZ019 ", max_size=5), min_size=1,
                  max_size=6).map("".join)
texts = st.one_of(st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
                  st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=6).map("".join), printable, pieces)
# fields whose text has a form of its own (addresses, numbers, slugs, choices): random text there is refused
FORMED = {"base_url", "paper", "card_stock", "phone", "fax", "email", "website", "form_url", "specialty",
          "specialties"}
FREE = [(rel, key) for rel, key in FIELDS if not FORMED & set(key)]
safe_texts = st.one_of(printable, pieces)
edits = st.one_of(st.lists(st.tuples(st.sampled_from(FIELDS), texts), min_size=1, max_size=3),
                  st.lists(st.tuples(st.sampled_from(FREE), safe_texts), min_size=1, max_size=4))


def write_project(root: Path, changes: list) -> None:
    project = make_project(root)
    files = json.loads(json.dumps(FILES, default=str))
    for (rel, key), value in changes:
        target = files[rel]
        for part in key[:-1]:
            target = target[part]
        target[key[-1]] = value
    for rel, data in files.items():  # a JSON document is YAML too: every character written as an escape
        text = json.dumps(data, default=str)
        project.write(rel, f"---\n{text}\n---\n{TALK_BODY}" if rel.endswith(".md") else text + "\n")


def problems(run) -> list[str] | None:
    try:
        run()
    except ContentError as exc:
        return [str(p) for p in exc.problems if p.level == "error"]
    return None


@pytest.mark.pdf
@FUZZ
@given(edits)
def test_any_text_in_any_field_is_refused_alike_or_read_back_exactly(changes):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kit"
        write_project(root, changes)
        checked = problems(lambda: validate(root))
        built = problems(lambda: build(root, Path(tmp) / "out", formats={"html", "code"}))
        assert checked == built
        event("refused" if checked else "built and read back")
        if checked is None:
            read_back(validate(root), Path(tmp) / "out")


def read_back(checked, out: Path) -> None:
    kit, theme = checked.kit, checked.theme
    practice, contact = kit.practice, kit.practice.contact

    card = vobject.readOne((out / "site/referrals.vcf").read_text(encoding="utf-8"))
    assert sorted(card.contents) == ["adr", "email", "fn", "kind", "note", "org", "rev", "tel", "uid", "url",
                                     "version"]
    assert card.fn.value == practice.name
    assert sorted(t.value for t in card.tel_list) == sorted(tel(n) for n in (contact.phone, contact.fax) if n)
    assert card.email.value == contact.email
    assert card.url.value == (contact.website or kit.config.site_root)
    assert card.adr.value.street == contact.address
    assert unquote_6868(card.adr.params["LABEL"][0]) == contact.address
    assert card.note.value == f"Referrals: {practice.referral.form_url} (secure form), or call {contact.phone}."

    calendar = icalendar.Calendar.from_ical((out / "desk/followups.ics").read_bytes())
    assert unescape_text(calendar["X-WR-CALNAME"].to_ical().decode()) == practice.name + " physician follow-ups"
    for vevent, partner in zip(calendar.walk("VEVENT"), [p for p in kit.partners if p.last_contact], strict=True):
        assert set(vevent) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "TRANSP"} | \
            ({"LOCATION"} if partner.address else set())
        assert vevent.decoded("DTSTART") == due_date(partner)
        assert str(vevent["SUMMARY"]) == f"Follow up: {partner.display_name}, {partner.practice}"
        office = f" ({partner.office_contact})" if partner.office_contact else ""
        assert str(vevent["DESCRIPTION"]) == (
            f"Last contact {partner.last_contact.isoformat()}. Call {partner.practice}{office}: ask how referrals "
            f"are going, restock cards and one-pagers, offer the lunch-and-learn. Referral code "
            f"{kit.referral_code(partner)}. Page: {kit.page_url(partner)}")
        if partner.address:
            assert str(vevent["LOCATION"]) == partner.address

    for partner in kit.partners:
        message = email.message_from_bytes((out / f"desk/{partner.slug}/intro-email.eml").read_bytes(),
                                           policy=email.policy.default)
        assert set(message.keys()) == {"From", "Subject", "Date", "X-Unsent", "Content-Type",
                                       "Content-Transfer-Encoding", "MIME-Version"} | ({"To"} if partner.email else set())
        assert [(a.display_name, a.addr_spec) for a in message["From"].addresses] == \
            [(" ".join(practice.name.split()), _ascii_domain(contact.email))]
        if partner.email:
            assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == \
                [(" ".join((partner.contact_name or "").split()), _ascii_domain(partner.email))]  # the office's
        assert str(message["Subject"]) == intro.subject(kit, partner)
        assert message.get_content().replace("\r\n", "\n") == intro.email_text(kit, theme, partner)
        assert email.utils.parsedate_to_datetime(message["Date"]).tzinfo == datetime.UTC


def unescape_text(value: str) -> str:
    """An RFC 5545 TEXT value (icalendar leaves X- properties as written)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _ascii_domain(address: str) -> str:
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"
