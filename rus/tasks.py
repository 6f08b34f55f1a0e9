import logging
import smtplib

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

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
