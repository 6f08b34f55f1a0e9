"""Celery tasks of the follow-ups.

- `send_followup_reminders`: Celery beat (settings.CELERY_BEAT_SCHEDULE); safe to run twice.
"""

from celery import shared_task

from . import reminders

__all__ = ["send_followup_reminders"]


@shared_task(ignore_result=True)
def send_followup_reminders():
    """Beat: remind the organisations of their pending formal decisions (R10)."""
    return reminders.queue_reminders()
