"""Reads for the meeting list, the meeting page and the start page (R4, R6–R8, R12)."""

from django.db.models import Max, Prefetch, Q

from councils.access import roles_for
from councils.models import Council
from meetings import access
from meetings.access import Action
from meetings.models import Attachment, AttachmentVersion, Meeting


def agenda_items(meeting):
    """Everything the agenda page and the PDF show, in a fixed number of queries."""
    return (
        meeting.items.select_related(
            "focus_area",
            "target_area",
            "influence_issue",
            "presenter__organisation",
            "proposing_organisation",
        )
        .prefetch_related(
            "goals",
            "dimensions",
            Prefetch(
                "attachments",
                queryset=Attachment.objects.order_by("created_at", "id").prefetch_related(
                    Prefetch("versions", queryset=AttachmentVersion.objects.order_by("-number"))
                ),
            ),
        )
        .order_by("position", "id")
    )


def agenda_item(meeting, item_pk):
    """One item with what its page shows."""
    item = agenda_items(meeting).get(pk=item_pk)
    item.meeting = meeting
    return item


def meeting_page(user, meeting):
    """The meeting page: the items the user may read, what they may do, and the approval panel.

    A fixed number of queries whatever the size of the agenda (pinned in the tests).
    """
    items = list(access.visible_items(user, meeting, agenda_items(meeting)))
    may = access.rights(user, meeting)
    movable = [item for item in items if not item.is_standing]
    for item in movable:
        item.can_move_up = item is not movable[0]
        item.can_move_down = item is not movable[-1]
    return {
        "meeting": meeting,
        "items": items,
        "may": may,
        "approval_problems": (
            meeting.approval_problems(items)
            if may[Action.PREPARE_AGENDA] or may[Action.APPROVE_AGENDA]
            else []
        ),
        "unprepared_items": [i for i in items if not i.is_standing and not i.is_prepared],
        "preparable_items": [i for i in items if not i.is_standing],
        "total_minutes": sum(item.estimated_minutes for item in items),
    }


def agenda_fragment_state(user, meeting, may):
    """Everything the meeting page's cached agenda and approval fragments show, as plain values:
    their cache key (rus.fragments). Two queries whatever the size of the agenda.

    Each item's version (raised by every save of its content, goals and dimensions included),
    its place and marks, and the versions of the registers' rows it names; each attachment's
    title and current file; the meeting's and its council's state; and the reader's rights on
    the agenda (a presenter who may not read the agenda sees only their own items)."""
    items = list(
        meeting.items.order_by("position", "id").values_list(
            "pk",
            "version",
            "position",
            "is_prepared",
            "changed_after_approval",
            "presenter__version",
            "presenter__organisation__version",
            "proposing_organisation__version",
            "focus_area__version",
            "target_area__version",
            "influence_issue__version",
        )
    )
    attachments = list(
        Attachment.objects.filter(item__meeting=meeting)
        .annotate(current=Max("versions__pk"))
        .order_by("pk")
        .values_list("pk", "item_id", "title", "current")
    )
    # The same rows make the kallelse's version key (meetings.documents.version_key): read once
    # for the page's panels. Only this read-only request sees them; a write reads afresh.
    meeting.agenda_rows = ([row[:3] for row in items], attachments)
    prepared_by = meeting.agenda_prepared_by  # shown by name: the person's version too
    prepared_by_person = getattr(prepared_by, "person", None)
    roles = roles_for(user)
    rights = [
        may[Action.READ_AGENDA],
        may[Action.PREPARE_AGENDA],
        may[Action.APPROVE_AGENDA],
        roles.is_secretariat,  # told when the council lets only its chair approve
    ]
    if not may[Action.READ_AGENDA]:
        rights.append(roles.person and roles.person.pk)
    return [
        [meeting.pk, meeting.version, meeting.status, meeting.updated_at],
        [meeting.council_id, meeting.council.version],  # its setting: who approves
        [meeting.agenda_prepared_at, meeting.agenda_prepared_by_id],
        [prepared_by_person and [prepared_by_person.pk, prepared_by_person.version]],
        rights,
        [list(row) for row in items],
        [list(row) for row in attachments],
    ]


def meeting_list(user, *, when):
    """Coming (or, with when="tidigare", earlier) meetings the user may read, each with the
    number of items they may read."""
    meetings = (
        access.visible_meetings(user)
        .select_related("council")
        .annotate(item_count=access.visible_item_count(user))
    )
    if when == "tidigare":
        return meetings.past().order_by("-starts_at")
    return meetings.upcoming().order_by("starts_at")


def councils_to_filter_by(roles):
    """The councils whose meetings the list can be narrowed to: the user's own, or all of them
    for those who prepare every agenda."""
    councils = Council.objects.exclude(kind=Council.Kind.PREPARATION)
    if not roles.prepares_agendas:
        councils = councils.filter(pk__in=roles.council_ids)
    return councils


def upcoming_meetings(user, limit=5):
    """The next meetings the user may see (start page)."""
    meetings = access.visible_meetings(user).upcoming().select_related("council")
    return list(meetings.order_by("starts_at")[:limit])


def agendas_awaiting_approval(user):
    """Agendas the RUS group has handed over ("Beredd för ordföranden") that this user may
    approve: the chair's own councils, for the secretariat every council that lets it approve
    for the chair (start page, R7; `Council.secretariat_may_approve_for_chair`)."""
    roles = roles_for(user)
    if not roles.is_secretariat and not roles.chair_council_ids:
        return []
    meetings = (
        Meeting.objects.upcoming()
        .filter(status__in=Meeting.DRAFT_STATUSES, agenda_prepared_at__isnull=False)
        .select_related("council")
        .order_by("starts_at")
    )
    own = Q(council_id__in=roles.chair_council_ids)
    if roles.is_secretariat:
        meetings = meetings.filter(own | Q(council__secretariat_may_approve_for_chair=True))
    else:
        meetings = meetings.filter(own)
    return list(meetings)
