"""What R12 asks of every agenda document, shared by agenda items and the proposals that become
them: (a) whether it is information or position, (b) how it links to the RUS, (c) background
information or specific questions (attached documents are each model's own)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rus.models import FocusArea, InfluenceIssue, TargetArea


class AgendaMatter(models.Model):
    """The R12 fields and their one `Kind`."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Informationsärende")
        POSITION = "position", _("Ställningstagande")
        PROCEDURAL = "procedural", _("Formalia")

    # What a member organisation may propose (R9); formalities are the agenda's own items.
    PROPOSABLE_KINDS = (Kind.INFORMATION, Kind.POSITION)
    # The fields a proposal hands over to the agenda item it becomes.
    R12_FIELDS = (
        "title",
        "kind",
        "focus_area",
        "target_area",
        "influence_issue",
        "background",
        "questions",
    )

    title = models.CharField(_("rubrik"), max_length=250)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, default=Kind.INFORMATION)
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("fokusområde")
    )
    target_area = models.ForeignKey(
        TargetArea, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("målområde")
    )
    influence_issue = models.ForeignKey(
        InfluenceIssue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("påverkansfråga"),
    )
    background = models.TextField(_("bakgrund"), blank=True)
    questions = models.TextField(_("frågeställningar"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def rus_link(self):
        """The RUS anchor (R12 b): a focus area, an influence issue or a target area."""
        return self.focus_area or self.influence_issue or self.target_area

    @property
    def has_rus_link(self):
        return bool(self.focus_area_id or self.target_area_id or self.influence_issue_id)
