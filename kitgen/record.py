"""What a document was made from, recorded while it renders, the way Lektor's builder keeps a dependency record
per artifact. A build fingerprints each output from its record instead of from a list declared by hand, so an
input nobody thought to declare (a template a project override stopped including, a file the PDF renderer
fetched) can never leave a stale file behind.

A record is a set of keys, made by the constructors below and read back by `parse` (the state file stores
their str form, so it must not change); pipeline/plan.py says what each key's content is today:
- `template:<name>`: a template the Jinja environment loaded (extends, include, import, overrides);
- `file:<path>`: a project file read through the kit (kitgen.yaml, practice.yaml, a partner file, a talk);
- `value:<method>:<slug>`: a value derived from many files that only matters by its result (a partner's
  referral code is settled against every other partner's, but a page only shows its own);
- `output:<path>`: a file of the output a PDF embedded (an image, a font, the QR code);
- `env:<NAME>`: an environment variable that changes what is printed (SOURCE_DATE_EPOCH);
- `today`: the day (project.today(): $KITGEN_TODAY, else the clock) that letters and e-mails are dated;
- `catalogs:`: the gettext catalogs kitgen's own wording comes from (any template loaded reads them);
- `table:downloads`: the kinds a landing page offers (kinds.py), which a plugin or a test may extend.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import NamedTuple, NewType, Protocol, TypeVar, cast, overload

from kitgen import project
from kitgen.project import CONFIG, PARTNERS, PRACTICE, TALKS

Key = NewType("Key", str)  # a record key, in the form the state file stores: made only by the functions below
Record = dict[str, str | None]  # a Key -> its digest as read (templates), or None: the planner's digest of it
_current: ContextVar[Record | None] = ContextVar("kitgen_record", default=None)

# Kit methods whose result, not the files behind it, is what a document depends on (see the module docstring).
VALUE_METHODS = frozenset({"referral_code", "referral_url", "patient_url", "page_url", "page_path", "talk_for",
                           "qr_url", "patient_qr_url"})


def file(path: str) -> Key:
    """A project file, relative to the project (a folder, for its listing, ends in "/")."""
    return Key(f"file:{path}")


def template(name: str) -> Key:
    return Key(f"template:{name}")


def value(method: str, slug: str) -> Key:
    """The result of the kit's `method` (one of VALUE_METHODS) for the partner `slug`."""
    return Key(f"value:{method}:{slug}")


def output(path: str) -> Key:
    """A file of the output, relative to the output folder."""
    return Key(f"output:{path}")


def env(name: str) -> Key:
    return Key(f"env:{name}")


TODAY = Key("today")
CATALOGS = Key("catalogs:")
DOWNLOADS = Key("table:downloads")


class Parsed(NamedTuple):
    """A key read back: what it names ("file", "template", "value", "output", "env", "today", "catalogs",
    "table") and the rest (a path, a name; for a value, the method and the slug, as `method` and `slug`)."""

    what: str
    name: str

    @property
    def method(self) -> str:
        return self.name.partition(":")[0]

    @property
    def slug(self) -> str:
        return self.name.partition(":")[2]


def parse(key: str) -> Parsed:
    """A key as stored (a str read from the state file, which may be any text) split into its parts."""
    what, _, name = key.partition(":")
    return Parsed(what, name)


def note(key: Key, digest: str | None = None) -> None:
    """Add `key` to the record being made, if any (rendering outside a build records nothing). `digest` is the
    content as it was read, where the reader knows it (a template): an edit made while the build runs then
    shows as a change to the next build instead of being taken for what was rendered."""
    keys = _current.get()
    if keys is not None and (digest is not None or key not in keys):
        keys[key] = digest


@contextlib.contextmanager
def recording(into: Record | None = None) -> Iterator[Record]:
    """Record every key noted inside the block into `into` (a new record by default), which the block yields."""
    keys: Record = {} if into is None else into
    token = _current.set(keys)
    try:
        yield keys
    finally:
        _current.reset(token)


class Tracked:
    """A content object that notes `key` (the file it came from) whenever a template or maker reads it."""

    __slots__ = ("_key", "_target")
    _key: Key
    _target: object

    def __init__(self, target: object, key: Key):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_key", key)

    def __getattr__(self, name: str) -> object:
        note(self._key)
        return getattr(self._target, name)

    def __repr__(self) -> str:
        return f"Tracked({self._target!r})"


class LazyHtml:
    """HTML a template may or may not print: recorded as read only when it is printed."""

    def __init__(self, html: str, key: Key):
        self._html, self._key = html, key

    def __html__(self) -> str:
        note(self._key)
        return self._html

    def __str__(self) -> str:
        return self.__html__()


class Sourced(Protocol):
    """A content object read from one project file (a partner, a talk)."""

    @property
    def source(self) -> str: ...


class Slugged(Sourced, Protocol):
    @property
    def slug(self) -> str: ...


class Dated(Protocol):
    """What build_moment reads of a kit."""

    @property
    def practice(self) -> _Practice: ...


class _Practice(Protocol):
    @property
    def availability(self) -> _Availability: ...


class _Availability(Protocol):
    @property
    def as_of(self) -> datetime.date: ...


class _Kit(Protocol):
    """What TrackedKit reads of a kit itself (content.model.Kit sits above this module)."""

    @property
    def practice(self) -> object: ...
    @property
    def config(self) -> object: ...
    @property
    def partners(self) -> Sequence[Sourced]: ...
    @property
    def talks(self) -> Sequence[Sourced]: ...


T = TypeVar("T")
S = TypeVar("S", bound=Sourced)


# The proxies below stand for the object they wrap: every attribute read answers with the target's value (or a
# proxy of it, which answers the same way), and the target's methods run with the proxy as `self`. So the
# functions that make them return the target's type (a cast, as the proxy is no subclass): a maker typed
# `kit: Kit` is checked against the Kit it reads. What a proxy cannot do is be the target: isinstance(),
# dataclasses.replace() and `is` see the proxy; `unwrap` gives the object itself where that matters.


@overload
def partner(obj: S) -> S: ...
@overload
def partner(obj: None) -> None: ...
@overload
def partner(obj: S | None) -> S | None: ...
def partner(obj: S | None) -> S | None:
    """A partner as documents see it: reading any of its fields records its file."""
    return None if obj is None else cast(S, Tracked(obj, file(obj.source)))


def unwrap(obj: T) -> T:
    """The object behind a proxy (the object itself if it is none)."""
    if isinstance(obj, Tracked):
        return cast(T, object.__getattribute__(obj, "_target"))
    if isinstance(obj, TrackedKit):
        return cast(T, object.__getattribute__(obj, "_kit"))
    return obj


class TrackedKit:
    """The kit as documents see it. Reading `practice`, `config`, `partners` or `talks` records their files; the
    kit's own methods run with this object as `self`, so what they read is recorded too; the VALUE_METHODS record
    their result for the partner they are asked about."""

    __slots__ = ("_kit",)
    _kit: _Kit

    def __init__(self, kit: object):
        object.__setattr__(self, "_kit", kit)

    def __getattr__(self, name: str) -> object:
        kit = self._kit
        if name in VALUE_METHODS:
            return functools.partial(_value, kit, name)
        if name == "practice":
            return Tracked(kit.practice, file(PRACTICE))
        if name == "config":
            return Tracked(kit.config, file(CONFIG))
        if name == "partners":
            note(file(f"{PARTNERS}/"))  # a partner added or removed changes the list
            for p in kit.partners:
                note(file(p.source))
            return [Tracked(p, file(p.source)) for p in kit.partners]
        if name == "talks":
            for t in kit.talks:
                note(file(t.source))
            note(file(f"{TALKS}/"))  # a talk added later may be chosen instead
            return kit.talks
        attribute = getattr(type(kit), name, None)
        if isinstance(attribute, property) and attribute.fget:
            return attribute.fget(self)  # what a derived value reads is recorded too
        if isinstance(attribute, functools.cached_property):
            return attribute.func(self)
        if callable(attribute):
            return functools.partial(attribute, self)
        return getattr(kit, name)


def _value(kit: object, method: str, who: Slugged) -> object:
    who = unwrap(who)
    key = value(method, who.slug)
    result: object = getattr(kit, method)(who)
    if method == "talk_for" and result is not None:
        return Tracked(result, key)  # recorded only if the document shows the talk: most pieces do not
    note(key)
    return result


def build_moment(kit: Dated) -> datetime.datetime:
    """The moment stamped into documents (see project.build_moment), recorded as an input of the document."""
    note(env("SOURCE_DATE_EPOCH"))
    return project.build_moment(kit.practice.availability.as_of)


def build_day() -> datetime.date:
    """The day letters and e-mails are dated (see project.build_day), recorded as an input of the document: a
    build on a later day renders them anew, dated that day; a build the same day leaves them as they are."""
    note(env("SOURCE_DATE_EPOCH"))
    note(TODAY)
    return project.build_day()


def kit(obj: T) -> T:
    """The kit as documents see it (TrackedKit), typed as the kit it stands for."""
    return obj if isinstance(obj, TrackedKit) else cast(T, TrackedKit(obj))
