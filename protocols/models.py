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
from django.core.exceptions import ValidationError
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


class Signatory(PartOfProtocol):
    """One who adjusts (justerar) the protocol: the meeting's chair and each adjuster elected at
    the meeting, fixed when the protocol is sent for justering.

    An approval records who (the user and the person), when and the SHA-256 of the canonical
    content as they saw it (protocols/canonical.py). A change to the protocol after an
    approval voids it (the approval fields are cleared, the log keeps both events)."""

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


__all__ = [
    "Attendance",
    "Dissent",
    "HomeDecision",
    "JusteringComment",
    "JusteringEvent",
    "ParagraphCounter",
    "Protocol",
    "ProtocolEntry",
    "ProtocolLocked",
    "Signatory",
    "WithdrawnDissent",
]
