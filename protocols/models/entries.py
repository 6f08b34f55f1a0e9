"""The protocol's paragraphs (§) and what they record: the outcome, dissents (and dissents
withdrawn) and each organisation's own decision to come (R8, R10, R11)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.locking import Versioned
from councils.models import Council, Organisation, Person
from meetings.models import AgendaItem, ItemProposal, ItemReview
from meetings.models.matter import AgendaMatter

from .attendance import Attendance
from .protocol import PartOfProtocol, Protocol


class ProtocolEntry(PartOfProtocol, Versioned, AgendaMatter):
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
    # Denormalised from the protocol: a correction repeats its original's § numbers.
    protocol_version = models.PositiveSmallIntegerField(_("protokollversion"), default=1)
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
                fields=["council", "year", "number", "protocol_version"],
                name="paragraph_unique_per_council_year",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gt=0), name="paragraph_positive"
            ),
            models.CheckConstraint(
                condition=Q(struck=False) | ~Q(struck_reason=""), name="struck_entry_has_reason"
            ),
        ]

    def __str__(self):
        return f"§ {self.number} {self.title}"

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


class Dissent(PartOfProtocol):
    """Avvikande synpunkt (R11): a present member's dissenting view on a position, added to the
    protocol at the member's request. The member may hand in or edit the text until the protocol
    is sent for justering."""

    PROTOCOL_PATH = "entry__protocol"

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


class WithdrawnDissent(PartOfProtocol):
    """An expected dissent from before the meeting that was not raised (framfördes inte); the
    protocol keeps which ones (R11)."""

    PROTOCOL_PATH = "entry__protocol"

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


class HomeDecision(PartOfProtocol):
    """After a consensus position: does the represented organisation expect a formal decision
    at home (R10)? The follow-up of that decision builds on these rows."""

    PROTOCOL_PATH = "entry__protocol"

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
