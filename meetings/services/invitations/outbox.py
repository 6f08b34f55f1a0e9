"""The queue of invitation mail: rows waiting for delivery, handed to the Celery worker.

Every `Invitation` and `InvitationMessage` row is one message to one person; it is written
queued, in the transaction of the action that causes it, and published to the worker with
`publish_on_commit`. `deliver_invitation` is the worker's task; `sweep_queued` (Celery beat)
publishes what is still waiting: never published because the broker was down, or lost.
A row published twice is still sent once: `delivery.deliver` locks it and skips it once sent.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from meetings.models import Invitation, InvitationMessage
from meetings.models.invitations import DeliveryStatus

from . import delivery

logger = logging.getLogger(__name__)


# The name it has always had, so that messages queued before an upgrade still find it.
@shared_task(
    bind=True, acks_late=True, ignore_result=True, name="meetings.tasks.deliver_invitation"
)
def deliver_invitation(self, invitation_id, mailing_id):
    """Deliver one invitation, update, cancellation or reminder to one person, exactly once."""
    max_retries = settings.INVITATION_MAX_RETRIES
    outcome = delivery.deliver(
        invitation_id=invitation_id,
        mailing_id=mailing_id,
        final_attempt=self.request.retries >= max_retries,
    )
    if outcome.should_retry:
        raise self.retry(
            exc=outcome.error,
            countdown=delivery.retry_countdown(self.request.retries),
            max_retries=max_retries,
        )
    return outcome.status


def _mark_enqueued(deliveries, moment):
    """Bookkeeping for the sweep; a failure here must not fail the action (logged only)."""
    try:
        for model in (Invitation, InvitationMessage):
            ids = [row_id for _, _, row_model, row_id in deliveries if row_model is model]
            for start in range(0, len(ids), 500):
                model.objects.filter(
                    pk__in=ids[start : start + 500], status=DeliveryStatus.QUEUED
                ).update(enqueued_at=moment)
    except DatabaseError:
        logger.warning("Could not record enqueued_at for invitation deliveries", exc_info=True)


def publish_on_commit(deliveries):
    """Publish a delivery task per (invitation_id, mailing_id, model, row_id) after commit.

    The rows are marked as published first (before any worker can touch them). A broker that
    is down must not fail the action: the rows left unpublished get `enqueued_at` cleared and
    wait, queued, for the periodic sweep to publish them when the broker is back.
    """
    deliveries = list(deliveries)
    if not deliveries:
        return

    def publish():
        _mark_enqueued(deliveries, timezone.now())
        for index, (invitation_id, mailing_id, _, _) in enumerate(deliveries):
            try:
                deliver_invitation.delay(invitation_id, mailing_id)
            except Exception:  # kombu raises OperationalError, or the socket error itself
                unpublished = deliveries[index:]
                logger.warning(
                    "Broker unavailable: %d invitation deliveries wait for the sweep",
                    len(unpublished),
                    exc_info=True,
                )
                _mark_enqueued(unpublished, None)
                return

    transaction.on_commit(publish)


def sweep_queued(*, now=None):
    """Publish every delivery still waiting: never published (broker down) or lost (stale).

    Runs from Celery beat; a row published twice is still sent once (`deliver` skips it).
    """
    now = now or timezone.now()
    waiting_since = now - datetime.timedelta(seconds=settings.INVITATION_SWEEP_AFTER_SECONDS)
    stale_since = now - datetime.timedelta(seconds=settings.INVITATION_SWEEP_STALE_SECONDS)
    waiting = Q(status=DeliveryStatus.QUEUED) & (
        Q(enqueued_at__isnull=True, created_at__lte=waiting_since) | Q(enqueued_at__lte=stale_since)
    )
    deliveries = [
        (pk, mailing_id, Invitation, pk)
        for pk, mailing_id in Invitation.objects.filter(waiting).values_list("pk", "mailing_id")
    ]
    deliveries += [
        (invitation_id, mailing_id, InvitationMessage, pk)
        for pk, invitation_id, mailing_id in InvitationMessage.objects.filter(waiting).values_list(
            "pk", "invitation_id", "mailing_id"
        )
    ]
    with transaction.atomic():
        publish_on_commit(deliveries)
    return len(deliveries)
