"""The field rules of content/model.py's dataclasses: (value, context) -> a message, or None for a good value.
`context` is what load_kit knows (the region, today, content/), for the rules that need it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kitgen.content import codes, exports, images, languages, looks, phi, phones, urls
from kitgen.content.brand import colour_problem
from kitgen.content.mail import addr_spec_problem, display_name_problem  # the intro e-mail draft's own parser

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CONTACT_KINDS = ["visit", "call", "e-mail", "lunch-and-learn", "letter", "thank-you", "other"]


def slug(value: Any, _: Any) -> str | None:
    return None if SLUG.match(value) else f"{value!r} is not a slug: use lowercase letters, digits and hyphens"


def one_of(options: list[str]) -> Callable[[Any, Any], str | None]:
    def check(value: Any, _: Any) -> str | None:
        return None if value in options else f"unknown value {value!r}; choose one of: {', '.join(options)}"
    return check


def https_url(value: Any, _: Any) -> str | None:
    return urls.problem(value, https=True)


def web_url(value: Any, _: Any) -> str | None:
    return urls.problem(value)


def phone(value: Any, context: Any, service: bool = False) -> str | None:
    """A number phonenumbers calls valid in the kit's region (kitgen.yaml), or a short one for a service."""
    if sum(c.isdigit() for c in value) < 3:
        return f"{value!r} has no phone number digits"
    region = context.get("region")
    return phones.problem(value, region, service) if region else None


def service_phone(value: Any, context: Any) -> str | None:
    return phone(value, context, service=True)


def email(value: Any, _: Any) -> str | None:
    return addr_spec_problem(value)


def sender_name(value: Any, _: Any) -> str | None:
    return display_name_problem(value)


def npi_problem(value: Any) -> str | None:
    """A National Provider Identifier: 10 digits whose last is the Luhn check digit of the other nine prefixed
    with 80840 (CMS, "Requirements for National Provider Identifier (NPI) and NPI Enumeration", check digit)."""
    return None if npi_valid(str(value)) else f"{value!r} is not an NPI (10 digits, the last a check digit)"


def npi_valid(value: str) -> bool:
    """Whether `value` is 10 digits with a good NPI check digit (Luhn over "80840" + the first nine)."""
    if not re.fullmatch(r"[0-9]{10}", value):
        return False
    total = 0
    for i, char in enumerate(reversed("80840" + value[:9])):
        d = int(char) * (2 if i % 2 == 0 else 1)  # from the right, every other digit doubled, the first included
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(value[9])


def partner_name(value: Any, _: Any) -> str | None:
    return display_name_problem(f"Dr. {value}")  # as the intro e-mail addresses a physician


def image(value: Any, context: Any) -> str | None:
    content = context.get("content_dir")
    if content is None:
        return None
    if images.content_path(content, value) is None:
        return f"{value!r} points outside content/; put the image in content/images/"
    target = (content / value).resolve()
    if not target.is_file():
        return f"{value!r} does not exist (paths are relative to content/)"
    if target.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"):
        return f"{value!r} is not an image (.svg, .png, .jpg, .webp)"
    return images.problem(target, value)  # size, pixels, decodable, no scripts or outside references in an SVG


def positive(value: Any, _: Any) -> str | None:
    return None if value > 0 else f"must be at least 1, got {value}"


def not_negative(value: Any, _: Any) -> str | None:
    return None if value >= 0 else f"cannot be negative, got {value}"


def offset(value: Any, _: Any) -> str | None:
    return None if -10 <= value <= 10 else f"{value} mm is more than a printer feeds off; use -10 to 10"


def referral_code(value: Any, _: Any) -> str | None:
    return codes.problem(value)


def non_empty_list(value: Any, _: Any) -> str | None:
    return None if value else "needs at least one entry"


def not_future(value: Any, context: Any) -> str | None:
    today = context.get("today")  # set by load_kit; absent (no check) when $KITGEN_TODAY itself is unreadable
    return f"{value} is in the future (today is {today}); log a contact once it happened" \
        if today and value > today else None


def contact_kind(value: Any, _: Any) -> str | None:
    if value in CONTACT_KINDS:
        return None
    close = difflib.get_close_matches(value.lower().replace(" ", "-"), CONTACT_KINDS, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown kind {value!r}; {hint}choose one of: {', '.join(CONTACT_KINDS)}"


def theme(value: Any, context: Any) -> str | None:
    """A built-in theme, or a folder of the project's own in themes/."""
    problem = slug(value, context)
    if problem or value in looks.BUILTIN_THEMES:
        return problem
    content_dir = context.get("content_dir")
    if content_dir is not None and (Path(content_dir).parent / "themes" / value).is_dir():
        return None
    return (f"unknown theme {value!r}: the built-in themes are {', '.join(looks.BUILTIN_THEMES)}; a theme of your "
            f"own is a folder themes/{value}/ in the project (docs/theming.md)")


def language(value: Any, _: Any) -> str | None:
    return languages.problem(value)


def patient_languages(value: Any, _: Any) -> str | None:
    if not value:
        return "needs at least one language (leave the key out for the kit's language only)"
    for tag in value:
        message = languages.problem(tag)
        if message:
            return message
    tags = [languages.normalize(t) for t in value]
    twice = next((t for t in tags if tags.count(t) > 1), None)
    return f"{twice!r} is listed twice" if twice else None


def colour(field: str) -> Callable[[str, object], str | None]:
    def check(value: str, _: object) -> str | None:
        return colour_problem(value, field)
    return check


def report_header(value: Any, _: Any) -> str | None:
    """A column of the practice's export that kitgen.yaml maps to one it reads: never one naming a patient."""
    what = None if exports.fold(str(value)) in exports.RECOGNISED else phi.looks_like(str(value))
    return (f"{value!r} looks like a patient identifier ({what}); map the column that names the referrer or the "
            "date, never one about the patient") if what else None
