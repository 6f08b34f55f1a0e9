"""Online review before the meeting (R11): expected dissent per organisation, questions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import Organisation, Person

from .agenda import AgendaItem


class ItemReview(models.Model):
    """One organisation's answer on one position item before the meeting (R10, R11).

    Is the matter anchored at home (förankrad), and does the organisation expect to hold a
    dissenting view (avvikande synpunkt)? One answer per item and organisation; a later answer
    replaces the earlier one.
    """

    class Anchored(models.TextChoices):
        YES = "yes", _("Ja")
        IN_PROGRESS = "in_progress", _("Pågår")
        NO = "no", _("Nej")

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("dagordningspunkt"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="item_reviews",
        verbose_name=_("organisation"),
    )
    anchored = models.CharField(
        _("förankrad i den egna organisationen"), max_length=20, choices=Anchored
    )
    expects_dissent = models.BooleanField(_("förväntar avvikande synpunkt"), default=False)
    comment = models.TextField(_("kommentar"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    class Meta:
        verbose_name = _("förhandsbesked")
        verbose_name_plural = _("förhandsbesked")
        ordering = ["item", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organisation"], name="one_review_per_item_and_organisation"
            ),
            models.CheckConstraint(
                condition=Q(expects_dissent=False) | ~Q(comment=""),
                name="expected_dissent_is_explained",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.item}"

    @property
    def consensus_at_risk(self):
        """An expected dissent, or a matter the organisation has not anchored at home (R10)."""
        return self.expects_dissent or self.anchored == self.Anchored.NO


class ItemQuestion(models.Model):
    """A member's question to the secretariat about an agenda item, answered in the app (R8)."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="questions_asked",
        verbose_name=_("dagordningspunkt"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    asked_by = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="item_questions",
        verbose_name=_("frågeställare"),
    )
    question = models.TextField(_("fråga"), max_length=2000)
    asked_at = models.DateTimeField(_("ställd"), default=timezone.now)
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvarad av"),
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        verbose_name = _("fråga till kansliet")
        verbose_name_plural = _("frågor till kansliet")
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="answered_question_has_answer",
            ),
        ]

    def __str__(self):
        return self.question[:60]

    @property
    def is_answered(self):
        return self.answered_at is not None
