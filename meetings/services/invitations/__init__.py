"""Invitations (kallelser, R5, R7): sending, updates, cancellation, replies, reminders, and the
delivery of each message exactly once.

Modules, each calling only those below it:

- `sending`: send the invitation, an update or a cancellation; resend failed deliveries.
- `reminders`: remind those who have not answered, N days before the meeting.
- `replies`: record an answer (by link, in the app, or by phone through the secretariat).
- `outbox`: publish queued rows to the Celery worker on commit (and sweep those left waiting);
  `deliver_invitation`, the worker task that delivers one.
- `delivery`: deliver one message to one person, exactly once (lock, skip if done, send).
- `mail`: render the message: HTML and text, the agenda PDF, the calendar entry.
- `links`: absolute URLs for the mail (the agenda online, signed reply links).

Reads (recipients, progress, pending changes) are in `meetings.selectors.invitations`, the agenda
with its times in `meetings.schedule`, who may do what in `meetings.access`.

Every workflow takes keyword arguments only and runs in one transaction. Rows are written in the
same transaction as the action; delivery tasks are published when it commits. When the broker
is down at that moment the action still succeeds: the rows stay queued and the periodic sweep
publishes them later.
"""

from django.core.exceptions import ValidationError

from meetings.models import Meeting


class InvitationError(ValidationError):
    """A send, update or reply that the meeting's state does not allow (message in Swedish)."""


def lock_meeting(meeting):
    """The meeting, locked until the transaction ends: one send, update or reminder at a time."""
    return Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
