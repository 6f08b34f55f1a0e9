"""The reads behind the OParl interface: one queryset (or, for the few small kinds, one list)
per object type, each row annotated with `oparl_created`, `oparl_modified` and
`oparl_deleted`, so that the list filters of the standard (`created_since`, `modified_until`, …)
run in the database and a page costs the same number of queries whatever its number.

Everything starts from `oparl.access`: only the public record (R15).
"""

import dataclasses
import datetime
import hashlib

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Greatest

from councils.models import Council, Membership, Organisation, Person
from meetings.models import Meeting
from protocols import public as archive
from protocols.documents import PDF_KIND
from protocols.models import Attendance, Protocol, ProtocolEntry
from rus.documents.models import RenderedDocument
from rus.models import StrategicPlan, Strategy

from . import access

FAR_PAST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _history_bound(model, aggregate, *, key="id"):
    """The first or last change of a row in its simple_history table, as a subquery."""
    history = model.history.model
    return Subquery(
        history.objects.filter(**{key: OuterRef("pk")})
        .values(key)
        .annotate(at=aggregate("history_date"))
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _correction_adjusted_at(prefix):
    """When an adjusted correction replaced the protocol (null while none has)."""
    return Subquery(
        Protocol.objects.filter(corrects=OuterRef(f"{prefix}pk"), status=Protocol.Status.ADJUSTED)
        .order_by("adjusted_at")
        .values("adjusted_at")[:1],
        output_field=DateTimeField(),
    )


# --- Meetings, agenda items, papers, consultations, files ----------------------------------------


def meetings():
    """Published meetings, oldest first; modified when the meeting or a protocol of it changed."""
    last_adjusted = Subquery(
        access.public_protocols()
        .filter(meeting=OuterRef("pk"))
        .values("meeting")
        .annotate(at=Max("adjusted_at"))
        .values("at")[:1],
        output_field=DateTimeField(),
    )
    return (
        access.public_meetings()
        .select_related("council")
        .annotate(
            oparl_created=F("created_at"),
            oparl_modified=Greatest("updated_at", Coalesce(last_adjusted, "updated_at")),
            oparl_deleted=Value(False, output_field=BooleanField()),
        )
        .order_by("starts_at", "pk")
    )


def with_meeting_parts(meeting_rows):
    """Each meeting with its public protocols (current first), the current one's §, those
    present, and the PDFs: a fixed number of queries for a page of meetings."""
    meeting_rows = list(meeting_rows)
    protocols = list(
        access.public_protocols()
        .filter(meeting__in=[m.pk for m in meeting_rows])
        .annotate(superseded=access.superseded_filter())
        .prefetch_related(
            Prefetch("entries", queryset=ProtocolEntry.objects.order_by("number", "pk")),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(present=True, person__isnull=False).order_by(
                    "person_id"
                ),
            ),
        )
        .order_by("-version")
    )
    documents = archive.pdf_documents(protocols)
    by_meeting = {}
    for protocol in protocols:
        protocol.pdf = documents.get(protocol.pk)
        by_meeting.setdefault(protocol.meeting_id, []).append(protocol)
    for meeting in meeting_rows:
        versions = by_meeting.get(meeting.pk, [])
        meeting.current_protocol = next((p for p in versions if not p.superseded), None)
        meeting.earlier_protocols = [p for p in versions if p.superseded]
    return meeting_rows


def entries():
    """Every § of a public protocol; those of a replaced version are deleted stubs, modified
    when the correction that replaced them was adjusted."""
    replaced_at = _correction_adjusted_at("protocol__")
    return (
        access.public_entries()
        .select_related("protocol__meeting", "protocol__council")
        .annotate(
            oparl_created=F("protocol__adjusted_at"),
            oparl_modified=Coalesce(replaced_at, "protocol__adjusted_at"),
            oparl_deleted=access.superseded_filter("protocol__"),
        )
        .order_by("pk")
    )


def positions():
    """The positions taken (R10): each a Paper with its Consultation."""
    return entries().filter(outcome=ProtocolEntry.Outcome.CONSENSUS, struck=False)


def files():
    """The finished PDF/A of each public protocol."""
    keys = access.public_protocols().annotate(key=Cast("pk", CharField())).values("key")
    return (
        RenderedDocument.objects.done()
        .filter(kind=PDF_KIND, object_key__in=keys)
        .annotate(
            oparl_created=Coalesce("finished_at", "created_at"),
            oparl_modified=F("updated_at"),
            oparl_deleted=Value(False, output_field=BooleanField()),
        )
        .order_by("pk")
    )


def with_file_protocols(documents):
    """Each PDF with the protocol (and meeting) it renders: one query."""
    documents = list(documents)
    protocols = access.public_protocols().select_related("meeting", "council")
    by_key = {str(p.pk): p for p in protocols.filter(pk__in=[int(d.object_key) for d in documents])}
    for document in documents:
        document.protocol = by_key.get(document.object_key)
    return documents


def file_checksums(document):
    """SHA-1 (the standard's `sha1Checksum`) and SHA-512 of the stored file."""
    sha1, sha512 = hashlib.sha1(usedforsecurity=False), hashlib.sha512()
    with document.file.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 16), b""):
            sha1.update(chunk)
            sha512.update(chunk)
    return sha1.hexdigest(), sha512.hexdigest()


# --- People, memberships, organisations ----------------------------------------------------------


def persons():
    """People present at a published meeting; created when first published, modified when
    published again or their name changed."""
    attended = access.public_attendance().filter(person=OuterRef("pk")).values("person")
    first = Subquery(
        attended.annotate(at=Min("protocol__adjusted_at")).values("at")[:1],
        output_field=DateTimeField(),
    )
    last = Subquery(
        attended.annotate(at=Max("protocol__adjusted_at")).values("at")[:1],
        output_field=DateTimeField(),
    )
    return (
        access.public_persons()
        .annotate(
            oparl_created=first,
            oparl_modified=Greatest(last, Coalesce(_history_bound(Person, Max), last)),
            oparl_deleted=Value(False, output_field=BooleanField()),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=memberships().select_related("council", "organisation"),
                to_attr="public_memberships",
            )
        )
        .order_by("pk")
    )


def memberships():
    created = _history_bound(Membership, Min)
    return (
        access.public_memberships()
        .annotate(
            oparl_created=Coalesce(created, Value(FAR_PAST)),
            oparl_modified=Coalesce(_history_bound(Membership, Max), created, Value(FAR_PAST)),
            oparl_deleted=Value(False, output_field=BooleanField()),
        )
        .order_by("pk")
    )


@dataclasses.dataclass
class Row:
    """One object of a kind that is listed from Python (few rows: councils and member
    organisations, places, strategy periods)."""

    key: str
    obj: object
    oparl_created: datetime.datetime
    oparl_modified: datetime.datetime
    oparl_deleted: bool = False
    related: list = dataclasses.field(default_factory=list)


def _history_range(model, ids):
    """{pk: (first change, last change)} of rows in their history tables: one query."""
    rows = (
        model.history.model.objects.filter(id__in=ids)
        .values("id")
        .annotate(first=Min("history_date"), last=Max("history_date"))
    )
    return {row["id"]: (row["first"], row["last"]) for row in rows}


def organizations():
    """The councils that publish (Gremium) and the member organisations seated in them
    (Institution), each with the memberships that belong to it."""
    councils = list(access.public_councils().order_by("kind", "name"))
    organisations = list(access.public_organisations().order_by("name"))
    seats = list(memberships().values("pk", "council_id", "organisation_id"))
    council_times = _history_range(Council, [c.pk for c in councils])
    organisation_times = _history_range(Organisation, [o.pk for o in organisations])
    rows = []
    for council in councils:
        first, last = council_times.get(council.pk, (FAR_PAST, FAR_PAST))
        related = [s["pk"] for s in seats if s["council_id"] == council.pk]
        rows.append(Row(f"council-{council.pk}", council, first, last, related=related))
    for organisation in organisations:
        first, last = organisation_times.get(organisation.pk, (FAR_PAST, FAR_PAST))
        related = [s["pk"] for s in seats if s["organisation_id"] == organisation.pk]
        rows.append(
            Row(f"organisation-{organisation.pk}", organisation, first, last, related=related)
        )
    return rows


def organization(key):
    return next((row for row in organizations() if row.key == key), None)


# --- Places and strategy periods -----------------------------------------------------------------


def location_key(place):
    """A stable identifier of a meeting place: the place text has no row of its own."""
    return hashlib.sha256(place.strip().casefold().encode()).hexdigest()[:16]


def locations():
    """The places of published meetings, each with its meetings."""
    rows = {}
    for meeting in (
        meetings()
        .exclude(place="")
        .select_related(None)
        .only("pk", "place", "created_at", "updated_at", "starts_at")
    ):
        key = location_key(meeting.place)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key, meeting.place, meeting.oparl_created, meeting.oparl_modified)
        row.oparl_created = min(row.oparl_created, meeting.oparl_created)
        row.oparl_modified = max(row.oparl_modified, meeting.oparl_modified)
        row.related.append(meeting.pk)
    return list(rows.values())


def legislative_terms():
    """The strategy's period (RUS 2020–2030) and each adopted plan's year (R13)."""
    strategies = list(Strategy.objects.order_by("start_year", "pk"))
    plans = list(
        StrategicPlan.objects.filter(status=StrategicPlan.Status.ADOPTED)
        .select_related("strategy")
        .order_by("year", "pk")
    )
    strategy_times = _history_range(Strategy, [s.pk for s in strategies])
    plan_times = _history_range(StrategicPlan, [p.pk for p in plans])
    rows = []
    for strategy in strategies:
        first, last = strategy_times.get(strategy.pk, (FAR_PAST, FAR_PAST))
        rows.append(Row(f"strategy-{strategy.pk}", strategy, first, last))
    for plan in plans:
        first, last = plan_times.get(plan.pk, (FAR_PAST, FAR_PAST))
        rows.append(Row(f"plan-{plan.pk}", plan, first, last))
    return rows


# --- When anything changed (ETag, Last-Modified) -------------------------------------------------


def changed_at():
    """When anything the interface shows last changed: what the archive's validators follow
    (protocols, councils, PDFs), and the people, seats, organisations, meetings and plans."""
    moments = [
        archive.changed_at(),
        Person.history.aggregate(at=Max("history_date"))["at"],
        Membership.history.aggregate(at=Max("history_date"))["at"],
        Organisation.history.aggregate(at=Max("history_date"))["at"],
        Meeting.objects.aggregate(at=Max("updated_at"))["at"],
        StrategicPlan.history.aggregate(at=Max("history_date"))["at"],
    ]
    moments = [m for m in moments if m is not None]
    return max(moments) if moments else None


def apply_time_filters(rows, filters):
    """The standard's `created_since`, `created_until`, `modified_since`, `modified_until`,
    on a queryset (in the database) or a list of `Row`s."""
    lookups = {
        "created_since": ("oparl_created", "gte"),
        "created_until": ("oparl_created", "lte"),
        "modified_since": ("oparl_modified", "gte"),
        "modified_until": ("oparl_modified", "lte"),
    }
    if isinstance(rows, list):
        for name, (field, op) in lookups.items():
            moment = filters.get(name)
            if moment is not None:
                rows = [
                    r
                    for r in rows
                    if (getattr(r, field) >= moment if op == "gte" else getattr(r, field) <= moment)
                ]
        return rows
    condition = Q()
    for name, (field, op) in lookups.items():
        moment = filters.get(name)
        if moment is not None:
            condition &= Q(**{f"{field}__{op}": moment})
    return rows.filter(condition)
