"""Who may see and do what with a meeting's protocol (R8, R11).

The policy of `councils.access` and `meetings.access`: a protocol of a meeting the user may not
see is a 404 (the meeting's visibility is meetings'); seeing the meeting but not having the right
is a 403.

- Only the secretariat takes the minutes (R8); the council's chair may edit them before
  justering where the council allows it (`Council.chair_may_edit_minutes`).
- The secretariat, the chair and the council's members read the draft; nobody else (not the
  RUS group or a presenter from outside the council, who see the meeting).
- A member hands in or edits their own dissent (R11) until the protocol is sent for justering.
- Justering (R8): the secretariat sends the draft for justering, answers comments and may still
  change it (which voids the approvals given); only the chair and the meeting's adjusters
  comment and approve, each only their own signature; a signatory without an account signs on
  paper and the secretariat records that signature; the secretariat starts a correction of an
  adjusted protocol. Nobody changes an adjusted protocol (the models and the database refuse).
"""

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from councils.access import roles_for
from meetings import access as meeting_access

from .models import Attendance, Dissent, JusteringComment, Protocol, ProtocolEntry, Signatory


class Action(enum.StrEnum):
    READ = "read"
    OPEN = "open"
    TAKE_MINUTES = "take_minutes"
    HAND_IN_DISSENT = "hand_in_dissent"
    SEND_FOR_ADJUSTMENT = "send_for_adjustment"
    APPROVE = "approve"
    ANSWER_COMMENTS = "answer_comments"
    RECORD_PAPER_SIGNATURE = "record_paper_signature"
    CORRECT = "correct"


def _draft(protocol):
    return protocol is not None and protocol.is_draft


def _sent(protocol):
    return protocol is not None and protocol.is_sent


def _signs(roles, protocol):
    """The user is one of the protocol's signatories (the chair or an adjuster)."""
    if protocol is None or roles.person is None:
        return False
    if not hasattr(protocol, "_signatory_person_ids"):
        protocol._signatory_person_ids = set(
            protocol.signatories.values_list("person_id", flat=True)
        )
    return roles.person.pk in protocol._signatory_person_ids


def _latest(protocol):
    if not hasattr(protocol, "_is_latest"):
        protocol._is_latest = not Protocol.objects.filter(
            meeting=protocol.meeting_id, version__gt=protocol.version
        ).exists()
    return protocol._is_latest


# Each rule takes the user's Roles, the meeting and its protocol (None before it is opened).
RULES = {
    Action.READ: lambda roles, meeting, protocol: (
        roles.is_secretariat or roles.chairs(meeting.council) or roles.sits_in(meeting.council)
    ),
    Action.OPEN: lambda roles, meeting, protocol: roles.is_secretariat,
    Action.TAKE_MINUTES: lambda roles, meeting, protocol: (
        (_draft(protocol) or _sent(protocol))
        and (
            roles.is_secretariat
            or (
                _draft(protocol)
                and roles.chairs(meeting.council)
                and meeting.council.chair_may_edit_minutes
            )
        )
    ),
    Action.HAND_IN_DISSENT: lambda roles, meeting, protocol: (
        _draft(protocol) and roles.sits_in(meeting.council)
    ),
    Action.SEND_FOR_ADJUSTMENT: lambda roles, meeting, protocol: (
        _draft(protocol) and roles.is_secretariat
    ),
    Action.APPROVE: lambda roles, meeting, protocol: _sent(protocol) and _signs(roles, protocol),
    Action.ANSWER_COMMENTS: lambda roles, meeting, protocol: (
        _sent(protocol) and roles.is_secretariat
    ),
    Action.RECORD_PAPER_SIGNATURE: lambda roles, meeting, protocol: (
        _sent(protocol) and roles.is_secretariat
    ),
    Action.CORRECT: lambda roles, meeting, protocol: (
        protocol is not None and protocol.is_adjusted and roles.is_secretariat and _latest(protocol)
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
    Action.SEND_FOR_ADJUSTMENT: "Bara kansliet skickar ett protokollsutkast för justering.",
    Action.APPROVE: (
        "Bara ordföranden och mötets justerare justerar protokollet, var och en med sin egen "
        "underskrift, medan det är ute för justering."
    ),
    Action.ANSWER_COMMENTS: "Bara kansliet besvarar kommentarer vid justeringen.",
    Action.RECORD_PAPER_SIGNATURE: (
        "Bara kansliet registrerar en justering på papper, och bara medan protokollet är ute "
        "för justering."
    ),
    Action.CORRECT: "Bara kansliet rättar ett justerat protokoll, och bara den senaste versionen.",
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
    protocol = Protocol.objects.latest_for(meeting)
    return {"protocol": protocol, "may": rights(user, meeting, protocol)}


def get_meeting_for_user(request, pk, *, action):
    """A meeting the user may see (404), on which they may take `action` (403)."""
    meeting = meeting_access.get_meeting_for_user(request, pk)
    protocol = Protocol.objects.latest_for(meeting)
    check(request.user, action, meeting, protocol)
    return meeting, protocol


def get_protocol_for_user(request, meeting_pk, *, action=Action.READ, version=None):
    """The protocol of a meeting the user may see (404 without either), for `action` (403):
    its newest version, or `version` (a correction is a new version, R8)."""
    meeting, protocol = get_meeting_for_user(request, meeting_pk, action=Action.READ)
    if protocol is not None and version is not None and protocol.version != version:
        protocol = Protocol.objects.filter(meeting=meeting, version=version).first()
        if protocol is not None:
            protocol._is_latest = False
            check(request.user, Action.READ, meeting, protocol)
    if protocol is None:
        raise Http404("Protokollet är inte påbörjat.")
    check(request.user, action, meeting, protocol)
    protocol.meeting = meeting
    return protocol


def get_entry_for_user(request, meeting_pk, entry_pk, *, action=Action.TAKE_MINUTES, version=None):
    protocol = get_protocol_for_user(request, meeting_pk, action=action, version=version)
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


def get_comment_for_user(request, meeting_pk, version, comment_pk):
    """A justering comment the secretariat answers (ANSWER_COMMENTS)."""
    protocol = get_protocol_for_user(
        request, meeting_pk, action=Action.ANSWER_COMMENTS, version=version
    )
    comment = get_object_or_404(
        JusteringComment.objects.select_related("entry"), pk=comment_pk, protocol=protocol
    )
    comment.protocol = protocol
    return comment


def get_signatory_for_user(request, meeting_pk, version, signatory_pk):
    """A signatory whose paper signature the secretariat records (RECORD_PAPER_SIGNATURE)."""
    protocol = get_protocol_for_user(
        request, meeting_pk, action=Action.RECORD_PAPER_SIGNATURE, version=version
    )
    signatory = get_object_or_404(Signatory, pk=signatory_pk, protocol=protocol)
    signatory.protocol = protocol
    return signatory


def own_attendance(user, protocol):
    """The signed-in member's row in the attendance list (None without one)."""
    person = roles_for(user).person
    if person is None:
        return None
    return protocol.attendance.filter(person=person).first()


# --- The protocol PDF and the public archive (R8, R15) ----------------------------------------
#
# What is public: an adjusted protocol (never a draft or one out for justering) of a council
# that publishes its protocols (`Council.publishes_protocols`). Everything else in the archive
# is a 404 for everyone, signed in or not.


def public_protocols():
    """Adjusted protocols of councils that publish them: all the public archive shows."""
    return Protocol.objects.filter(public_protocol_filter())


def is_public(protocol):
    return protocol.status == Protocol.Status.ADJUSTED and protocol.council.publishes_protocols


def get_public_protocol(pk):
    """A public protocol for anyone, signed in or not; 404 for every other protocol."""
    return get_object_or_404(public_protocols().select_related("meeting", "council"), pk=pk)


def may_read_pdf(user, protocol):
    """The adjusted protocol's PDF: the public when it is published, else its readers."""
    return is_public(protocol) or (
        user.is_authenticated and may(user, Action.READ, protocol.meeting, protocol)
    )


def may_rerender_pdf(user, protocol):
    """A PDF that could not be made is asked for again by the secretariat."""
    return roles_for(user).is_secretariat


def public_protocol_filter(prefix=""):
    """What makes a protocol public, as a Q (for a related lookup: `prefix="protocols__"`)."""
    return Q(**{f"{prefix}status": Protocol.Status.ADJUSTED}) & Q(
        **{f"{prefix}council__publishes_protocols": True}
    )
