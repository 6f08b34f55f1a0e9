"""Celery tasks of the meetings app, where Celery's autodiscovery finds them.

- `deliver_invitation`: one message to one person, exactly once; `deliver_invitations` a batch
  of them (what sending publishes). They live with the queue they serve
  (`services.invitations.outbox`), which the sending services publish to.
- `sweep_invitations`, `send_invitation_reminders`: Celery beat (settings.CELERY_BEAT_SCHEDULE).

Tasks take ids and call one service; they are safe to run twice. Delivery follows the outbox's
one retry policy (`rus.outbox`).
"""

from celery import shared_task

from meetings.services.invitations import outbox, reminders
from meetings.services.invitations.outbox import deliver_invitation, deliver_invitations

__all__ = [
    "deliver_invitation",
    "deliver_invitations",
    "send_invitation_reminders",
    "sweep_invitations",
]


@shared_task(ignore_result=True)
def sweep_invitations():
    """Beat: publish deliveries whose task was lost (never published, lost, left sending)."""
    return outbox.sweep_queued()


@shared_task(ignore_result=True)
def send_invitation_reminders():
    """Beat: remind those who have not answered, INVITATION_REMINDER_DAYS before the meeting."""
    return reminders.queue_reminders()
