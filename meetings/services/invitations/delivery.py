"""Delivering one message to one person, exactly once (R7): what the Celery task calls.

`deliver` locks the row, skips it when already sent, renders the mail (`mail`), sends it and
marks the row sent, all in one transaction.
"""

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction

from meetings.models import Invitation, InvitationMessage, Mailing, Meeting
from meetings.models.invitations import DeliveryStatus

from .mail import build_invitation_message

# SMTP trouble is temporary: retried with backoff. Anything else fails the row at once.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "skipped", "retry" or "failed"
    error: Exception | None = None

    @property
    def should_retry(self):
        return self.status == "retry"


def deliver(*, invitation_id, mailing_id, final_attempt, connection=None):
    """Send one message to one person, once: lock, skip if done, send, mark sent.

    SMTP failures are recorded on the row; the caller retries unless it was the last attempt,
    after which the row is failed ("misslyckades") with the reason and can be resent.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("meeting__council", "person", "mailing__inviting_chair__user")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None:
            return Outcome("skipped")
        if invitation.mailing_id == mailing_id:
            target, mailing = invitation, invitation.mailing
        else:
            target = (
                InvitationMessage.objects.select_for_update(of=("self",))
                .select_related("mailing__inviting_chair__user")
                .filter(invitation=invitation, mailing_id=mailing_id)
                .first()
            )
            if target is None:
                return Outcome("skipped")
            mailing = target.mailing
        if target.status != DeliveryStatus.QUEUED:
            return Outcome("skipped")
        meeting = invitation.meeting
        if meeting.status == Meeting.Status.CANCELLED and mailing.kind != Mailing.Kind.CANCELLATION:
            target.status = DeliveryStatus.WITHDRAWN
            target.save(update_fields=["status"])
            return Outcome("skipped")
        try:
            message = build_invitation_message(invitation, mailing)
            message.connection = connection or get_connection()
            message.send()
        except RETRYABLE_ERRORS as exc:
            target.record_failure(exc, final=final_attempt)
            return Outcome("failed" if final_attempt else "retry", exc)
        except Exception as exc:  # a rendering fault will not heal by retrying: show it
            target.record_failure(f"{type(exc).__name__}: {exc}", final=True)
            return Outcome("failed", exc)
        target.mark_sent()
        if mailing.kind != Mailing.Kind.REMINDER:
            Invitation.objects.filter(pk=invitation.pk).update(
                sent_sequence=meeting.calendar_sequence
            )
        return Outcome("sent")


def retry_countdown(retries):
    """Exponential backoff: base · 2^retries seconds, capped (settings in seconds)."""
    base = settings.INVITATION_RETRY_BACKOFF_SECONDS
    return min(base * (2**retries), settings.INVITATION_RETRY_BACKOFF_MAX_SECONDS)
