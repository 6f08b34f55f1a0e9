"""Celery tasks of the project package: the notices' delivery and their sweep, and the rendered
documents' task and sweep (`rus.documents`).

Every mail is a row in the outbox first (`rus.outbox`); callers use `queue_mail`, which writes
the row and publishes `deliver_mail` when the transaction commits.
"""

from celery import shared_task

from rus.documents import rendering
from rus.outbox import delivery, notices
from rus.outbox.notices import queue_mail

__all__ = [
    "deliver_mail",
    "queue_mail",
    "render_document",
    "send_mail_task",
    "sweep_documents",
    "sweep_mail",
]


@shared_task(bind=True, acks_late=True, ignore_result=True)
def deliver_mail(self, mail_id):
    """Deliver one notice, exactly once; a temporary failure publishes a later retry."""
    outcome = notices.deliver(mail_id)
    if outcome.should_retry:
        delivery.publish_retry(deliver_mail, (mail_id,), outcome.countdown)
    return outcome.status


@shared_task(ignore_result=True)
def sweep_mail():
    """Beat: publish notices whose task was lost (never published, lost, or left sending)."""
    return notices.sweep()


@shared_task(ignore_result=True)
def send_mail_task(*, template, to, context):
    """The mail task before the outbox: a message still in the broker from before an upgrade
    is moved into the outbox and delivered from there like every other mail."""
    queue_mail(template=template, to=to, context=context)


@shared_task(bind=True, acks_late=True, ignore_result=True)
def render_document(self, document_id):
    """Render one document version once; a failure publishes a later retry, then fails it."""
    outcome = rendering.render(document_id)
    if outcome.should_retry:
        rendering.publish_retry(document_id, outcome.countdown)
    return outcome.status


@shared_task(ignore_result=True)
def sweep_documents():
    """Beat: publish documents whose render task was lost."""
    return rendering.sweep()
