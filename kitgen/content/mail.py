"""E-mail headers for the intro draft, and the check of every e-mail address a kit holds: one parser for both.

Addresses are parsed with the standard library's RFC 5322 parser (the one `email` serialises the draft with)
and accepted only when it reports no defect, the local part is a plain dot-atom and the domain a real host
name: "a..b@x.example", ".a@x.example", 'a"b@x.example' and "referrals@riverbend.example." are refused at
load, never found by a crashing build. Headers are built from parts (`Address(display_name, username, domain)`)
under `POLICY`.

The From:, To: and Subject: headers are encoded here rather than by the standard library's folder, which drops
the quotes around a display name it splits ("Harbor Light Therapy, LLC" became two addresses), puts spaces
inside split encoded words, and writes text that looks like an encoded word ("=?utf-8?q?x?=") as is, so a
reader decodes it: a name in plain ASCII is one quoted string, anything else one RFC 2047 encoded word (a
subject: encoded words by `email.header.Header`, which splits them on character boundaries).
`display_name_problem` refuses a name whose header would not read back, by building it.
"""

from __future__ import annotations

import base64
import email
import email.policy
import re
from email import errors
from email._header_value_parser import get_addr_spec
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage

from kitgen.content.urls import host_problem

POLICY = email.policy.SMTP.clone(max_line_length=998)
_DOT_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_PROBE = "referrals@kitgen.invalid"


def addr_spec_problem(value: str) -> str | None:
    """Why `value` is not an e-mail address kitgen can put in a header and a mailto: link (None when it is)."""
    wrong = f"{value!r} is not an e-mail address"
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return f"{wrong}: it needs a name, '@' and a domain, e.g. referrals@yourpractice.com"
    if not _DOT_ATOM.match(local):
        if ".." in local or local.startswith(".") or local.endswith("."):
            return f"{wrong}: a dot may not start or end the part before '@', or follow another dot"
        return f"{wrong}: before '@' use letters, digits and . _ % + - only"
    if "." not in domain or domain.startswith("["):
        return f"{wrong}: after '@' comes a domain name with a dot, e.g. yourpractice.com"
    found = host_problem(domain)
    if found:
        return f"{wrong}: {found}"
    try:
        token, rest = get_addr_spec(value)
    except errors.HeaderParseError:
        return wrong
    if rest or token.all_defects:
        return wrong
    return None if _reads_back("", value) else wrong


def address(display_name: str, addr_spec: str) -> Address:
    """A header address built from parts: runs of whitespace in the name are one space (readers collapse them
    anyway), an international domain is in its IDNA form (a header cannot encode an address)."""
    username, _, domain = addr_spec.rpartition("@")
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    return Address(" ".join(display_name.split()), username=username, domain=domain)


class Encoded(str):
    """A header value encoded by kitgen: EmailMessage stores it as is and calls `fold` to write it."""

    name: str
    encoded: str

    def __new__(cls, name: str, value: str, encoded: str) -> Encoded:
        header = super().__new__(cls, value)
        header.name, header.encoded = name, encoded
        return header

    def fold(self, *, policy: email.policy.Policy) -> str:
        return f"{self.name}: {self.encoded}{policy.linesep}"


def _plain(text: str) -> bool:
    return text.isascii() and text.isprintable() and "=?" not in text


def _words(name: str, text: str) -> str:
    return Header(text, "utf-8", header_name=name).encode(linesep="\r\n")


def _word(text: str) -> str:
    """One encoded word for a display name, however long: readers (the standard library's among them) put a
    space between the words of a split name, so a split name would not read back as written."""
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def address_header(name: str, display_name: str, addr_spec: str) -> Encoded:
    """A From: or To: header for one address: the name as a quoted string, or as encoded words."""
    built = address(display_name, addr_spec)
    if not built.display_name:
        return Encoded(name, built.addr_spec, built.addr_spec)
    text = built.display_name
    phrase = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if _plain(text) else _word(text)
    return Encoded(name, str(built), f"{phrase} <{built.addr_spec}>")


def text_header(name: str, text: str) -> Encoded:
    """An unstructured header (Subject:): plain when it is plain ASCII, else encoded words."""
    return Encoded(name, text, text if _plain(text) else _words(name, text))


# Words of letters, digits and . , ' - with single spaces between, up to 200 characters: written as one quoted
# string and read back as written, so a name like this needs no round trip (tests/test_escaping.py checks that)
PLAIN_NAME = re.compile(r"[A-Za-z0-9.,'-]+(?: [A-Za-z0-9.,'-]+)*")


def display_name_problem(name: str) -> str | None:
    """Why `name` cannot be the display name of a From: or To: header (None when it can): it must read back
    from the header exactly, which fails only for names too long for one header line."""
    if len(name) <= 200 and PLAIN_NAME.fullmatch(name):
        return None
    if not _reads_back(name, _PROBE):
        return f"is too long for the e-mail draft's From: and To: lines ({len(name)} characters); shorten it"
    return None


def _reads_back(name: str, addr_spec: str) -> bool:
    """Whether a From: header made of `name` and `addr_spec`, written as the draft is, parses back to them."""
    try:
        message = EmailMessage(policy=POLICY)
        message["From"] = address_header("From", name, addr_spec)
        written = bytes(message)
        parsed = email.message_from_bytes(written, policy=email.policy.default)["From"].addresses
    except (ValueError, IndexError, TypeError, errors.HeaderParseError, UnicodeError):
        return False
    fits = all(len(line) <= 998 for line in written.split(b"\r\n"))  # RFC 5322's limit for a line
    return fits and len(parsed) == 1 and parsed[0] == address(name, addr_spec)
