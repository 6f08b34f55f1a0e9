from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from councils.models import Council


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).exclude(status=Meeting.Status.CANCELLED)

    def past(self):
        return self.filter(ends_at__lt=timezone.now())


class Meeting(models.Model):
    """Sammanträde: one meeting of one council (R4)."""

    class Kind(models.TextChoices):
        MONTHLY_DIGITAL = "monthly_digital", "Månadsmöte (digitalt)"
        EXTENDED_PHYSICAL = "extended_physical", "Längre fysiskt möte"
        STRATEGIC_PLANNING = "strategic_planning", "Strategiskt planeringsmöte (lunch–lunch)"
        BROAD_GATHERING = "broad_gathering", "Stora samverkansrådet"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planerat"
        AGENDA_IN_PREPARATION = "agenda_in_preparation", "Dagordning under beredning"
        AGENDA_APPROVED = "agenda_approved", "Dagordning godkänd"
        INVITATIONS_SENT = "invitations_sent", "Kallelse skickad"
        HELD = "held", "Genomfört"
        MINUTES_DRAFTED = "minutes_drafted", "Protokoll upprättat"
        MINUTES_ADJUSTED = "minutes_adjusted", "Protokoll justerat"
        PUBLISHED = "published", "Publicerat"
        CANCELLED = "cancelled", "Inställt"

    # Statuses in which the agenda is locked: changes are recorded as made after approval.
    AGENDA_LOCKED_STATUSES = frozenset(
        {
            Status.AGENDA_APPROVED,
            Status.INVITATIONS_SENT,
            Status.HELD,
            Status.MINUTES_DRAFTED,
            Status.MINUTES_ADJUSTED,
            Status.PUBLISHED,
        }
    )

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="meetings", verbose_name="råd"
    )
    kind = models.CharField("mötestyp", max_length=30, choices=Kind, default=Kind.MONTHLY_DIGITAL)
    title = models.CharField("rubrik", max_length=200)
    starts_at = models.DateTimeField("börjar")
    ends_at = models.DateTimeField("slutar")
    place = models.CharField("plats", max_length=200, blank=True)
    video_link = models.URLField("länk till digitalt möte", blank=True)
    status = models.CharField("status", max_length=30, choices=Status, default=Status.PLANNED)
    agenda_approved_at = models.DateTimeField("dagordning godkänd", null=True, blank=True)
    agenda_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dagordning godkänd av",
    )
    # iCalendar SEQUENCE: raised whenever time, place or the approved agenda changes.
    calendar_sequence = models.PositiveIntegerField("kalenderversion", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "Mötet måste sluta efter att det börjat."})

    @property
    def agenda_is_locked(self):
        return self.status in self.AGENDA_LOCKED_STATUSES

    @property
    def calendar_uid(self):
        """Stable iCalendar UID for this meeting, the same in every invitation and update."""
        return f"meeting-{self.pk}@samverkan.rvn.se"
