import smtplib

from celery import shared_task
from django.conf import settings

from rus.emails import build_message


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=settings.MAIL_TASK_MAX_RETRIES,
)
def send_mail_task(self, *, template, to, context):
    """Render and send one templated mail; SMTP failures retry with exponential backoff."""
    build_message(template=template, to=to, context=context).send()
