"""Reads for the public archive (R15): the councils that publish, their adjusted protocols by
year, every position taken, and when any of it last changed (Last-Modified / ETag).

Only what `access.public_protocols()` lets through: adjusted protocols of councils that publish
them. Never a draft, a protocol out for justering, a proposal, a review answer, an agenda
document or attachment, or anyone's contact details: the protocol names those present with
their organisation and capacity, nothing more (GDPR; elected officials' names are public).
Each read runs a fixed number of queries whatever the size of the archive (pinned in
tests/protocols/test_public_archive.py and bench/archive.py).
"""

import dataclasses
import datetime
import hashlib
from itertools import groupby

from django.db.models import Count, Max, Min
from django.shortcuts import get_object_or_404
from django.utils import timezone

from councils.models import Council
from rus.documents.models import RenderedDocument
from rus.models import FocusArea

from . import access, selectors
from .documents import PDF_KIND
from .models import Protocol, ProtocolEntry

POSITIONS_PER_PAGE = 50


def councils():
    """The councils that publish, each with its number of public protocols and their years."""
    public = access.public_protocols()
    years = {}
    for council_id, year in public.values_list("council_id", "year").distinct():
        years.setdefault(council_id, set()).add(year)
    rows = list(
        Council.objects.filter(publishes_protocols=True)
        .annotate(
            public_count=Count(
                "protocols", filter=access.public_protocol_filter(prefix="protocols__")
            )
        )
        .order_by("kind", "name")
    )
    for council in rows:
        council.public_years = sorted(years.get(council.pk, ()), reverse=True)
    return rows


def get_council(slug):
    """A council that publishes its protocols (404 for any other)."""
    return get_object_or_404(Council, slug=slug, publishes_protocols=True)


def _with_range(protocols):
    """Each protocol with its first and last § and its meeting, in three queries at most."""
    protocols = list(protocols)
    ranges = {
        row["protocol_id"]: (row["first"], row["last"])
        for row in ProtocolEntry.objects.filter(protocol__in=[p.pk for p in protocols])
        .values("protocol_id")
        .annotate(first=Min("number"), last=Max("number"))
    }
    documents = pdf_documents(protocols)
    for protocol in protocols:
        protocol.first_number, protocol.last_number = ranges.get(protocol.pk, (None, None))
        protocol.pdf = documents.get(protocol.pk)
    return protocols


def pdf_documents(protocols):
    """{protocol id: its finished PDF} for the protocols given (one query)."""
    keys = [str(p.pk) for p in protocols]
    rows = RenderedDocument.objects.done().filter(kind=PDF_KIND, object_key__in=keys)
    return {int(row.object_key): row for row in rows.order_by("object_key", "created_at")}


def council_protocols(council):
    """The council's public protocols, newest first, grouped by year: [(year, [protocol])]."""
    protocols = _with_range(
        access.public_protocols()
        .filter(council=council)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "-pk")
    )
    return [(year, list(group)) for year, group in groupby(protocols, key=lambda p: p.year)]


def latest_protocols(limit=10):
    return _with_range(
        access.public_protocols()
        .select_related("meeting", "council")
        .order_by("-meeting__starts_at", "-pk")[:limit]
    )


def protocol_page(protocol):
    """The public protocol page: the document (the same template as the PDF) and its PDF."""
    context = selectors.document(protocol)
    context["pdf"] = pdf_documents([protocol]).get(protocol.pk)
    context["published_at"] = published_at(protocol)
    # A correction (rättelse) and the version it corrects are both public, linked both ways.
    context["versions"] = list(
        access.public_protocols().filter(meeting=protocol.meeting_id).order_by("version")
    )
    context["corrected_by"] = next(
        (v for v in context["versions"] if v.corrects_id == protocol.pk), None
    )
    context["corrects"] = next(
        (v for v in context["versions"] if v.pk == protocol.corrects_id), None
    )
    return context


def published_at(protocol):
    """When the protocol became final: its justering, else the end of its meeting."""
    return timezone.localtime(protocol.adjusted_at or protocol.meeting.ends_at)


@dataclasses.dataclass(frozen=True)
class PositionFilter:
    council: Council | None = None
    year: int | None = None
    focus_area: FocusArea | None = None


def positions_queryset(filters=None):
    """Every position taken (ställningstagande, R10) in a public protocol, newest first."""
    filters = filters or PositionFilter()
    # A position stands as the newest adjusted version has it: a corrected protocol's
    # positions are read from its correction.
    current = access.public_protocols().exclude(corrections__status=Protocol.Status.ADJUSTED)
    entries = ProtocolEntry.objects.filter(
        protocol__in=current,
        outcome=ProtocolEntry.Outcome.CONSENSUS,
        struck=False,
    )
    if filters.council is not None:
        entries = entries.filter(council=filters.council)
    if filters.year is not None:
        entries = entries.filter(year=filters.year)
    if filters.focus_area is not None:
        entries = entries.filter(focus_area=filters.focus_area)
    return entries.select_related("protocol__meeting", "council", "focus_area").order_by(
        "-protocol__meeting__starts_at", "-number", "-pk"
    )


def position_filter_choices():
    """What the filter form offers: councils that publish, years and focus areas in use."""
    positions = positions_queryset()
    years = sorted(set(positions.values_list("year", flat=True)), reverse=True)
    focus_ids = set(positions.exclude(focus_area=None).values_list("focus_area_id", flat=True))
    focus_areas = list(
        FocusArea.objects.filter(pk__in=focus_ids).select_related("plan").order_by("title")
    )
    return {
        "councils": list(Council.objects.filter(publishes_protocols=True).order_by("kind", "name")),
        "years": years,
        "focus_areas": focus_areas,
    }


# --- Last-Modified and ETag -----------------------------------------------------------------------


def changed_at():
    """When anything the public archive shows last changed: a protocol adjusted (or any
    change recorded in a protocol's history), a council's publishing setting, a PDF finished.
    Three aggregate queries; None for an empty archive."""
    moments = [
        Protocol.history.aggregate(at=Max("history_date"))["at"],
        Council.history.aggregate(at=Max("history_date"))["at"],
        RenderedDocument.objects.filter(kind=PDF_KIND).aggregate(at=Max("updated_at"))["at"],
    ]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


def etag(moment, language, path):
    """A strong validator of a page: what it was built from (to the microsecond, finer than
    Last-Modified's seconds), in which language, where."""
    stamp = moment.isoformat() if isinstance(moment, datetime.datetime) else "tom"
    return hashlib.sha256(f"{stamp}|{language}|{path}".encode()).hexdigest()[:32]
