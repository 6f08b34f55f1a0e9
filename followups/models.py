"""Follow-up of a consensus position at home (R10, R9): one row per position and organisation.

A position of an advisory council is followed by formal decisions in each member organisation
where required (R10). When a protocol is adjusted, every organisation represented in the council
by a member taking part in positions gets a `FollowUp` for each consensus position; its members
and the secretariat record what their organisation decided, by which body, when, under which
reference (diarienummer), with the decision document. The rows keep changing after the protocol
is locked, which is why they live here, beside the protocol, not in it.

Reminders (`ReminderRound`, `ReminderRecipient`, `ReminderItem`) record which reminder of which
row went to whom, so that beat sends each exactly once (followups/reminders.py).
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.locking import Versioned
from councils.models import Organisation, Person
from protocols.models import HomeDecision, ProtocolEntry

# Reminders after the first: every REMINDER_INTERVAL_DAYS, at most MAX_REMINDERS in all.
REMINDER_INTERVAL_DAYS = 30
MAX_REMINDERS = 3


def decision_upload_to(instance, filename):
    """A path nobody can guess; the file is served only through a view that checks rights."""
    return f"followups/{secrets.token_urlsafe(24)}/{filename}"


class FollowUpQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=FollowUp.State.PENDING)

    def for_matrix(self):
        return self.select_related(
            "entry__protocol__meeting", "entry__council", "entry__focus_area"
        )


class FollowUp(Versioned, models.Model):
    """Uppföljning: one organisation's formal decision after one consensus position (R10)."""

    # The bookkeeping no edit form shows: a reminder sent, or the row moved to the § of a
    # correction (rättelse), does not make an open form stale.
    UNVERSIONED_FIELDS = frozenset({"reminders_sent", "entry"})

    Expected = HomeDecision.Expected

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar på beslut")
        DECIDED = "decided", _("Beslutat")
        NOT_NEEDED = "not_needed", _("Beslut behövs inte")
        DECLINED = "declined", _("Avstår från beslut")

    entry = models.ForeignKey(
        ProtocolEntry,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("ställningstagande"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("organisation"),
    )
    # As it was named when the position was taken; the register may rename it later.
    organisation_name = models.CharField(_("organisation"), max_length=200)
    # The meeting's date in Swedish time: reminders count from it.
    position_date = models.DateField(_("ställningstagandets datum"))
    expected = models.CharField(
        _("formellt beslut väntas"),
        max_length=20,
        choices=HomeDecision.Expected,
        default=HomeDecision.Expected.UNDETERMINED,
    )
    state = models.CharField(_("läge"), max_length=20, choices=State, default=State.PENDING)
    deciding_body = models.CharField(
        _("beslutande organ"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel kommunstyrelsen, kommunfullmäktige eller regionstyrelsen."),
    )
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    reference = models.CharField(
        _("diarienummer"), max_length=100, blank=True, help_text=_("Organisationens diarienummer.")
    )
    link = models.URLField(_("länk till beslutet"), max_length=500, blank=True)
    document = models.FileField(
        _("beslutsdokument"), upload_to=decision_upload_to, max_length=300, blank=True
    )
    document_name = models.CharField(_("dokumentets filnamn"), max_length=200, blank=True)
    document_content_type = models.CharField(_("innehållstyp"), max_length=120, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("påminnelser skickade"), default=0)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["entry", "organisation_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organisation"], name="one_followup_per_position_and_organisation"
            ),
            models.CheckConstraint(
                condition=~Q(state="decided") | Q(decision_date__isnull=False),
                name="decided_followup_has_date",
            ),
            models.CheckConstraint(
                condition=Q(reminders_sent__lte=MAX_REMINDERS), name="followup_reminders_at_most_3"
            ),
        ]

    def __str__(self):
        return f"§ {self.entry.number} {self.organisation_name}: {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("followups:position", args=[self.entry_id]) + f"#org-{self.organisation_id}"

    @staticmethod
    def initial_state(expected):
        """A row where no formal decision is expected starts as not needed; the others wait."""
        if expected == HomeDecision.Expected.NO:
            return FollowUp.State.NOT_NEEDED
        return FollowUp.State.PENDING

    @property
    def is_pending(self):
        return self.state == self.State.PENDING

    @property
    def shown_date(self):
        """The date a matrix cell shows: the decision's, else the position's."""
        return self.decision_date or self.position_date

    def next_reminder_date(self, first_after_days):
        """When the next reminder is due, or None (not pending, or three sent)."""
        if not self.is_pending or self.reminders_sent >= MAX_REMINDERS:
            return None
        return self.position_date + datetime.timedelta(
            days=first_after_days + REMINDER_INTERVAL_DAYS * self.reminders_sent
        )

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.state == self.State.DECIDED and not self.decision_date:
            errors["decision_date"] = _("Ange beslutsdatum för ett fattat beslut.")
        if self.decision_date and self.decision_date > today:
            errors["decision_date"] = _("Beslutsdatum kan inte ligga i framtiden.")
        elif self.decision_date and self.position_date and self.decision_date < self.position_date:
            errors["decision_date"] = _(
                "Beslutsdatum kan inte ligga före ställningstagandet (%(date)s)."
            ) % {"date": self.position_date.isoformat()}
        if self.state == self.State.NOT_NEEDED and self.expected == self.Expected.YES:
            errors["state"] = _(
                "Ett formellt beslut väntas: ändra först ”formellt beslut väntas” om inget "
                "beslut behövs."
            )
        if errors:
            raise ValidationError(errors)


class ReminderRound(models.Model):
    """One organisation's reminder of a day (R10): one mail to each of its members, listing
    every pending row of the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    date = models.DateField(_("datum"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("påminnelseomgång")
        verbose_name_plural = _("påminnelseomgångar")
        ordering = ["-date", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "date"], name="one_reminder_round_per_organisation_day"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.date}"


class ReminderItem(models.Model):
    """Reminder number `number` of one follow-up, sent in `round`: each goes out once."""

    round = models.ForeignKey(
        ReminderRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("omgång")
    )
    followup = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("uppföljning")
    )
    number = models.PositiveSmallIntegerField(_("påminnelse nummer"))

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "number"], name="each_followup_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.followup_id} #{self.number}"


class ReminderRecipient(models.Model):
    """A person mailed in a round; the mail itself is the outbox row `mail`."""

    round = models.ForeignKey(
        ReminderRound,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("omgång"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    mail = models.ForeignKey(
        "rus.OutgoingMail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("e-post"),
    )

    class Meta:
        verbose_name = _("påminnelsemottagare")
        verbose_name_plural = _("påminnelsemottagare")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"], name="one_reminder_per_round_and_person"
            )
        ]

    def __str__(self):
        return f"{self.round}: {self.person}"


__all__ = [
    "MAX_REMINDERS",
    "REMINDER_INTERVAL_DAYS",
    "FollowUp",
    "ReminderItem",
    "ReminderRecipient",
    "ReminderRound",
]
