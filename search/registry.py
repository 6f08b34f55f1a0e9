"""What is searched: each owning app registers its kinds here from its `AppConfig.ready()`.

`search` is the bottom layer (docs/architecture.md#search): it imports no other app. An app
that wants its rows found registers a `Kind`:

- `documents(pks)`: the one selector of that kind — reads the app's own tables and yields plain
  `Document`s for the given ids (every row when `pks` is None);
- `visible(user)`: a `Q` on `SearchDocument`'s columns for the rows `user` may see, built from
  the app's own `access.py`, so search shows exactly what the pages show (R15 for the public);
- `link(user, document)`: where a result leads this user (optional; `document.url` by default).

Files (an attachment's upload, a rendered PDF) register a `FileSource`: `open(pk)` returns the
file, its name, and the (kind, id) of the document to refresh once its text is extracted.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q


@dataclass
class Document:
    """Plain data for one `SearchDocument` row."""

    kind: str
    object_id: int
    title: str
    emphasis: str = ""
    body: str = ""
    body_weight: str = "C"
    url: str = ""
    public_url: str = ""
    context: str = ""
    council_id: int | None = None
    meeting_id: int | None = None
    protocol_id: int | None = None
    presenter_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    focus_area_id: int | None = None
    year: int | None = None
    date: datetime.date | None = None


def _default_link(user, document):
    return document.url


@dataclass
class Kind:
    name: str
    label: str  # plural, for the filter and the counts ("Paragrafer")
    singular: str  # for a result ("Paragraf")
    documents: Callable[[Iterable[int] | None], Iterable[Document]]
    visible: Callable[[object], Q]
    link: Callable = field(default=_default_link)
    order: int = 100


@dataclass
class OpenedFile:
    file: object  # a Django File / FieldFile, opened by the caller
    name: str
    document_kind: str
    document_id: int


@dataclass
class FileSource:
    name: str
    open: Callable[[int], OpenedFile | None]
    pks: Callable[[], Iterable[int]]  # every file of this source (for a full rebuild)


_kinds: dict[str, Kind] = {}
_file_sources: dict[str, FileSource] = {}


def register(kind):
    _kinds[kind.name] = kind


def register_file_source(source):
    _file_sources[source.name] = source


def kinds():
    return sorted(_kinds.values(), key=lambda kind: kind.order)


def get(name):
    return _kinds[name]


def file_source(name):
    return _file_sources[name]


def file_sources():
    return list(_file_sources.values())


NOTHING = Q(pk__in=[])


@dataclass
class Filter:
    """A filter of the results page whose choices belong to another app (councils, focus
    areas): `choices(user)` returns [(id, label)] or grouped [(group, [(id, label)])]."""

    name: str
    label: str
    choices: Callable


_filters: dict[str, Filter] = {}


def register_filter(search_filter):
    _filters[search_filter.name] = search_filter


def filter_choices(name, user):
    search_filter = _filters.get(name)
    return list(search_filter.choices(user)) if search_filter is not None else []
