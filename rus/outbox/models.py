"""The delivery state every mail row carries, and `OutgoingMail`: the row of a notice (password
reset, a proposal received or decided, a question asked or answered).

Invitations keep their own rows (`meetings.models.Invitation`, `InvitationMessage`) with the
same delivery state, so that one person's invitation and its follow-ups stay one record.
"""

from email.utils import make_msgid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .failures import FailureKind


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Väntar")
    SENDING = "sending", _("Skickas")
    SENT = "sent", _("Skickad")
    FAILED = "failed", _("Misslyckades")
    WITHDRAWN = "withdrawn", _("Återkallad")


def new_message_id():
    """A Message-ID in the sender's domain, e.g. <175…@samverkan.rvn.se>."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or None
    return make_msgid(domain=domain)


class DeliveryState(models.Model):
    """Delivery of one mail: queued → sending → sent; or failed (then resendable).

    `sending` is committed before the SMTP conversation starts, so a worker that dies during
    it leaves a trace: the row is then uncertain and is sent once more, with the same
    `message_id`, never more often (`resent_uncertain`).
    """

    status = models.CharField(
        "status", max_length=20, choices=DeliveryStatus, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    failure_kind = models.CharField(_("typ av fel"), max_length=20, choices=FailureKind, blank=True)
    # Given once, when the row is first sent, and kept: every attempt is the same message.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    # Set when a delivery task was published (or a retry is due); a queued row without it
    # waits for the sweep.
    enqueued_at = models.DateTimeField(_("lagd i kö"), null=True, blank=True)
    sending_since = models.DateTimeField(_("skickas sedan"), null=True, blank=True)
    resent_uncertain = models.BooleanField(_("skickad igen efter avbrott"), default=False)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_sent(self):
        return self.status == DeliveryStatus.SENT

    @property
    def is_failed(self):
        return self.status == DeliveryStatus.FAILED

    @property
    def failure_explanation(self):
        """Why the last attempt failed, in the reader's language (technical detail aside)."""
        if not self.last_error and not self.failure_kind:
            return ""
        return FailureKind(self.failure_kind or FailureKind.INTERNAL).explanation

    def requeue(self):
        """Queue the row again from the start (a resend from the page): same Message-ID."""
        self.status = DeliveryStatus.QUEUED
        self.enqueued_at = None
        self.sending_since = None
        self.resent_uncertain = False


class OutgoingMailQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=DeliveryStatus.FAILED)


class OutgoingMail(DeliveryState):
    """One notice to its recipients: a template triple (templates/emails/<template>-*) and the
    JSON context it is rendered with, written in the transaction of the change it reports."""

    template = models.CharField(_("mall"), max_length=100)
    to = models.JSONField(_("till"))
    context = models.JSONField(_("innehåll"), default=dict, blank=True)
    reply_to = models.JSONField(_("svar till"), default=list, blank=True)
    # The subject as rendered when the mail was queued, for the list of failed mail.
    subject = models.CharField(_("ämne"), max_length=300, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["status", "enqueued_at"],
                condition=Q(status__in=["queued", "sending"]),
                name="outgoing_mail_waiting",
            )
        ]

    def __str__(self):
        return f"{self.subject or self.template} → {', '.join(self.to)}"
