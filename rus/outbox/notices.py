"""Notices: every mail that is not an invitation (password reset, a proposal received or
decided, a question asked or answered). `queue_mail` writes the `OutgoingMail` row in the
caller's transaction; `rus.tasks.deliver_mail` delivers it."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from rus.emails import build_message

from . import delivery
from .models import DeliveryStatus, OutgoingMail


class NoticeCourier(delivery.Courier):
    def __init__(self, mail_id):
        self.mail_id = mail_id

    def lock(self):
        return OutgoingMail.objects.select_for_update().filter(pk=self.mail_id).first()

    def build(self, row):
        return build_message(
            template=row.template, to=row.to, context=row.context, reply_to=row.reply_to
        )


def queue_mail(*, template, to, context, reply_to=None):
    """Write a templated mail to the outbox; it is sent once the current transaction commits.

    `context` must be JSON-serialisable (it is stored with the row), apart from lazy
    translations, which are resolved here in the mail's language. Returns the row.
    """
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            key: str(value) if isinstance(value, Promise) else value
            for key, value in context.items()
        }
    subject = build_message(template=template, to=to, context=context).subject
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            template=template,
            to=list(to),
            context=context,
            reply_to=list(reply_to or []),
            subject=subject[:300],
        )
        publish_on_commit([mail])
    return mail


def publish_on_commit(mails):
    from rus.tasks import deliver_mail

    delivery.publish_on_commit(
        delivery.Publication(OutgoingMail, mail.pk, deliver_mail, (mail.pk,)) for mail in mails
    )


def deliver(mail_id):
    return delivery.deliver(NoticeCourier(mail_id))


def sweep(*, now=None):
    """Publish every notice whose task was lost (see `delivery.stale_rows`)."""
    rows = delivery.stale_rows(
        OutgoingMail.objects.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING]),
        now=now,
    )
    with transaction.atomic():
        publish_on_commit(rows)
    return len(rows)


@transaction.atomic
def resend(*, mails):
    """Queue failed notices again (the same message: the same Message-ID); returns how many."""
    rows = list(
        OutgoingMail.objects.select_for_update().filter(
            pk__in=[mail.pk for mail in mails], status=DeliveryStatus.FAILED
        )
    )
    for row in rows:
        row.requeue()
        row.save(update_fields=["status", "enqueued_at", "sending_since", "resent_uncertain"])
    publish_on_commit(rows)
    return len(rows)
