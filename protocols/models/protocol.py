"""The protocol itself and what every part of it shares: its state (one place), the refusal
to change it once adjusted, and the counter that numbers its paragraphs (§)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models import Council
from meetings.models import Meeting


class ProtocolLocked(ValidationError):
    """A write to an adjusted protocol or one of its rows (R8: an adjusted protocol is final).
    The database refuses the same on PostgreSQL (migration 0003's trigger); this is the model's
    refusal, in Swedish, before the database is asked."""

    def __init__(self):
        super().__init__(
            _(
                "Protokollet är justerat och kan inte ändras. Ett fel rättas med en rättelse, "
                "en ny version av protokollet."
            ),
            code="adjusted",
        )


class ProtocolQuerySet(models.QuerySet):
    def awaiting_adjustment(self):
        return self.filter(status=Protocol.Status.SENT_FOR_ADJUSTMENT)

    def overdue(self, *, today=None):
        today = today or timezone.localdate()
        return self.awaiting_adjustment().filter(adjust_by__lt=today)

    def adjusted(self):
        return self.filter(status=Protocol.Status.ADJUSTED)

    def latest_for(self, meeting):
        """The meeting's newest version (a correction once there is one), or None."""
        return self.filter(meeting=meeting).order_by("-version").first()


class Protocol(models.Model):
    """Protokoll of one meeting. Draft while the secretariat minutes it, sent for justering,
    adjusted (justerat) once the chair and every adjuster have approved; then final
    (docs/lifecycles.md#protocol).

    A mistake found after justering is corrected by a correction (rättelse): a new version of
    the same meeting's protocol (`version` 2, 3 …) that `corrects` the one before and goes
    through justering itself. The original stays as it was, linked from the correction.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SENT_FOR_ADJUSTMENT = "sent_for_adjustment", _("Skickat för justering")
        ADJUSTED = "adjusted", _("Justerat")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("sammanträde")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("rättar"),
    )
    correction_reason = models.TextField(_("skäl till rättelsen"), blank=True)
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("råd")
    )
    # The calendar year the paragraphs run in: the meeting's year in Swedish time.
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(_("status"), max_length=30, choices=Status, default=Status.DRAFT)
    adjust_by = models.DateField(_("justeras senast"))
    opened_at = models.DateTimeField(_("protokollföring påbörjad"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("påbörjad av"),
    )
    sent_at = models.DateTimeField(_("skickat för justering"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skickat av"),
    )
    adjusted_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    # SHA-256 of the canonical content (protocols/canonical.py): as sent, as last changed while
    # out for justering, and as adjusted. Approvals carry the checksum their signatory saw.
    checksum = models.CharField(_("kontrollsumma"), max_length=64, blank=True)
    history = HistoricalRecords()

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")
        ordering = ["council", "year", "opened_at", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "version"], name="one_protocol_version_per_meeting"
            ),
            models.CheckConstraint(
                condition=(Q(version=1) & Q(corrects__isnull=True))
                | (Q(version__gt=1) & Q(corrects__isnull=False)),
                name="correction_has_version_above_one",
            ),
        ]

    def __str__(self):
        if self.version > 1:
            return gettext("Protokoll %(meeting)s, rättelse %(version)s") % {
                "meeting": self.meeting,
                "version": self.version,
            }
        return gettext("Protokoll %(meeting)s") % {"meeting": self.meeting}

    def save(self, *args, **kwargs):
        if self.pk and Protocol.objects.filter(pk=self.pk, status=self.Status.ADJUSTED).exists():
            raise ProtocolLocked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Protocol.objects.filter(pk=self.pk, status=self.Status.ADJUSTED).exists():
            raise ProtocolLocked()
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_sent(self):
        return self.status == self.Status.SENT_FOR_ADJUSTMENT

    @property
    def is_adjusted(self):
        return self.status == self.Status.ADJUSTED

    @property
    def is_editable(self):
        """The secretariat may still change it: a draft, or out for justering (a change then
        voids the approvals given)."""
        return self.status in (self.Status.DRAFT, self.Status.SENT_FOR_ADJUSTMENT)

    @property
    def is_correction(self):
        return self.corrects_id is not None

    def is_overdue(self, today=None):
        return self.is_sent and self.adjust_by < (today or timezone.localdate())


class ProtocolPartQuerySet(models.QuerySet):
    """Bulk writes refuse rows of an adjusted protocol too (the trigger would, on PostgreSQL)."""

    def _refuse_adjusted(self):
        path = self.model.PROTOCOL_PATH
        if self.filter(**{f"{path}__status": Protocol.Status.ADJUSTED}).exists():
            raise ProtocolLocked()

    def update(self, **kwargs):
        self._refuse_adjusted()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_adjusted()
        return super().delete()

    delete.queryset_only = True


class PartOfProtocol(models.Model):
    """A row of a protocol (an entry, an attendee, a dissent …): written while the protocol is
    a draft or out for justering, never once it is adjusted (R8). `PROTOCOL_PATH` is the
    lookup from the row to its protocol."""

    PROTOCOL_PATH = "protocol"

    objects = ProtocolPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._protocol_adjusted():
            raise ProtocolLocked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._protocol_adjusted():
            raise ProtocolLocked()
        return super().delete(*args, **kwargs)

    def _protocol_adjusted(self):
        if self.PROTOCOL_PATH == "protocol":
            lookup = {"pk": self.protocol_id}
        else:  # "entry__protocol"
            lookup = {"entries": self.entry_id}
        return Protocol.objects.filter(status=Protocol.Status.ADJUSTED, **lookup).exists()


class ParagraphCounter(models.Model):
    """The last § number handed out per council and year; locked with SELECT … FOR UPDATE
    whenever numbers are handed out or moved, so two meetings minuted at once never clash."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="+", verbose_name=_("råd")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    last_number = models.PositiveIntegerField(_("senaste paragraf"), default=0)

    class Meta:
        verbose_name = _("paragrafräknare")
        verbose_name_plural = _("paragrafräknare")
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_counter_per_council_year")
        ]

    def __str__(self):
        return f"{self.council} {self.year}: § {self.last_number}"
