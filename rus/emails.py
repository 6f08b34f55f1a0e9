"""Outgoing mail as subject/text/html template triples (templates/emails/<name>-*.{txt,html}).

`build_message` renders one; it sends nothing. Mail is sent by Celery tasks: callers use
`rus.tasks.queue_mail` (invitations have their own queue, meetings.services.invitations).

Mail is written in Swedish (settings.LANGUAGE_CODE), whatever language the person whose action
sends it has chosen for the interface: the templates are rendered under that language, and
translatable values in a context (e.g. a choice's `.label`) are resolved in it too.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build_message(*, template, to, context, reply_to=None):
    """Render templates/emails/<template>-{subject.txt,body.txt,body.html} into one message."""
    subject, text, html = render_parts(template=template, context=context)
    return assemble(subject=subject, text=text, html=html, to=to, reply_to=reply_to)


def render_parts(*, template, context):
    """The subject, text and HTML of a mail, in the mail language."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    return subject, text, html


def assemble(*, subject, text, html, to, reply_to=None, message_class=EmailMultiAlternatives):
    """One message of rendered parts (`render_parts`)."""
    message = message_class(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    return message
