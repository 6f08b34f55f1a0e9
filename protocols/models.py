"""The protocol of a held meeting (R8, R10, R11): attendance, one entry per §, outcomes and
dissents.

A protocol keeps what it records even when the registers change later: names, organisations,
sides and capacities are stored on its rows as they were at the meeting, so editing or deleting
a person never rewrites a protocol. The protocol's state lives here, in one place.

Paragraphs (§) run per council through the calendar year (Swedish practice): `ProtocolEntry`
carries its council and year so that the database holds the numbers unique, and
`ParagraphCounter` is the row locked while numbers are handed out (protocols/numbering.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.locking import Versioned
from councils.models import Council, Membership, Organisation, Person
from meetings.models import AgendaItem, ItemProposal, ItemReview, Meeting
from meetings.models.matter import AgendaMatter


class Protocol(models.Model):
    """Protokoll: one per meeting. Draft while the secretariat minutes it; sent for justering
    and adjusted in the next steps (docs/lifecycles.md#protocol)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SENT_FOR_ADJUSTMENT = "sent_for_adjustment", _("Skickat för justering")
        ADJUSTED = "adjusted", _("Justerat")

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="protocol", verbose_name=_("sammanträde")
    )
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")
        ordering = ["council", "year", "opened_at"]

    def __str__(self):
        return gettext("Protokoll %(meeting)s") % {"meeting": self.meeting}

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


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


class ProtocolEntry(Versioned, AgendaMatter):
    """One paragraph (§) of a protocol: the agenda item as it was (title, kind, RUS link; R12),
    what was said, and the outcome by kind (R10).

    Entries are ordered by their number: the numbers of a protocol are one unbroken run, in
    agenda order. Two secretaries on one entry never lose an edit silently: the entry is
    `Versioned` (councils/locking.py); its number and the returned proposal are bookkeeping that
    moves without touching what is being written.
    """

    UNVERSIONED_FIELDS = frozenset({"number", "returned_proposal"})

    class Outcome(models.TextChoices):
        NONE = "", _("Inget utfall ännu")
        NOTED = "noted", _("Informationen noteras")
        ADJUSTERS_ELECTED = "adjusters_elected", _("Justerare valda")
        AGENDA_APPROVED = "agenda_approved", _("Dagordningen godkänd")
        PROCEDURAL = "procedural", _("Formalia")
        CONSENSUS = "consensus", _("Konsensus")
        NO_CONSENSUS = "no_consensus", _("Ingen konsensus")

    OUTCOMES_BY_KIND = {
        AgendaMatter.Kind.INFORMATION: (Outcome.NOTED,),
        AgendaMatter.Kind.PROCEDURAL: (
            Outcome.PROCEDURAL,
            Outcome.ADJUSTERS_ELECTED,
            Outcome.AGENDA_APPROVED,
        ),
        AgendaMatter.Kind.POSITION: (Outcome.CONSENSUS, Outcome.NO_CONSENSUS),
    }

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="entries", verbose_name=_("protokoll")
    )
    # Denormalised from the protocol so that the database keeps § numbers unique per council
    # and year.
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="+", verbose_name=_("råd")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    # Null only for an instant while numbers are moved (numbering.py).
    number = models.PositiveIntegerField(_("paragraf"), null=True, blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="protocol_entries",
        verbose_name=_("dagordningspunkt"),
    )
    standing_key = models.CharField(
        _("stående punkt"), max_length=20, choices=AgendaItem.Standing, blank=True
    )
    # Added at the meeting (övrig fråga) rather than taken from the agenda.
    added_at_meeting = models.BooleanField(_("övrig fråga"), default=False)
    presenter_name = models.CharField(_("föredragande"), max_length=200, blank=True)
    rus_link_label = models.CharField(_("koppling till RUS"), max_length=300, blank=True)
    minutes = models.TextField(_("protokollstext"), blank=True)
    outcome = models.CharField(
        _("utfall"), max_length=30, choices=Outcome, blank=True, default=Outcome.NONE
    )
    # Informationen noteras / the procedural decision / the position text (ställningstagande,
    # R10) / why there was no consensus, depending on the outcome.
    outcome_text = models.TextField(_("beslutstext"), blank=True)
    # No consensus (R10): the proposal that took the matter back to the RUS group.
    returned_proposal = models.OneToOneField(
        ItemProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returned_by_entry",
        verbose_name=_("återremitterat ärende"),
    )
    struck = models.BooleanField(_("utgår"), default=False)
    struck_reason = models.CharField(_("skäl till att punkten utgår"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("senast sparad"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["protocol", "number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "number"], name="paragraph_unique_per_council_year"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gt=0), name="paragraph_positive"
            ),
            models.CheckConstraint(
                condition=Q(struck=False) | ~Q(struck_reason=""), name="struck_entry_has_reason"
            ),
        ]

    @property
    def is_position(self):
        return self.kind == self.Kind.POSITION

    @property
    def outcome_choices(self):
        return [(o.value, o.label) for o in self.OUTCOMES_BY_KIND.get(self.kind, ())]

    @property
    def position_text(self):
        """The consensus position (ställningstagande, R10), else ""."""
        return self.outcome_text if self.outcome == self.Outcome.CONSENSUS else ""


class Attendance(models.Model):
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


class Dissent(models.Model):
    """Avvikande synpunkt (R11): a present member's dissenting view on a position, added to the
    protocol at the member's request. The member may hand in or edit the text until the protocol
    is sent for justering."""

    entry = models.ForeignKey(
        ProtocolEntry, on_delete=models.CASCADE, related_name="dissents", verbose_name=_("paragraf")
    )
    attendance = models.ForeignKey(
        Attendance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dissents",
        verbose_name=_("ledamot"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    member_name = models.CharField(_("ledamot"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    text = models.TextField(_("avvikande synpunkt"))
    # The expected dissent (förhandsbesked, R11) this was recorded from, if any.
    review = models.ForeignKey(
        ItemReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förväntad avvikande synpunkt"),
    )
    from_expected = models.BooleanField(_("anmäld före mötet"), default=False)
    recorded_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avvikande synpunkt")
        verbose_name_plural = _("avvikande synpunkter")
        ordering = ["entry", "recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "attendance"],
                condition=Q(attendance__isnull=False),
                name="one_dissent_per_entry_and_member",
            ),
        ]

    def __str__(self):
        return f"{self.member_name}, {self.organisation_name}"


class WithdrawnDissent(models.Model):
    """An expected dissent from before the meeting that was not raised (framfördes inte); the
    protocol keeps which ones (R11)."""

    entry = models.ForeignKey(
        ProtocolEntry,
        on_delete=models.CASCADE,
        related_name="withdrawn_dissents",
        verbose_name=_("paragraf"),
    )
    review = models.ForeignKey(
        ItemReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förväntad avvikande synpunkt"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    expected_text = models.TextField(_("förväntad synpunkt"), blank=True)
    recorded_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        verbose_name = _("avvikande synpunkt som inte framfördes")
        verbose_name_plural = _("avvikande synpunkter som inte framfördes")
        ordering = ["entry", "organisation_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "review"],
                condition=Q(review__isnull=False),
                name="one_withdrawal_per_entry_and_review",
            ),
        ]

    def __str__(self):
        return self.organisation_name


class HomeDecision(models.Model):
    """After a consensus position: does the represented organisation expect a formal decision
    at home (R10)? The follow-up of that decision builds on these rows."""

    class Expected(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nej")
        UNDETERMINED = "undetermined", _("Ej fastställt")

    entry = models.ForeignKey(
        ProtocolEntry,
        on_delete=models.CASCADE,
        related_name="home_decisions",
        verbose_name=_("paragraf"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation"), max_length=200)
    expected = models.CharField(
        _("formellt beslut väntas"),
        max_length=20,
        choices=Expected,
        default=Expected.UNDETERMINED,
    )

    class Meta:
        verbose_name = _("formellt beslut hemma")
        verbose_name_plural = _("formella beslut hemma")
        ordering = ["entry", "organisation_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_home_decision_per_entry_and_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_name}: {self.get_expected_display()}"


__all__ = [
    "Attendance",
    "Dissent",
    "HomeDecision",
    "ParagraphCounter",
    "Protocol",
    "ProtocolEntry",
    "WithdrawnDissent",
]
