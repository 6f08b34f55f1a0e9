"""Who may see and do what with a meeting's protocol (R8, R11).

The policy of `councils.access` and `meetings.access`: a protocol of a meeting the user may not
see is a 404 (the meeting's visibility is meetings'); seeing the meeting but not having the right
is a 403.

- Only the secretariat takes the minutes (R8); the council's chair may edit them before
  justering where the council allows it (`Council.chair_may_edit_minutes`).
- The secretariat, the chair and the council's members read the draft; nobody else (not the
  RUS group or a presenter from outside the council, who see the meeting).
- A member hands in or edits their own dissent (R11) until the protocol is sent for justering.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from councils.access import roles_for
from meetings import access as meeting_access

from .models import Attendance, Dissent, Protocol, ProtocolEntry


class Action(enum.StrEnum):
    READ = "read"
    OPEN = "open"
    TAKE_MINUTES = "take_minutes"
    HAND_IN_DISSENT = "hand_in_dissent"


def _draft(protocol):
    return protocol is not None and protocol.is_draft


# Each rule takes the user's Roles, the meeting and its protocol (None before it is opened).
RULES = {
    Action.READ: lambda roles, meeting, protocol: (
        roles.is_secretariat or roles.chairs(meeting.council) or roles.sits_in(meeting.council)
    ),
    Action.OPEN: lambda roles, meeting, protocol: roles.is_secretariat,
    Action.TAKE_MINUTES: lambda roles, meeting, protocol: (
        _draft(protocol)
        and (
            roles.is_secretariat
            or (roles.chairs(meeting.council) and meeting.council.chair_may_edit_minutes)
        )
    ),
    Action.HAND_IN_DISSENT: lambda roles, meeting, protocol: (
        _draft(protocol) and roles.sits_in(meeting.council)
    ),
}

REFUSALS = {
    Action.READ: "Bara kansliet och rådets ledamöter läser protokollet.",
    Action.OPEN: "Bara kansliet protokollför.",
    Action.TAKE_MINUTES: (
        "Bara kansliet (och ordföranden, där rådet tillåter det) ändrar protokollet, och bara "
        "innan det skickats för justering."
    ),
    Action.HAND_IN_DISSENT: (
        "Bara rådets ledamöter lämnar avvikande synpunkter, och bara innan protokollet skickats "
        "för justering."
    ),
}


def may(user, action, meeting, protocol=None):
    return RULES[action](roles_for(user), meeting, protocol)


def rights(user, meeting, protocol=None):
    roles = roles_for(user)
    return {action.value: rule(roles, meeting, protocol) for action, rule in RULES.items()}


def check(user, action, meeting, protocol=None):
    if not may(user, action, meeting, protocol):
        raise PermissionDenied(REFUSALS[action])


def panel_rights(user, meeting):
    """For the meeting page's panel: the protocol (if opened) and what the user may do."""
    protocol = Protocol.objects.filter(meeting=meeting).first()
    return {"protocol": protocol, "may": rights(user, meeting, protocol)}


def get_meeting_for_user(request, pk, *, action):
    """A meeting the user may see (404), on which they may take `action` (403)."""
    meeting = meeting_access.get_meeting_for_user(request, pk)
    protocol = Protocol.objects.filter(meeting=meeting).first()
    check(request.user, action, meeting, protocol)
    return meeting, protocol


def get_protocol_for_user(request, meeting_pk, *, action=Action.READ):
    """The protocol of a meeting the user may see (404 without either), for `action` (403)."""
    meeting, protocol = get_meeting_for_user(request, meeting_pk, action=Action.READ)
    if protocol is None:
        raise Http404("Protokollet är inte påbörjat.")
    check(request.user, action, meeting, protocol)
    protocol.meeting = meeting
    return protocol


def get_entry_for_user(request, meeting_pk, entry_pk, *, action=Action.TAKE_MINUTES):
    protocol = get_protocol_for_user(request, meeting_pk, action=action)
    entry = get_object_or_404(ProtocolEntry, pk=entry_pk, protocol=protocol)
    entry.protocol = protocol
    return entry


def get_attendance_for_user(request, meeting_pk, attendance_pk, *, action=Action.TAKE_MINUTES):
    protocol = get_protocol_for_user(request, meeting_pk, action=action)
    attendance = get_object_or_404(Attendance, pk=attendance_pk, protocol=protocol)
    attendance.protocol = protocol
    return attendance


def get_dissent_for_user(request, meeting_pk, dissent_pk):
    """A dissent its member edits (HAND_IN_DISSENT), or the minute-taker (TAKE_MINUTES)."""
    protocol = get_protocol_for_user(request, meeting_pk)
    dissent = get_object_or_404(
        Dissent.objects.select_related("entry"), pk=dissent_pk, entry__protocol=protocol
    )
    meeting = protocol.meeting
    if may(request.user, Action.TAKE_MINUTES, meeting, protocol):
        return dissent
    person = roles_for(request.user).person
    if person is None or dissent.person_id != person.pk:
        raise PermissionDenied(REFUSALS[Action.TAKE_MINUTES])
    check(request.user, Action.HAND_IN_DISSENT, meeting, protocol)
    return dissent


def own_attendance(user, protocol):
    """The signed-in member's row in the attendance list (None without one)."""
    person = roles_for(user).person
    if person is None:
        return None
    return protocol.attendance.filter(person=person).first()
