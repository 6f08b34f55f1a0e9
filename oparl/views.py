"""The OParl 1.1 interface under /oparl/v1.1/: read-only JSON of the public record (R15), for
anyone, with the standard's paginated lists and their filters, CORS open for GET, and ETag and
Last-Modified (a conditional GET is answered 304 without building the response).

Lists live under the body (`/oparl/v1.1/body/rvn/meeting/`), objects under their kind
(`/oparl/v1.1/meeting/12/`). What is public is decided in `oparl.access`; the objects are built
in `oparl.objects`; `/oparl/` explains it all to people.
"""

import dataclasses
import functools
import json
import math
from collections.abc import Callable

from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django.utils.translation import override
from django.views.decorators.http import condition, require_safe

from protocols import public as archive

from . import access, objects, selectors

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_AGE = 300
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class BadRequest(Exception):
    """A parameter the standard defines, with a value it does not allow."""


def _changed_at(request, *args, **kwargs):
    if not hasattr(request, "_oparl_changed_at"):
        request._oparl_changed_at = selectors.changed_at()
    return request._oparl_changed_at


def _etag(request, *args, **kwargs):
    return archive.etag(_changed_at(request), "oparl", request.get_full_path())


def _json(data, status=200):
    body = json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _error(status, message):
    return _json({"type": "Error", "message": message}, status=status)


def endpoint(view):
    """JSON, Swedish texts whatever the visitor's cookie, validators, caching, CORS for GET."""

    @require_safe
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            with override("sv"):
                response = condition(etag_func=_etag, last_modified_func=_changed_at)(view)(
                    request, *args, **kwargs
                )
        except Http404:
            response = _error(404, "Objektet finns inte eller är inte offentligt.")
        except BadRequest as error:
            response = _error(400, str(error))
        if response.status_code in (200, 304):
            response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapper


# --- The kinds -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Kind:
    type_name: str
    rows: Callable  # all rows (a queryset or a list of selectors.Row)
    get: Callable  # rows, key -> one row or None
    build: Callable  # links, rows of a page -> [object]


def _queryset_get(rows, key):
    try:
        return rows.filter(pk=int(key)).first()
    except (TypeError, ValueError):
        return None


def _list_get(rows, key):
    return next((row for row in rows if row.key == key), None)


def _meetings(links, rows):
    rows = selectors.with_meeting_parts(rows)
    return [objects.meeting(links, row, location_key=selectors.location_key) for row in rows]


def _files(links, rows, *, checksums=False):
    rows = selectors.with_file_protocols(rows)
    return [
        objects.file_object(
            links,
            row,
            row.protocol,
            checksums=_checksums(row) if checksums else None,
        )
        for row in rows
    ]


def _checksums(document):
    """A PDF never changes once finished (one row per adjusted version): its checksums are
    computed once and cached by its SHA-256."""
    key = f"oparl:checksums:{document.sha256 or document.pk}"
    value = cache.get(key)
    if value is None:
        value = selectors.file_checksums(document)
        cache.set(key, value, None)
    return tuple(value)


def _locations(links, rows):
    return [
        objects.location_object(links, row.key, row.obj, meetings=row.related, row=row)
        for row in rows
    ]


KINDS = {
    "organization": Kind(
        "Organization",
        selectors.organizations,
        _list_get,
        lambda links, rows: [objects.organization(links, row) for row in rows],
    ),
    "person": Kind(
        "Person",
        selectors.persons,
        _queryset_get,
        lambda links, rows: [objects.person(links, row) for row in rows],
    ),
    "membership": Kind(
        "Membership",
        lambda: selectors.memberships(),
        _queryset_get,
        lambda links, rows: [objects.membership(links, row) for row in rows],
    ),
    "meeting": Kind("Meeting", selectors.meetings, _queryset_get, _meetings),
    "agenda-item": Kind(
        "AgendaItem",
        selectors.entries,
        _queryset_get,
        lambda links, rows: [objects.agenda_item(links, row) for row in rows],
    ),
    "paper": Kind(
        "Paper",
        selectors.positions,
        _queryset_get,
        lambda links, rows: [objects.paper(links, row) for row in rows],
    ),
    "consultation": Kind(
        "Consultation",
        selectors.positions,
        _queryset_get,
        lambda links, rows: [objects.consultation(links, row) for row in rows],
    ),
    "file": Kind("File", selectors.files, _queryset_get, _files),
    "location": Kind("Location", selectors.locations, _list_get, _locations),
    "legislative-term": Kind(
        "LegislativeTerm",
        selectors.legislative_terms,
        _list_get,
        lambda links, rows: [objects.legislative_term(links, row) for row in rows],
    ),
}


def _kind(name):
    kind = KINDS.get(name)
    if kind is None:
        raise Http404(name)
    return kind


# --- Views ---------------------------------------------------------------------------------------


@endpoint
def system(request):
    return _json(objects.system(objects.Links(request), changed=_changed_at(request)))


@endpoint
def body_list(request):
    links = objects.Links(request)
    data = [_body(request, links)]
    return _json(_page(request, links, data, total=1, page=1, limit=DEFAULT_LIMIT))


@endpoint
def body(request, body):
    if body != objects.BODY_KEY:
        raise Http404(body)
    links = objects.Links(request)
    return _json(_body(request, links))


def _body(request, links):
    councils = list(access.public_councils().values_list("pk", flat=True))
    created = None
    if councils:
        created = min(
            row.oparl_created for row in selectors.organizations() if row.key.startswith("council")
        )
    return objects.body(
        links,
        terms=selectors.legislative_terms(),
        created=created,
        changed=_changed_at(request),
    )


@endpoint
def object_list(request, body, kind):
    if body != objects.BODY_KEY:
        raise Http404(body)
    definition = _kind(kind)
    filters = _time_filters(request)
    limit = _int_parameter(request, "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
    page = _int_parameter(request, "page", 1)
    rows = selectors.apply_time_filters(definition.rows(), filters)
    # Deleted stubs are for clients that synchronise: listed when they ask for changes.
    if filters.get("modified_since") is None:
        rows = (
            [row for row in rows if not row.oparl_deleted]
            if isinstance(rows, list)
            else rows.filter(oparl_deleted=False)
        )
    total = len(rows) if isinstance(rows, list) else rows.count()
    start = (page - 1) * limit
    links = objects.Links(request)
    data = definition.build(links, rows[start : start + limit]) if start < total else []
    return _json(_page(request, links, data, total=total, page=page, limit=limit))


@endpoint
def object_detail(request, kind, key):
    definition = _kind(kind)
    row = definition.get(definition.rows(), key)
    if row is None:
        raise Http404(key)
    links = objects.Links(request)
    if kind == "file":
        (data,) = _files(links, [row], checksums=True)
    else:
        (data,) = definition.build(links, [row])
    return _json(data)


@require_safe
def download(request, pk):
    """A protocol's PDF/A as a download (the File's `downloadUrl`)."""
    document = _queryset_get(selectors.files(), pk)
    if document is None:
        raise Http404(pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type or "application/pdf",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def about(request):
    """/oparl/: what the interface is, in Swedish and English, with example requests."""
    links = objects.Links(request)
    context = {
        "system_url": links.system(),
        "body_url": links.body(),
        "meeting_url": links.list("meeting"),
        "paper_url": links.list("paper"),
        "example_since": timezone.localdate().replace(month=1, day=1).isoformat(),
    }
    response = render(request, "oparl/about.html", context)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


# --- Parameters and pagination -------------------------------------------------------------------


def _time_filters(request):
    filters = {}
    for name in FILTERS:
        raw = request.GET.get(name)
        if not raw:
            continue
        value = parse_datetime(raw.replace(" ", "+"))
        if value is None:
            as_date = parse_date(raw)
            if as_date is None:
                raise BadRequest(
                    f"{name} ska vara en tidpunkt enligt ISO 8601, t.ex. 2026-01-01T00:00:00+01:00."
                )
            value = timezone.make_aware(
                timezone.datetime.combine(as_date, timezone.datetime.min.time())
            )
        elif timezone.is_naive(value):
            value = timezone.make_aware(value)
        filters[name] = value
    return filters


def _int_parameter(request, name, default, *, maximum=None):
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} ska vara ett heltal.") from None
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" och högst {maximum}" if maximum else ""
        raise BadRequest(f"{name} ska vara minst 1{limit}.")
    return value


def _page_url(request, page):
    query = request.GET.copy()
    query["page"] = page
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")


def _page(request, links, data, *, total, page, limit):
    pages = max(1, math.ceil(total / limit))
    result_links = {"first": _page_url(request, 1), "last": _page_url(request, pages)}
    if page > 1:
        result_links["prev"] = _page_url(request, min(page - 1, pages))
    if page < pages:
        result_links["next"] = _page_url(request, page + 1)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": limit,
            "currentPage": page,
            "totalPages": pages,
        },
        "links": result_links,
    }
