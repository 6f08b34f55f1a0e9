"""Celery tasks for invitations: deliver one message, sweep waiting rows, queue reminders.

Tasks take ids and call one service; they are safe to run twice (the service locks the row and
skips it once sent) and retry SMTP failures with exponential backoff.
"""

from celery import shared_task
from django.conf import settings

from meetings.services import invitation_mail, invitations


@shared_task(bind=True, acks_late=True, ignore_result=True)
def deliver_invitation(self, invitation_id, mailing_id):
    """Deliver one invitation, update, cancellation or reminder to one person, exactly once."""
    max_retries = settings.INVITATION_MAX_RETRIES
    outcome = invitation_mail.deliver(
        invitation_id=invitation_id,
        mailing_id=mailing_id,
        final_attempt=self.request.retries >= max_retries,
    )
    if outcome.should_retry:
        raise self.retry(
            exc=outcome.error,
            countdown=invitation_mail.retry_countdown(self.request.retries),
            max_retries=max_retries,
        )
    return outcome.status


@shared_task(ignore_result=True)
def sweep_invitations():
    """Beat, every minute: publish deliveries that still wait (the broker was down, or lost)."""
    return invitations.sweep_queued()


@shared_task(ignore_result=True)
def send_invitation_reminders():
    """Beat: remind those who have not answered, INVITATION_REMINDER_DAYS before the meeting."""
    return invitations.queue_reminders()
