"""The invitation rows in the outbox (`rus.outbox`): publishing them to the worker, the
worker's task, and the sweep of those whose task was lost.

Every `Invitation` and `InvitationMessage` row is one message to one person; it is written
queued, in the transaction of the action that causes it, and published with
`publish_on_commit`. `deliver_invitation` is the worker's task; `sweep_queued` (Celery beat)
publishes what is still waiting. A row published twice is still sent once.
"""

from celery import shared_task
from django.conf import settings
from django.db import transaction

from meetings.models import Invitation, InvitationMessage
from meetings.models.invitations import DeliveryStatus
from rus.outbox import delivery as outbox

from . import delivery


# The name it has always had, so that messages queued before an upgrade still find it.
@shared_task(
    bind=True, acks_late=True, ignore_result=True, name="meetings.tasks.deliver_invitation"
)
def deliver_invitation(self, invitation_id, mailing_id):
    """Deliver one invitation, update, cancellation or reminder to one person, exactly once."""
    outcome = delivery.deliver(invitation_id=invitation_id, mailing_id=mailing_id)
    if outcome.should_retry:
        outbox.publish_retry(deliver_invitation, (invitation_id, mailing_id), outcome.countdown)
    return outcome.status


@shared_task(
    bind=True, acks_late=True, ignore_result=True, name="meetings.tasks.deliver_invitations"
)
def deliver_invitations(self, deliveries):
    """Deliver a batch of [invitation_id, mailing_id], each exactly once (one task, one
    claim and one rendering of the shared parts for many messages)."""
    outcomes = delivery.deliver_batch(deliveries)
    for (invitation_id, mailing_id), outcome in outcomes.items():
        if outcome.should_retry:
            outbox.publish_retry(deliver_invitation, (invitation_id, mailing_id), outcome.countdown)
    return sorted({outcome.status for outcome in outcomes.values()})


def publish_on_commit(deliveries):
    """Publish the deliveries, (invitation_id, mailing_id, model, row_id) each, after commit:
    a task per INVITATION_BATCH_SIZE of them (`deliver_invitations`), one alone as before."""
    deliveries = list(deliveries)
    size = max(settings.INVITATION_BATCH_SIZE, 1)
    publications = []
    for start in range(0, len(deliveries), size):
        batch = deliveries[start : start + size]
        if len(batch) == 1:
            invitation_id, mailing_id, model, row_id = batch[0]
            publications.append(
                outbox.Publication(model, row_id, deliver_invitation, (invitation_id, mailing_id))
            )
            continue
        pairs = [[invitation_id, mailing_id] for invitation_id, mailing_id, _, _ in batch]
        rows = tuple((model, row_id) for _, _, model, row_id in batch)
        publications.append(outbox.Publication(*rows[0], deliver_invitations, (pairs,), batch=rows))
    outbox.publish_on_commit(publications)


def sweep_queued(*, now=None):
    """Publish every delivery whose task was lost (`rus.outbox.delivery.stale_rows`).

    Runs from Celery beat; a row published twice is still sent once (`deliver` skips it).
    """
    in_outbox = {"status__in": [DeliveryStatus.QUEUED, DeliveryStatus.SENDING]}
    deliveries = [
        (row.pk, row.mailing_id, Invitation, row.pk)
        for row in outbox.stale_rows(Invitation.objects.filter(**in_outbox), now=now)
    ]
    deliveries += [
        (row.invitation_id, row.mailing_id, InvitationMessage, row.pk)
        for row in outbox.stale_rows(InvitationMessage.objects.filter(**in_outbox), now=now)
    ]
    with transaction.atomic():
        publish_on_commit(deliveries)
    return len(deliveries)
