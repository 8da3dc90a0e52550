"""Links a phone can dial: one kit per region (us, ca, gb, ie, au, nz) with the practice's own crisis lines, and
every tel: and sms: link of its page and contact card read back and checked with phonenumbers (Google's
libphonenumber) as a phone in that country would dial it. Short codes and numbers that cannot be dialled from
abroad (Lifeline's 13 11 14, a 1300 number) as dialled at home, never after +61; every number to text an sms:
link."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from htmlpage import Page, text
from phonenumbers import shortnumberinfo
from test_regions import practice, region_project

from kitgen.content import regions
from kitgen.pipeline.pipeline import build

XHTML_A = "{http://www.w3.org/1999/xhtml}a"

# The practice's own crisis lines (practice.yaml `crisis.lines`), with call: and text: numbers as practices there
# write them, and per region the numbers the page links, as shown -> href. Written out by hand: a call is tel:, a
# text sms:; E.164 where the number can be dialled with its country code, else the digits dialled at home.
OWN = {
    "us": [("Lane County Crisis Team", "+1 541-555-0199", None), ("Crisis Text Line", None, "741741")],
    "ca": [("Kids Help Phone", "1-800-668-6868", "686868")],
    "gb": [("Shout", None, "85258")],
    "ie": [("Harbour Crisis Team", "01 234 5690", None), ("Pieta", None, "51444")],
    "au": [("Beyond Blue", "1300 22 4636", None)],
    "nz": [("Harbour Crisis Team", "09 555 0199", None), ("Youthline", None, "234")],
}
LINKS = {
    "us": {"988": "tel:988", "(541) 555-0199": "tel:+15415550199", "741741": "sms:741741", "911": "tel:911"},
    "ca": {"9-8-8": "tel:988", "(800) 668-6868": "tel:+18006686868", "686868": "sms:686868", "911": "tel:911"},
    "gb": {"111": "tel:111", "116 123": "tel:116123", "85258": "sms:85258", "999": "tel:999"},
    "ie": {"116 123": "tel:116123", "50808": "sms:50808", "(01) 234 5690": "tel:+35312345690", "51444": "sms:51444",
           "112": "tel:112", "999": "tel:999"},
    "au": {"13 11 14": "tel:131114", "0477 13 11 14": "sms:+61477131114", "1300 224 636": "tel:1300224636",
           "000": "tel:000"},
    "nz": {"1737": "tel:1737", "09 555 0199": "tel:+6495550199", "234": "sms:234", "111": "tel:111"},
}
# The Australian kit's own phone is a 1300 number (ACMA's range for fiction), so its page button and contact card
# must dial it as Australians do too.
AU_PHONE = ("02 9555 0187", "1300 975 707", "tel:1300975707")


def own_lines(region: str) -> str:
    lines = ["crisis:", "  lines:"]
    for name, call, sms in OWN[region]:
        lines.append(f"    - name: {name}")
        lines += [f'      call: "{call}"'] if call else []
        lines += [f'      text: "{sms}"'] if sms else []
    return "\n".join(lines) + "\n"


def dials_at_home(href: str, country: str) -> bool:
    """Whether a phone in `country` dials this tel: or sms: link: E.164 that libphonenumber calls valid and
    diallable with its country code, or digits that are a valid short number of the country or a valid number of
    the country that cannot be dialled from abroad (and so has no E.164 form a phone can dial)."""
    found = re.fullmatch(r"(?:tel|sms):(\+?\d+)(;ext=\d+)?", href)
    if not found:
        return False
    if found.group(1).startswith("+"):
        number = phonenumbers.parse(found.group(1))
        return phonenumbers.is_valid_number(number) and phonenumbers.can_be_internationally_dialled(number)
    number = phonenumbers.parse(found.group(1), country)
    if shortnumberinfo.is_valid_short_number_for_region(number, country):
        return True
    return phonenumbers.is_valid_number_for_region(number, country) and \
        not phonenumbers.can_be_internationally_dialled(number)


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    cache = {}

    def get(region: str, config: str = ""):
        if (region, config) not in cache:
            project = region_project(tmp_path_factory.mktemp(region) / "kit", region, config)
            written = practice(region) + own_lines(region)
            if region == "au":
                written = written.replace(f'phone: "{AU_PHONE[0]}"', f'phone: "{AU_PHONE[1]}"')
            project.write("content/practice.yaml", written)
            build(project.root, jobs=1)
            cache[region, config] = project
        return cache[region, config]
    return get


def crisis_links(project) -> dict[str, str]:
    note = Page(project.out / "site/priya-raman/index.html").one("p", class_="crisis")
    return {text(a): a.get("href") for a in note.iter(XHTML_A)}


@pytest.mark.parametrize("region", list(LINKS))
def test_every_crisis_link_dials_as_at_home_and_text_lines_are_sms(kits, region):
    project = kits(region)
    country = regions.get(region).country
    assert crisis_links(project) == LINKS[region]
    page = Page(project.out / "site/priya-raman/index.html")
    hrefs = [h for h in page.hrefs() if h.startswith(("tel:", "sms:"))]
    card = (project.out / "site/referrals.vcf").read_bytes().decode("utf-8").replace("\r\n ", "")  # unfolded
    hrefs += re.findall(r"(?:tel|sms):[^\s\r]*", card)
    hrefs += re.findall(r"(?:tel|sms):\S*", (project.out / "desk/priya-raman/intro-email.eml").read_text("utf-8"))
    assert len(hrefs) >= len(LINKS[region]) + 2  # the crisis note, the page's phone and fax, the card's
    assert [h for h in hrefs if not dials_at_home(h, country)] == []


def test_the_words_before_each_link_say_call_or_text_as_its_scheme_does(kits):
    """What the reader is told to do with a number is what the link does: "text 0477 13 11 14" opens a message,
    "call Lifeline on 13 11 14" the dialler."""
    for region in LINKS:
        note = Page(kits(region).out / "site/priya-raman/index.html").one("p", class_="crisis")
        before = ""
        for part in note.iter():
            if part.tag == XHTML_A:
                told = "text" if re.search(r"(?<!call or )\btext (?:[^,]* on |AYUDA to )?$", before) else "call"
                assert part.get("href").startswith("sms:" if told == "text" else "tel:"), (region, before)
                before = part.tail or ""
            elif part is not note:
                before += (part.text or "") + (part.tail or "")
            else:
                before = part.text or ""


def test_an_australian_practice_phone_that_cannot_be_dialled_from_abroad_links_as_dialled_at_home(kits):
    project = kits("au")
    page = Page(project.out / "site/priya-raman/index.html")
    assert AU_PHONE[2] in page.hrefs() and "tel:+611300975707" not in page.hrefs()
    card = (project.out / "site/referrals.vcf").read_bytes().decode("utf-8")
    assert f"TEL;VALUE=uri;TYPE=work,voice:{AU_PHONE[2]}\r\n" in card


def test_988_in_spanish_texts_ayuda_to_an_sms_link(kits):
    """On a Spanish page: 'llame al 988 y marque 2, o envíe AYUDA por texto al 988': the first 988 dials, the
    second opens a message (no ?body=AYUDA: see kitgen/render/filters.py `sms`)."""
    links = [(text(a), a.get("href")) for a in
             Page(kits("us", "language: es\n").out / "site/priya-raman/index.html").one("p", class_="crisis")
             .iter(XHTML_A)]
    assert links[:2] == [("988", "tel:988"), ("988", "sms:988")]
    assert ("741741", "sms:741741") in links


def test_every_number_in_the_table_dials_as_at_home():
    """The region table's numbers, as their links dial them (derived with phonenumbers, not stored)."""
    from kitgen.render.filters import sms, tel
    expected = {"us": ["tel:911", "tel:988", "sms:988"], "ca": ["tel:911", "tel:988", "sms:988"],
                "gb": ["tel:999", "tel:111", "tel:116123"], "ie": ["tel:112", "tel:999", "tel:116123", "sms:50808"],
                "au": ["tel:000", "tel:131114", "sms:+61477131114"], "nz": ["tel:111", "tel:1737", "sms:1737"]}
    for code, region in regions.REGIONS.items():
        links = [tel(n, code) for n in region.emergency]
        for line in region.crisis_lines:
            links += [tel(line.call, code)] if line.call else []
            links += [sms(line.text, code)] if line.text else []
        assert links == expected[code], code
        assert all(dials_at_home(link, region.country) for link in links), code
