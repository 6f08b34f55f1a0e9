"""Celery tasks of the protocols: the justering reminders (R8)."""

from celery import shared_task

from protocols.services import justering


@shared_task(ignore_result=True)
def send_justering_reminders():
    """Beat: remind the chair and the adjusters who have not approved, 3 days and 1 day before
    the deadline (each reminder once per person, however often this runs)."""
    return justering.send_reminders()
