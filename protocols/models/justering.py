"""Justering: the signatories (chair and adjusters), their events and their comments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Person

from .attendance import Attendance
from .entries import ProtocolEntry
from .protocol import PartOfProtocol, Protocol, ProtocolPartQuerySet


class Signatory(PartOfProtocol):
    """One who adjusts (justerar) the protocol: the meeting's chair and each adjuster elected at
    the meeting, fixed when the protocol is sent for justering.

    An approval records who (the user and the person), when and the SHA-256 of the canonical
    content as they saw it (protocols/canonical.py). A change to the protocol after an
    approval voids it (the approval fields are cleared, the log keeps both events).

    A signatory whose person has no account signs the printed protocol (`on_paper`, fixed when
    it is sent): the secretariat records that signature, on the content the printout shows;
    then `approved_by` is the secretariat user who recorded it (R8)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        ADJUSTER = "adjuster", _("Justerare")

    # Reminders before the deadline (justeras senast), in days; each sent once per signatory.
    REMINDER_DAYS = (3, 1)

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("protokoll")
    )
    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("närvaro"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("person"),
    )
    name = models.CharField(_("namn"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("roll"), max_length=20, choices=Role)
    on_paper = models.BooleanField(_("justerar på papper"), default=False)
    approved_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justerat av användare"),
    )
    checksum = models.CharField(_("kontrollsumma"), max_length=64, blank=True)
    reminded_3_days_before_at = models.DateTimeField(
        _("påmind tre dagar före"), null=True, blank=True
    )
    reminded_1_day_before_at = models.DateTimeField(_("påmind dagen före"), null=True, blank=True)

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        ordering = ["protocol", "role", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "person"],
                condition=Q(person__isnull=False),
                name="one_signature_per_protocol_and_person",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | ~Q(checksum=""),
                name="approval_has_checksum",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def has_approved(self):
        return self.approved_at is not None

    @staticmethod
    def reminder_field(days):
        return {3: "reminded_3_days_before_at", 1: "reminded_1_day_before_at"}[days]


class JusteringEventQuerySet(ProtocolPartQuerySet):
    def for_log(self):
        return self.select_related("entry").order_by("at", "id")


class JusteringEvent(PartOfProtocol):
    """One event of a protocol's justering, in the order it happened: the justering log (the
    log page and the PDF's last page read `protocol.justering_events.all()`). Append-only:
    an event is never changed (`save` of a stored event is refused).

    `actor_name` is who acted (the secretariat sending or changing, the signatory approving);
    `subject_name` whom it concerned (the signatory whose approval a change voided, the one
    reminded); `checksum` the SHA-256 of the canonical content at that moment."""

    class Kind(models.TextChoices):
        SENT = "sent", _("Skickat för justering")
        COMMENTED = "commented", _("Kommentar")
        ANSWERED = "answered", _("Svar på kommentar")
        CHANGED = "changed", _("Utkastet ändrat")
        APPROVED = "approved", _("Justerat av undertecknare")
        APPROVED_ON_PAPER = "approved_on_paper", _("Justerat på papper, registrerat av kansliet")
        VOIDED = "voided", _("Justering ogiltig efter ändring")
        REMINDED = "reminded", _("Påminnelse skickad")
        ADJUSTED = "adjusted", _("Protokollet justerat")
        CORRECTION_STARTED = "correction_started", _("Rättelse påbörjad")

    protocol = models.ForeignKey(
        Protocol,
        on_delete=models.CASCADE,
        related_name="justering_events",
        verbose_name=_("protokoll"),
    )
    kind = models.CharField(_("händelse"), max_length=30, choices=Kind)
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("användare"),
    )
    actor_name = models.CharField(_("av"), max_length=200, blank=True)
    signatory = models.ForeignKey(
        Signatory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("justerare"),
    )
    subject_name = models.CharField(_("gäller"), max_length=200, blank=True)
    entry = models.ForeignKey(
        ProtocolEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paragraf"),
    )
    checksum = models.CharField(_("kontrollsumma"), max_length=64, blank=True)
    text = models.TextField(_("text"), blank=True)

    objects = JusteringEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("händelse i justeringen")
        verbose_name_plural = _("justeringslogg")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H.%M} {self.get_kind_display()} {self.actor_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("Justeringsloggen ändras inte i efterhand."), code="append_only"
            )
        super().save(*args, **kwargs)

    @property
    def kind_label(self):
        return self.get_kind_display()


class JusteringComment(PartOfProtocol):
    """A signatory's comment on one § while the protocol is out for justering, and the
    secretariat's answer (it changes the draft where the comment is right)."""

    protocol = models.ForeignKey(
        Protocol,
        on_delete=models.CASCADE,
        related_name="justering_comments",
        verbose_name=_("protokoll"),
    )
    entry = models.ForeignKey(
        ProtocolEntry,
        on_delete=models.CASCADE,
        related_name="justering_comments",
        verbose_name=_("paragraf"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av användare"),
    )
    author_name = models.CharField(_("av"), max_length=200)
    text = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(_("skriven"), default=timezone.now)
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvarad av användare"),
    )
    answered_by_name = models.CharField(_("besvarad av"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        verbose_name = _("kommentar vid justering")
        verbose_name_plural = _("kommentarer vid justering")
        ordering = ["entry", "created_at", "id"]

    def __str__(self):
        return f"{self.author_name}: {self.text[:40]}"

    @property
    def is_answered(self):
        return self.answered_at is not None
