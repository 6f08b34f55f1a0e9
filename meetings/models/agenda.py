from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.locking import Versioned
from councils.models import Organisation, Person
from rus.models import SustainabilityDimension, SustainabilityGoal

from .matter import AgendaMatter
from .meeting import Meeting


class AgendaItem(Versioned, AgendaMatter):
    """One item of a meeting's agenda (dagordningspunkt). Its number follows from its position.

    R12: every item says whether it is information or position (a), how it links to the RUS (b),
    and carries background information or specific questions (c).
    """

    class Standing(models.TextChoices):
        OPENING = "opening", _("Öppnande")
        ADJUSTER = "adjuster", _("Val av justerare")
        AGENDA = "agenda", _("Godkännande av dagordningen")
        CLOSING = "closing", _("Avslutning")

    # Set by their own actions (moving, marking prepared, approval), never by the edit form.
    UNVERSIONED_FIELDS = frozenset({"position", "is_prepared", "changed_after_approval"})

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("sammanträde")
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    is_standing = models.BooleanField(_("stående punkt"), default=False)
    standing_key = models.CharField(_("stående punkt"), max_length=20, choices=Standing, blank=True)
    presenter = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presented_items",
        verbose_name=_("föredragande"),
    )
    presenter_name = models.CharField(_("extern föredragande"), max_length=200, blank=True)
    presenter_email = models.EmailField(_("extern föredragandes e-post"), blank=True)
    proposing_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_items",
        verbose_name=_("förslagsställare"),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("beräknad tid (minuter)"), default=10)
    goals = models.ManyToManyField(
        SustainabilityGoal, blank=True, verbose_name=_("Agenda 2030-mål")
    )
    dimensions = models.ManyToManyField(
        SustainabilityDimension, blank=True, verbose_name=_("hållbarhetsdimensioner")
    )
    is_prepared = models.BooleanField(_("beredd"), default=False)
    changed_after_approval = models.BooleanField(_("ändrad efter godkännande"), default=False)
    history = HistoricalRecords(m2m_fields=[goals, dimensions])

    class Meta:
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")
        ordering = ["meeting", "position", "id"]
        constraints = [
            # R7: a presenter comes from the registers or is named as an external, not both.
            models.CheckConstraint(
                condition=models.Q(presenter__isnull=True) | models.Q(presenter_name=""),
                name="agenda_item_one_kind_of_presenter",
            ),
            # Each standing item (opening, adjuster, agenda, closing) once per meeting.
            models.UniqueConstraint(
                fields=["meeting", "standing_key"],
                condition=~models.Q(standing_key=""),
                name="agenda_item_standing_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=models.Q(is_standing=False) | ~models.Q(standing_key=""),
                name="agenda_item_standing_has_key",
            ),
        ]

    @property
    def number(self):
        """The item's number on the agenda: positions are kept at 1..n by the agenda services."""
        return self.position

    @property
    def has_presenter(self):
        return bool(self.presenter_id or self.presenter_name)

    @property
    def basis_problem(self):
        """What a position item's document lacks (R12): a link to the RUS (b), and background
        information or specific questions (c) — either will do. A sentence in the active
        language; "" when nothing."""
        if self.kind != self.Kind.POSITION:
            return ""
        no_link = not self.has_rus_link
        no_basis = not self.background.strip() and not self.questions.strip()
        if no_link and no_basis:
            return str(_("Koppling till RUS saknas och bakgrund eller frågeställningar saknas."))
        if no_link:
            return str(_("Koppling till RUS saknas."))
        if no_basis:
            return str(_("Bakgrund eller frågeställningar saknas."))
        return ""

    @property
    def approval_problem(self):
        """What keeps a position item from an approved agenda: its basis (R12), and its
        preparation by the RUS group (R10: positions only after preparation)."""
        if self.kind != self.Kind.POSITION:
            return ""
        reasons = [self.basis_problem] if self.basis_problem else []
        if not self.is_prepared:
            reasons.append(str(_("Inte beredd av RUS-gruppen.")))
        return " ".join(reasons)

    @property
    def presenter_display(self):
        if self.presenter_id:
            return str(self.presenter)
        return self.presenter_name
