"""Reads for the minute-taking page and the protocol document, in a fixed number of queries
whatever the number of entries and attendees (pinned in the tests and in bench/protocols.py)."""

from itertools import groupby

from django.db.models import Prefetch
from django.utils import timezone

from councils.models import Membership, Organisation
from meetings.models import ItemReview

from . import canonical
from .models import Attendance, Dissent, Protocol, Signatory


def entries(protocol):
    return list(
        protocol.entries.select_related(
            "agenda_item", "returned_proposal", "focus_area", "target_area", "influence_issue"
        )
        .prefetch_related(
            Prefetch("dissents", queryset=Dissent.objects.order_by("recorded_at", "id")),
            "withdrawn_dissents",
            "home_decisions",
        )
        .order_by("number")
    )


def attendance(protocol):
    return list(protocol.attendance.all())


def capacity_rank(row):
    return Attendance.CAPACITY_ORDER.index(row.capacity)


def attendance_groups(rows):
    """Present people grouped by capacity, then organisation (the protocol's list)."""
    present = sorted(
        (r for r in rows if r.present),
        key=lambda r: (capacity_rank(r), r.organisation_name, r.name),
    )
    return [
        {"capacity": Attendance.Capacity(capacity).label, "rows": list(group)}
        for capacity, group in groupby(present, key=lambda r: r.capacity)
    ]


def representation_gaps(protocol, rows, *, number=None):
    """R2 against attendance, not seats: the municipalities and the region of a Regionala
    samverkansrådet meeting that lack a present majority or opposition member (at § `number`,
    or now: anyone marked present). [(organisation name, [missing side labels])]."""
    if protocol.council.kind != protocol.council.Kind.REGIONAL:
        return []
    seats = (
        Membership.objects.current(on=timezone.localtime(protocol.meeting.starts_at).date())
        .filter(
            council=protocol.council,
            role__in=Membership.POSITION_ROLES,
            organisation__kind__in=Organisation.ELECTED_SEAT_KINDS,
        )
        .values_list("organisation_id", "organisation__name")
        .distinct()
    )
    present = {
        (r.organisation_id, r.side)
        for r in rows
        if r.takes_part_in_positions and (r.present_at(number) if number is not None else r.present)
    }
    sides = (Membership.Side.MAJORITY, Membership.Side.OPPOSITION)
    gaps = []
    for organisation_id, name in sorted(set(seats), key=lambda s: s[1]):
        missing = [side.label for side in sides if (organisation_id, side) not in present]
        if missing:
            gaps.append((name, missing))
    return gaps


def expected_dissents_by_item(protocol):
    """{agenda item id: [ItemReview]} of the expected dissents before the meeting (R11)."""
    reviews = ItemReview.objects.filter(
        item__meeting_id=protocol.meeting_id, expects_dissent=True
    ).select_related("organisation")
    result = {}
    for review in reviews:
        result.setdefault(review.item_id, []).append(review)
    return result


def paragraph_range(entry_list):
    numbers = [e.number for e in entry_list]
    return (min(numbers), max(numbers)) if numbers else (None, None)


def document(protocol, *, signatories=None):
    """Everything the protocol document shows (templates/protocols/document.html). Once sent
    for justering, the chair and the adjusters who sign on paper are marked `signs_on_paper`
    (one query for `signatories` unless given; a draft has none)."""
    entry_list = entries(protocol)
    rows = attendance(protocol)
    if signatories is None:
        signatories = [] if protocol.is_draft else list(protocol.signatories.all())
    on_paper = {s.attendance_id for s in signatories if s.on_paper}
    for row in rows:
        row.signs_on_paper = row.pk in on_paper
    first, last = paragraph_range(entry_list)
    chair = next(
        (
            r
            for r in sorted(rows, key=capacity_rank)
            if r.present
            and r.capacity in (Attendance.Capacity.CHAIR, Attendance.Capacity.VICE_CHAIR)
        ),
        None,
    )
    return {
        "protocol": protocol,
        "meeting": protocol.meeting,
        "entries": entry_list,
        "first_number": first,
        "last_number": last,
        "attendance_groups": attendance_groups(rows),
        "absent": [r for r in rows if not r.present],
        "adjusters": [r for r in rows if r.is_adjuster],
        "chair": chair,
        "secretaries": [
            r for r in rows if r.present and r.capacity == Attendance.Capacity.SECRETARY
        ],
    }


def minute_page(protocol):
    """The minute-taking page: the document's content, with the expected dissents beside each
    position entry, who may be chosen (present members per §) and the R2 check."""
    context = document(protocol)
    expected = expected_dissents_by_item(protocol)
    all_rows = [r for group in context["attendance_groups"] for r in group["rows"]]
    for entry in context["entries"]:
        handled = {d.review_id for d in entry.dissents.all()} | {
            w.review_id for w in entry.withdrawn_dissents.all()
        }
        entry.expected_open = [
            r for r in expected.get(entry.agenda_item_id, []) if r.pk not in handled
        ]
        entry.members_present = [
            r for r in all_rows if r.takes_part_in_positions and r.present_at(entry.number)
        ]
        for review in entry.expected_open:
            # Who can raise it: the organisation's members present at this § (R11).
            review.members_present = [
                r for r in entry.members_present if r.organisation_id == review.organisation_id
            ]
        entry.outcome_options = entry.outcome_choices
        counts = {"yes": 0, "no": 0, "undetermined": 0}
        for decision in entry.home_decisions.all():
            counts[decision.expected] += 1
        entry.home_counts = counts
    context["gaps"] = representation_gaps(protocol, all_rows)
    return context


# --- Justering ----------------------------------------------------------------------------------


def versions(protocol):
    """Every version of the meeting's protocol, oldest first (the original and its
    corrections)."""
    return list(
        Protocol.objects.filter(meeting=protocol.meeting_id)
        .only("id", "meeting_id", "version", "status", "adjusted_at", "corrects_id")
        .order_by("version")
    )


def justering_page(protocol):
    """The justering page: the document, each §'s comments, the signatories and the checksum
    of the content shown (what an approval posts back)."""
    signatories = list(protocol.signatories.all())
    context = document(protocol, signatories=signatories)
    comments = {}
    for comment in protocol.justering_comments.order_by("created_at", "id"):
        comments.setdefault(comment.entry_id, []).append(comment)
    for entry in context["entries"]:
        entry.comments = comments.get(entry.pk, [])
    context["signatories"] = signatories
    context["checksum"] = canonical.checksum(protocol)
    context["versions"] = versions(protocol)
    context["open_comments"] = sum(
        1 for rows in comments.values() for comment in rows if not comment.is_answered
    )
    return context


def justering_log(protocol):
    return list(protocol.justering_events.for_log())


def awaiting_adjustment(*, today=None):
    """For the secretariat's start page: protocols out for justering, the overdue first, each
    with its signatories."""
    today = today or timezone.localdate()
    protocols = list(
        Protocol.objects.awaiting_adjustment()
        .select_related("meeting", "council")
        .prefetch_related("signatories")
        .order_by("adjust_by", "id")
    )
    for protocol in protocols:
        protocol.overdue = protocol.adjust_by < today
    return protocols


def pending_signatures(person):
    """For a chair's or an adjuster's start page: the protocols waiting for their approval."""
    if person is None:
        return []
    return list(
        Signatory.objects.filter(
            person=person,
            approved_at__isnull=True,
            protocol__status=Protocol.Status.SENT_FOR_ADJUSTMENT,
        )
        .select_related("protocol__meeting", "protocol__council")
        .order_by("protocol__adjust_by", "id")
    )
