"""Invitations (kallelser): who is invited to a meeting, what was sent to them, what they answered.

- `Mailing` (utskick): one send action on a meeting — the invitation itself, an update, a
  cancellation or a reminder — with what it said (personal note, what changed) and a snapshot of
  time, place and agenda as sent, so that later changes can be detected.
- `Invitation` (kallelse): one row per meeting and person (unique in the database), holding the
  delivery state of the invitation mail and the person's reply (R7).
- `InvitationMessage`: a follow-up mail (update, cancellation, reminder) to one invited person;
  one row per invitation and mailing, so each is delivered exactly once.
- `CalendarFeed`: a person's private, revocable ICS feed token.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Membership, Person
from rus.documents.models import RenderedDocument
from rus.outbox.models import DeliveryState, DeliveryStatus

from .meeting import Meeting


class Mailing(models.Model):
    """One send action on a meeting (utskick): invitation, update, cancellation or reminder.

    A meeting normally has one invitation mailing; a cancelled meeting that is reinstated and
    invited to again gets another (and may be cancelled again).
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Kallelse")
        UPDATE = "update", _("Uppdatering")
        CANCELLATION = "cancellation", _("Inställt möte")
        REMINDER = "reminder", _("Påminnelse")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("sammanträde")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    # The iCalendar SEQUENCE this mailing carries (R7: raised on every change).
    sequence = models.PositiveIntegerField(_("kalenderversion"))
    personal_note = models.TextField(_("personlig hälsning"), blank=True)
    changes = models.TextField(_("ändringar"), blank=True)
    # Time, place and agenda as sent; a record of the message, compared with the meeting later.
    snapshot = models.JSONField(_("innehåll som skickats"), default=dict, blank=True)
    reminder_days = models.PositiveSmallIntegerField(_("dagar före mötet"), null=True, blank=True)
    inviting_chair = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inbjudande ordförande"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skickad av"),
    )
    # The kallelse med handlingar of the agenda as sent, when the council has it attached
    # (Council.attach_kallelse): a reference to the stored file, read when each mail is built.
    kallelse = models.ForeignKey(
        RenderedDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kallelse med handlingar"),
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sequence"],
                condition=Q(kind="update"),
                name="one_update_mailing_per_sequence",
            ),
            models.UniqueConstraint(
                fields=["meeting", "reminder_days"],
                condition=Q(kind="reminder"),
                name="one_reminder_mailing_per_day_count",
            ),
            models.CheckConstraint(
                condition=Q(kind="reminder", reminder_days__isnull=False)
                | (~Q(kind="reminder") & Q(reminder_days__isnull=True)),
                name="reminder_mailings_have_days",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting}"


class Invitation(DeliveryState):
    """Kallelse: one per meeting and person; its own delivery state and the person's reply."""

    class Capacity(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        MEMBER = "member", _("Ledamot")
        ADJUNCT = "adjunct", _("Adjungerad")
        SPEAKING_RIGHT = "speaking_right", _("Yttranderätt")
        PREPARATION = "preparation", _("Beredningsgrupp")
        SECRETARIAT = "secretariat", _("Kansli")
        SUBSTITUTE = "substitute", _("Ersättare (för kännedom)")
        PRESENTER = "presenter", _("Föredragande")

    class Reply(models.TextChoices):
        ATTENDING = "attending", _("Deltar")
        NOT_ATTENDING = "not_attending", _("Deltar inte")
        SUBSTITUTE = "substitute", _("Ersättare deltar")

    class Channel(models.TextChoices):
        LINK = "link", _("Svarslänk i e-post")
        APP = "app", _("I Samverkan")
        PHONE = "phone", _("Per telefon (registrerat av kansliet)")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("sammanträde")
    )
    # The mailing that first sent this invitation (usually the invitation mailing; a person
    # added later, e.g. a new presenter, is first invited by an update).
    mailing = models.ForeignKey(
        Mailing, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("utskick")
    )
    # External presenters are invited by name and address alone (no person in the register).
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("person"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("uppdrag"),
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"))
    capacity = models.CharField(_("i egenskap av"), max_length=20, choices=Capacity)
    # The calendar SEQUENCE this person's calendar holds (the last invitation/update sent).
    sent_sequence = models.PositiveIntegerField(_("skickad kalenderversion"), null=True, blank=True)

    reply = models.CharField(_("svar"), max_length=20, choices=Reply, blank=True)
    substitute_membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ersättare"),
    )
    substitute_name = models.CharField(_("namngiven ersättare"), max_length=200, blank=True)
    replied_at = models.DateTimeField(_("svarade"), null=True, blank=True)
    reply_channel = models.CharField(_("svarat via"), max_length=10, choices=Channel, blank=True)
    reply_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("svar registrerat av"),
    )

    class Meta:
        verbose_name = _("kallelse")
        verbose_name_plural = _("kallelser")
        ordering = ["meeting", "name", "id"]
        constraints = [
            # Each person gets each invitation exactly once.
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="one_invitation_per_meeting_and_person",
            ),
            models.UniqueConstraint(
                "meeting", Lower("email"), name="one_invitation_per_meeting_and_address"
            ),
            models.CheckConstraint(
                condition=~Q(reply="substitute")
                | Q(substitute_membership__isnull=False)
                | ~Q(substitute_name=""),
                name="substitute_reply_names_the_substitute",
            ),
            models.CheckConstraint(
                condition=Q(reply="") | Q(replied_at__isnull=False),
                name="reply_has_a_time",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.meeting}"

    def restart(self, *, mailing, capacity):
        """Invited again (the meeting was cancelled and reinstated): deliver and answer anew."""
        self.mailing = mailing
        self.capacity = capacity
        self.status = DeliveryStatus.QUEUED
        self.attempts = 0
        self.last_error = ""
        self.failure_kind = ""
        self.message_id = ""  # a new invitation, a new message
        self.enqueued_at = None
        self.sending_since = None
        self.resent_uncertain = False
        self.sent_at = None
        self.reply = ""
        self.substitute_membership = None
        self.substitute_name = ""
        self.replied_at = None
        self.reply_channel = ""
        self.reply_recorded_by = None
        self.save()

    def takes_replies(self, *, now=None):
        """An answer can be given until the meeting ends, unless it or the invitation was
        called off."""
        now = now or timezone.now()
        return (
            self.meeting.status != Meeting.Status.CANCELLED
            and self.status != DeliveryStatus.WITHDRAWN
            and now < self.meeting.ends_at
        )

    @property
    def substitute_display(self):
        if self.substitute_membership_id:
            return str(self.substitute_membership.person)
        return self.substitute_name


class InvitationMessage(DeliveryState):
    """A follow-up mail to one invited person: an update, a cancellation or a reminder."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("kallelse")
    )
    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="messages", verbose_name=_("utskick")
    )

    class Meta:
        verbose_name = _("utskick till mottagare")
        verbose_name_plural = _("utskick till mottagare")
        ordering = ["invitation", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "mailing"], name="one_message_per_invitation_and_mailing"
            )
        ]

    def __str__(self):
        return _("%(kind)s till %(name)s") % {
            "kind": self.mailing.get_kind_display(),
            "name": self.invitation.name,
        }


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar feed: the secret token in the URL is the only key."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(_("hemlig nyckel"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    last_used_at = models.DateTimeField(_("senast hämtad"), null=True, blank=True)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self):
        return _("Kalender för %(person)s") % {"person": self.person}

    def mark_used(self):
        """A calendar fetched the feed (shown to the person as "senast hämtad")."""
        self.last_used_at = timezone.now()
        self.save(update_fields=["last_used_at"])

    def regenerate(self):
        """A new secret: the old URL stops working at once."""
        self.token = new_feed_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
