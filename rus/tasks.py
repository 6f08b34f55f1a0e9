"""All mail but the invitations leaves through `send_mail_task`; callers use `queue_mail`,
which enqueues it when the surrounding transaction commits."""

import logging
import smtplib

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from rus.emails import build_message

logger = logging.getLogger(__name__)

RETRY_BACKOFF_FACTOR = 2  # seconds: 2, 4, 8, … (randomised), capped below
RETRY_BACKOFF_MAX = 600


def is_permanent(error):
    """An SMTP 5xx answer (no such mailbox, message refused): sending again cannot help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


@shared_task(bind=True, max_retries=settings.MAIL_TASK_MAX_RETRIES)
def send_mail_task(self, *, template, to, context):
    """Render and send one templated mail.

    Temporary failures (SMTP 4xx, the server unreachable) are retried with exponential backoff;
    a permanent refusal (5xx) is logged and not retried.
    """
    try:
        build_message(template=template, to=to, context=context).send()
    except (smtplib.SMTPException, OSError) as error:
        if is_permanent(error):
            logger.error("Mail %s to %s refused permanently: %s", template, to, error)
            raise
        countdown = get_exponential_backoff_interval(
            factor=RETRY_BACKOFF_FACTOR,
            retries=self.request.retries,
            maximum=RETRY_BACKOFF_MAX,
            full_jitter=True,
        )
        raise self.retry(exc=error, countdown=countdown) from error


def queue_mail(*, template, to, context):
    """Send a templated mail through Celery once the current transaction commits.

    `context` must be JSON-serialisable (the task runs in another process), apart from lazy
    translations, which are resolved here in the mail's language.
    """
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            key: str(value) if isinstance(value, Promise) else value
            for key, value in context.items()
        }

    def enqueue():
        try:
            send_mail_task.delay(template=template, to=list(to), context=context)
        except Exception:  # the broker is down: the request must still succeed
            logger.exception("Could not enqueue mail %s to %s", template, to)

    transaction.on_commit(enqueue)
