"""Outgoing mail as subject/text/html template triples (templates/emails/<name>-*.{txt,html}).

All mail leaves through the Celery task `rus.tasks.send_mail_task`; callers use `queue_mail`,
which enqueues it when the surrounding transaction commits.

Mail is written in Swedish (settings.LANGUAGE_CODE), whatever language the person whose action
sends it has chosen for the interface: the templates are rendered under that language, and
translatable values in a context (e.g. a choice's `.label`) are resolved in it too.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


def build_message(*, template, to, context, reply_to=None):
    """Render templates/emails/<template>-{subject.txt,body.txt,body.html} into one message."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    return message


def queue_mail(*, template, to, context):
    """Send a templated mail through Celery once the current transaction commits.

    `context` must be JSON-serialisable (the task runs in another process), apart from lazy
    translations, which are resolved here in the mail's language.
    """
    from rus.tasks import send_mail_task

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
