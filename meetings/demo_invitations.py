"""Demo data for invitations (R7): a later meeting whose invitations have gone out, with
answers coming in, so that the progress view, the replies and the calendar feed have content.

The approved meeting of the agenda demo is left alone: the chair sends its invitations live.
Rows are written as already delivered (no mail is sent while seeding). Idempotent.
"""

import datetime

from django.utils import timezone

from councils.models import Council, Person
from meetings.calendar_days import day_remark
from meetings.models import AgendaItem, Invitation, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus
from meetings.schedule import agenda_schedule, snapshot
from meetings.selectors.invitations import current_chair, recipients
from meetings.services import agenda as agenda_services
from meetings.services.invitations.replies import record_reply
from rus.outbox.failures import FailureKind

COUNCIL_SLUG = "regionala-samverkansradet"
TITLE = "Månadsmöte: påverkansagendan inför nästa EU-period"


def seed_demo_invitations(*, users):
    council = Council.objects.filter(slug=COUNCIL_SLUG).first()
    if council is None or Meeting.objects.filter(council=council, title=TITLE).exists():
        return None
    chair_user = users.get("ordforande") if users else None
    secretariat = users.get("kansli") if users else None
    start = timezone.localtime() + datetime.timedelta(days=38)
    # A working day, so that the demo's meeting never carries the weekend or holiday warning.
    while day_remark(start.date()):
        start += datetime.timedelta(days=1)
    starts_at = start.replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = agenda_services.create_meeting(
        user=secretariat,
        council=council,
        title=TITLE,
        kind=Meeting.Kind.MONTHLY_DIGITAL,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2, minutes=30),
        video_link="https://moten.example.org/regionala-samverkansradet",
    )
    meeting.start_agenda_preparation()
    presenter = Person.objects.filter(user__username="rusgrupp").first()
    agenda_services.add_item(
        meeting=meeting,
        user=secretariat,
        title="Påverkansagendan: gemensamma budskap inför nästa EU-period",
        kind=AgendaItem.Kind.INFORMATION,
        background="Kansliet redovisar utkastet till gemensamma budskap (demodata).",
        presenter=presenter,
        estimated_minutes=30,
        is_prepared=True,
    )
    meeting.approve_agenda(chair_user or secretariat)
    _invitations_sent(meeting, user=chair_user or secretariat)
    return meeting


def _invitations_sent(meeting, *, user):
    """As if the chair had sent the invitations two days ago and some had answered."""
    schedule = agenda_schedule(meeting)
    sent_at = timezone.now() - datetime.timedelta(days=2)
    mailing = Mailing.objects.create(
        meeting=meeting,
        kind=Mailing.Kind.INVITATION,
        sequence=meeting.calendar_sequence,
        personal_note="Välkomna! Vi fokuserar på påverkansagendan inför nästa EU-period.",
        snapshot=snapshot(meeting, schedule),
        inviting_chair=current_chair(meeting),
        sent_by=user,
        created_at=sent_at,
    )
    invitations = [
        Invitation.objects.create(
            meeting=meeting,
            mailing=mailing,
            person=recipient.person,
            membership=recipient.membership,
            name=recipient.name,
            email=recipient.email,
            capacity=recipient.capacity,
            status=DeliveryStatus.SENT,
            attempts=1,
            enqueued_at=sent_at,
            sent_at=sent_at,
            sent_sequence=meeting.calendar_sequence,
            created_at=sent_at,
        )
        for recipient in recipients(meeting, schedule)
    ]
    meeting.mark_invitations_sent()
    answers = [
        (Invitation.Reply.ATTENDING, Invitation.Channel.LINK, ""),
        (Invitation.Reply.ATTENDING, Invitation.Channel.APP, ""),
        (Invitation.Reply.NOT_ATTENDING, Invitation.Channel.LINK, ""),
        (Invitation.Reply.SUBSTITUTE, Invitation.Channel.PHONE, "Karin Ersättare"),
    ]
    members = [i for i in invitations if i.capacity == Invitation.Capacity.MEMBER]
    for invitation, (reply, channel, substitute_name) in zip(members, answers, strict=False):
        record_reply(
            invitation=invitation,
            reply=reply,
            channel=channel,
            substitute_name=substitute_name,
            user=user if channel == Invitation.Channel.PHONE else None,
        )
    # One invitation that could not be delivered: the progress page explains why, in Swedish,
    # and offers to send it again.
    unanswered = [i for i in invitations if i not in members[: len(answers)]]
    if unanswered:
        Invitation.objects.filter(pk=unanswered[-1].pk).update(
            status=DeliveryStatus.FAILED,
            attempts=6,
            sent_at=None,
            sent_sequence=None,
            failure_kind=FailureKind.UNREACHABLE,
            last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        )
