"""Who attended: names, organisations, sides and capacities as they were at the meeting."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.models import Membership, Organisation, Person

from .protocol import PartOfProtocol, Protocol


class Attendance(PartOfProtocol):
    """One person at (or invited to and absent from) the meeting, as they were then (närvaro).

    `from_number`/`to_number` record arrivals and departures by §: present from § x to § y;
    empty means from the start or to the end.
    """

    class Capacity(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        MEMBER = "member", _("Ledamot")
        SERVING_SUBSTITUTE = "serving_substitute", _("Tjänstgörande ersättare")
        ADJUNCT = "adjunct", _("Adjungerad")
        SPEAKING_RIGHT = "speaking_right", _("Yttranderätt")
        PRESENTER = "presenter", _("Föredragande")
        SECRETARY = "secretary", _("Sekreterare")
        OTHER = "other", _("Övriga närvarande")

    # Who takes part in the council's positions at this meeting (R10, R11).
    POSITION_CAPACITIES = frozenset({Capacity.CHAIR, Capacity.VICE_CHAIR, Capacity.MEMBER})
    DISSENT_CAPACITIES = POSITION_CAPACITIES | {Capacity.SERVING_SUBSTITUTE}
    # Order of the groups in the protocol's attendance list.
    CAPACITY_ORDER = list(Capacity.values)

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("protokoll")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("person"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uppdrag"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("namn"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    # Kept so that the R2 check reads the protocol alone.
    organisation_has_elected_seats = models.BooleanField(_("kommun eller region"), default=False)
    capacity = models.CharField(_("i egenskap av"), max_length=30, choices=Capacity)
    side = models.CharField(
        _("sida"), max_length=20, choices=Membership.Side, default=Membership.Side.NOT_APPLICABLE
    )
    function = models.CharField(_("funktion"), max_length=200, blank=True)
    substitute_for_name = models.CharField(_("ersätter"), max_length=200, blank=True)
    present = models.BooleanField(_("närvarande"), default=True)
    from_number = models.PositiveIntegerField(_("från §"), null=True, blank=True)
    to_number = models.PositiveIntegerField(_("till §"), null=True, blank=True)
    unannounced = models.BooleanField(_("anmäldes på mötet"), default=False)
    is_adjuster = models.BooleanField(_("justerare"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["protocol", "organisation_name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "person"],
                condition=Q(person__isnull=False),
                name="one_attendance_per_protocol_and_person",
            ),
            models.CheckConstraint(
                condition=Q(from_number__isnull=True)
                | Q(to_number__isnull=True)
                | Q(to_number__gte=models.F("from_number")),
                name="attendance_leaves_after_arriving",
            ),
            models.CheckConstraint(
                condition=Q(is_adjuster=False) | Q(present=True), name="adjuster_is_present"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def takes_part_in_positions(self):
        return self.capacity in self.DISSENT_CAPACITIES

    def present_at(self, number):
        """Present at § `number` (arrivals and departures by §)."""
        if not self.present:
            return False
        if self.from_number is not None and number < self.from_number:
            return False
        return not (self.to_number is not None and number > self.to_number)

    @property
    def partial(self):
        return self.present and (self.from_number is not None or self.to_number is not None)
