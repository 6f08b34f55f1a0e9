"""What the OParl interface may show: exactly what the public archive shows (R15), and the
people and places that public record names.

Every read in `oparl.selectors` starts from these querysets, so a draft, a protocol out for
justering, a proposal, a review answer, a question to the council or anyone's contact details
can never reach a response: they are not in the rows these functions let through, and the
serializers (`oparl.objects`) name each field they output.
"""

from django.db.models import Exists, OuterRef, Q

from councils.models import Council, Membership, Organisation, Person
from meetings.models import Invitation, Meeting
from protocols import access as protocol_access
from protocols.models import Attendance, Protocol, ProtocolEntry


def public_councils():
    """The councils that publish their adjusted protocols or their meeting schedule; any other
    council is not listed, nor anything of it."""
    return Council.objects.filter(Q(publishes_protocols=True) | Q(publishes_meeting_schedule=True))


# Announced: the invitations have gone out (the time and place are known to every member).
ANNOUNCED_STATUSES = (
    Meeting.Status.INVITATIONS_SENT,
    Meeting.Status.HELD,
    Meeting.Status.MINUTES_DRAFTED,
    Meeting.Status.MINUTES_ADJUSTED,
    Meeting.Status.PUBLISHED,
)


def public_protocols():
    """Adjusted protocols of councils that publish, every version (a correction replaces a
    protocol; both stay public, as in the archive)."""
    return protocol_access.public_protocols()


def superseded_filter(prefix=""):
    """A public protocol that an adjusted correction replaces (its § are `deleted` stubs)."""
    return Exists(
        Protocol.objects.filter(corrects=OuterRef(f"{prefix}pk"), status=Protocol.Status.ADJUSTED)
    )


def current_protocols():
    """The public protocol of each published meeting as it stands: the newest adjusted version."""
    return public_protocols().exclude(superseded_filter())


def public_meetings():
    """Meetings with a public protocol, and the announced meetings of a council that publishes
    its schedule (their time and place only): once invited, or cancelled after the invitations
    went out."""
    announced = Q(council__publishes_meeting_schedule=True) & (
        Q(status__in=ANNOUNCED_STATUSES)
        | Q(status=Meeting.Status.CANCELLED)
        & Exists(Invitation.objects.filter(meeting=OuterRef("pk")))
    )
    return Meeting.objects.filter(
        Exists(public_protocols().filter(meeting=OuterRef("pk"))) | announced
    )


def public_entries():
    """Every § of every public protocol (those of a replaced version become deleted stubs)."""
    return ProtocolEntry.objects.filter(protocol__in=public_protocols())


def public_attendance():
    """Who was present at a published meeting, as the protocol records it."""
    return Attendance.objects.filter(protocol__in=public_protocols(), present=True)


def public_persons():
    """People named as present in a public protocol: elected members and officials. Their
    names are public through the protocol; nothing else about them is (no e-mail, no phone)."""
    return Person.objects.filter(Exists(public_attendance().filter(person=OuterRef("pk"))))


def public_memberships():
    """The seats in publishing councils held by the people above."""
    return Membership.objects.filter(council__in=public_councils(), person__in=public_persons())


def public_organisations():
    """Member organisations on whose behalf a public membership is held."""
    return Organisation.objects.filter(
        Exists(public_memberships().filter(organisation=OuterRef("pk")))
    )


def is_public_meeting(meeting_id):
    return public_meetings().filter(pk=meeting_id).exists()
