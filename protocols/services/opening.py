"""Opening the minutes: the meeting moves to held, entries in agenda order, attendance from
the invitation replies (R8)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from councils.models import Membership
from meetings.models import AgendaItem, Invitation, Meeting
from meetings.services import agenda as agenda_services
from protocols import numbering
from protocols.models import (
    Attendance,
    Protocol,
    ProtocolEntry,
)

from .common import (
    AGENDA_APPROVED_TEXT,
    NOTED_TEXT,
    attendance_snapshot,
    author_of,
    recorded_by,
    rus_label,
)

ROLE_CAPACITY = {
    Membership.Role.CHAIR: Attendance.Capacity.CHAIR,
    Membership.Role.VICE_CHAIR: Attendance.Capacity.VICE_CHAIR,
    Membership.Role.MEMBER: Attendance.Capacity.MEMBER,
    Membership.Role.ADJUNCT: Attendance.Capacity.ADJUNCT,
    Membership.Role.SPEAKING_RIGHT: Attendance.Capacity.SPEAKING_RIGHT,
    Membership.Role.SECRETARY: Attendance.Capacity.SECRETARY,
    Membership.Role.PREPARATION: Attendance.Capacity.OTHER,
}
INVITATION_CAPACITY = {
    Invitation.Capacity.CHAIR: Attendance.Capacity.CHAIR,
    Invitation.Capacity.VICE_CHAIR: Attendance.Capacity.VICE_CHAIR,
    Invitation.Capacity.MEMBER: Attendance.Capacity.MEMBER,
    Invitation.Capacity.ADJUNCT: Attendance.Capacity.ADJUNCT,
    Invitation.Capacity.SPEAKING_RIGHT: Attendance.Capacity.SPEAKING_RIGHT,
    Invitation.Capacity.PREPARATION: Attendance.Capacity.OTHER,
    Invitation.Capacity.SECRETARIAT: Attendance.Capacity.SECRETARY,
    Invitation.Capacity.PRESENTER: Attendance.Capacity.PRESENTER,
}


def may_open(meeting, *, now=None):
    """The minutes can be started once the meeting has begun, or any time for a meeting marked
    held; never for a cancelled one."""
    now = now or timezone.now()
    if meeting.is_cancelled:
        return False
    if meeting.status == Meeting.Status.HELD:
        return True
    return meeting.starts_at <= now and meeting.can_move_to(Meeting.Status.HELD)


@transaction.atomic
def open_protocol(*, meeting, user, now=None):
    """Start the minutes (Protokollför): the meeting moves to held through its own transition,
    and the draft gets one entry per agenda item in agenda order, numbered on from the
    council's last § of the year, and the attendance from the invitation replies. Opening an
    open protocol returns it."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("council").get(pk=meeting.pk)
    )
    existing = Protocol.objects.latest_for(meeting)
    if existing is not None:
        return existing
    if not may_open(meeting, now=now):
        raise ValidationError(
            _("Protokollet kan påbörjas först när sammanträdet har börjat."), code="too_early"
        )
    local_day = timezone.localtime(meeting.starts_at).date()
    # The counter first, as every writer of § numbers does (numbering.lock_counter).
    numbering.lock_counter(council=meeting.council, year=local_day.year)
    if meeting.status != Meeting.Status.HELD:
        agenda_services.change_status(meeting=meeting, user=user, action="held", now=now)
    protocol = Protocol(
        meeting=meeting,
        council=meeting.council,
        year=local_day.year,
        adjust_by=local_day + datetime.timedelta(days=meeting.council.adjustment_days),
        opened_by=user if user is not None and user.is_authenticated else None,
    )
    recorded_by(protocol, user).save()
    items = meeting.items.select_related(
        "focus_area", "target_area", "influence_issue", "presenter"
    ).order_by("position", "id")
    entries = [_entry_from_item(protocol, item) for item in items]
    numbering.number_new_entries(protocol=protocol, entries=entries, user=user)
    bulk_create_with_history(
        _attendance_from_invitations(protocol), Attendance, default_user=author_of(user)
    )
    return protocol


def _entry_from_item(protocol, item):
    entry = ProtocolEntry(
        protocol=protocol,
        council=protocol.council,
        year=protocol.year,
        agenda_item=item,
        standing_key=item.standing_key,
        presenter_name=item.presenter_display,
        rus_link_label=rus_label(item),
        **{name: getattr(item, name) for name in AgendaItem.R12_FIELDS},
    )
    if item.kind == AgendaItem.Kind.INFORMATION:
        entry.outcome, entry.outcome_text = ProtocolEntry.Outcome.NOTED, NOTED_TEXT
    elif item.standing_key == AgendaItem.Standing.AGENDA:
        entry.outcome = ProtocolEntry.Outcome.AGENDA_APPROVED
        entry.outcome_text = AGENDA_APPROVED_TEXT
    return entry


def _attendance_from_invitations(protocol):
    """Accepted → present, declined → absent, a named substitute → the substitute serves
    (tjänstgörande ersättare) for the member; no answer → absent until corrected. Without
    invitations, the council's seats on the meeting day, all present until corrected."""
    meeting = protocol.meeting
    invitations = list(
        meeting.invitations.select_related(
            "person",
            "membership__person",
            "membership__organisation",
            "substitute_membership__person",
            "substitute_membership__organisation",
        ).order_by("name", "id")
    )
    rows = {}

    def add(row):
        key = row.person_id or ("name", row.name)
        rows.setdefault(key, row)

    if not invitations:
        on = timezone.localtime(meeting.starts_at).date()
        seats = (
            Membership.objects.current(on=on)
            .filter(council=meeting.council)
            .exclude(role=Membership.Role.SUBSTITUTE)
            .select_related("person", "organisation")
        )
        for membership in seats:
            add(attendance_snapshot(protocol, membership, capacity=ROLE_CAPACITY[membership.role]))
        return list(rows.values())
    for invitation in invitations:
        if invitation.capacity == Invitation.Capacity.SUBSTITUTE:
            continue  # substitutes are invited for information; they serve when named
        capacity = INVITATION_CAPACITY[invitation.capacity]
        attending = invitation.reply == Invitation.Reply.ATTENDING
        if invitation.membership_id:
            member = attendance_snapshot(
                protocol, invitation.membership, capacity=capacity, present=attending
            )
        else:
            member = Attendance(
                protocol=protocol,
                person=invitation.person,
                name=invitation.name,
                organisation=invitation.person.organisation if invitation.person else None,
                organisation_name=(
                    invitation.person.organisation.name
                    if invitation.person and invitation.person.organisation
                    else ""
                ),
                capacity=capacity,
                present=attending,
            )
        add(member)
        if invitation.reply == Invitation.Reply.SUBSTITUTE:
            add(_substitute_row(protocol, invitation, member))
    return list(rows.values())


def _substitute_row(protocol, invitation, member):
    if invitation.substitute_membership_id:
        row = attendance_snapshot(
            protocol,
            invitation.substitute_membership,
            capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        )
    else:
        row = Attendance(
            protocol=protocol,
            name=invitation.substitute_name,
            organisation=member.organisation,
            organisation_name=member.organisation_name,
            organisation_has_elected_seats=member.organisation_has_elected_seats,
            side=member.side,
            capacity=Attendance.Capacity.SERVING_SUBSTITUTE,
        )
    row.substitute_for_name = member.name
    return row
