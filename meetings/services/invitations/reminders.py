"""Reminders (R7): those who have not answered are reminded N days before the meeting
(settings.INVITATION_REMINDER_DAYS, by default 7 and 1), from Celery beat."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import InvitationMessage, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus

from . import lock_meeting
from .outbox import publish_on_commit


def reminder_days():
    return sorted({int(days) for days in settings.INVITATION_REMINDER_DAYS if int(days) > 0})


def queue_reminders(*, now=None):
    """Remind those who have not answered, N days before the meeting (default 7 and 1).

    Only the nearest due reminder is sent (a beat that was down does not send two at once), and
    not to someone invited after that reminder's day. Each reminder reaches a person once: one
    mailing per meeting and day count, one message per invitation and mailing.
    """
    now = now or timezone.now()
    days = reminder_days()
    if not days:
        return 0
    queued = 0
    meetings = Meeting.objects.filter(
        status=Meeting.Status.INVITATIONS_SENT,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(days=max(days)),
    )
    for meeting in meetings:
        due = [d for d in days if meeting.starts_at - datetime.timedelta(days=d) <= now]
        if due:
            queued += _queue_reminder(meeting=meeting, days=min(due))
    return queued


@transaction.atomic
def _queue_reminder(*, meeting, days):
    meeting = lock_meeting(meeting)
    reminder_day = meeting.starts_at - datetime.timedelta(days=days)
    mailing = meeting.mailings.filter(kind=Mailing.Kind.REMINDER, reminder_days=days).first()
    unanswered = meeting.invitations.filter(
        status=DeliveryStatus.SENT, reply="", created_at__lte=reminder_day
    )
    if mailing is None:
        if not unanswered.exists():
            return 0
        invitation_mailing = meeting.mailings.filter(kind=Mailing.Kind.INVITATION).first()
        mailing = Mailing.objects.create(
            meeting=meeting,
            kind=Mailing.Kind.REMINDER,
            sequence=meeting.calendar_sequence,
            reminder_days=days,
            inviting_chair=invitation_mailing.inviting_chair if invitation_mailing else None,
        )
    new = list(unanswered.exclude(messages__mailing=mailing))
    try:
        with transaction.atomic():
            messages = InvitationMessage.objects.bulk_create(
                [InvitationMessage(invitation=invitation, mailing=mailing) for invitation in new]
            )
    except IntegrityError:  # another beat run got there first: each reminder goes out once
        return 0
    publish_on_commit((m.invitation_id, mailing.pk, InvitationMessage, m.pk) for m in messages)
    return len(messages)
