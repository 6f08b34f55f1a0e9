"""Organisations, people, councils and memberships (R1–R3, R6).

Names follow OParl/Popolo where they can: Organisation, Person, Membership (on behalf of an
organisation, with a role that says whether the person takes part in positions).
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .locking import Versioned


class OrganisationQuerySet(models.QuerySet):
    def with_elected_seats(self):
        """Municipalities and the region: they send majority and opposition members (R2)."""
        return self.filter(kind__in=Organisation.ELECTED_SEAT_KINDS)


class Organisation(Versioned, models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommun")
        REGION = "region", _("Region")
        COUNTY_BOARD = "county_board", _("Länsstyrelse")
        MUNICIPAL_ASSOCIATION = "municipal_association", _("Kommunförbund")
        STRUCTURAL_FUND_PARTNERSHIP = "structural_fund", _("Strukturfondspartnerskap")
        NATIONAL_AGENCY = "national_agency", _("Nationell myndighet")
        UNIVERSITY = "university", _("Universitet eller högskola")
        BUSINESS_PROMOTION = "business_promotion", _("Näringslivsfrämjande organisation")
        CIVIL_SOCIETY = "civil_society", _("Civilsamhälle")
        OTHER = "other", _("Annan")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=50, blank=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind)
    website = models.URLField(_("webbplats"), blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    ELECTED_SEAT_KINDS = frozenset({Kind.MUNICIPALITY, Kind.REGION})

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:organisation_detail", args=[self.pk])

    @property
    def has_elected_seats(self):
        """Municipalities and the region send majority and opposition members (R2)."""
        return self.kind in self.ELECTED_SEAT_KINDS


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Person(Versioned, models.Model):
    given_name = models.CharField(_("förnamn"), max_length=100)
    family_name = models.CharField(_("efternamn"), max_length=100)
    title = models.CharField(_("titel/befattning"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("användarkonto"),
    )
    active = models.BooleanField(_("aktiv"), default=True)
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="unique_person_email",
                violation_error_message=_("Det finns redan en person med den e-postadressen."),
            )
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("councils:person_detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def contact_email(self):
        """Where mail to the person goes, every mail: the address in the register, else that of
        their account (load `user` with the person when sending to many)."""
        if self.email:
            return self.email
        return self.user.email if self.user_id else ""


class CouncilQuerySet(models.QuerySet):
    def with_member_counts(self, on=None):
        """Annotate `member_count`: people taking part today, the secretariat not counted."""
        on = on or timezone.localdate()
        current = (
            Q(memberships__start_date__lte=on)
            & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gt=on))
            & ~Q(memberships__role="secretary")
        )
        return self.annotate(member_count=models.Count("memberships", filter=current))


class Council(Versioned, models.Model):
    """Regionala samverkansrådet, Stora samverkansrådet or the strategiska RUS-gruppen (R1)."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regionalt samverkansråd")
        BROAD = "broad", _("Stort samverkansråd")
        PREPARATION = "preparation", _("Beredningsgrupp")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortadress"), unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind)
    description = models.TextField(_("beskrivning"), blank=True)
    cadence = models.CharField(_("mötesfrekvens"), max_length=200, blank=True)
    publishes_protocols = models.BooleanField(_("justerade protokoll är offentliga"), default=False)
    # Open data (R15): the time and place of the council's meetings, once the invitations are
    # sent, are listed in the OParl interface before their protocol is public.
    publishes_meeting_schedule = models.BooleanField(
        _("kommande sammanträdens tid och plats är offentliga"), default=False
    )
    secretariat_may_invite = models.BooleanField(
        _("kansliet får skicka kallelser i ordförandens namn"), default=True
    )
    # R7: the chair approves the agenda; the secretariat may do so for the chair where the
    # council allows it (meetings/access.py, Action.APPROVE_AGENDA).
    secretariat_may_approve_for_chair = models.BooleanField(
        _("kansliet får godkänna dagordningen för ordföranden"), default=True
    )
    # The kallelse med handlingar (agenda and documents in one PDF) goes with the invitation
    # mail as an attachment, or as a link; above settings.KALLELSE_ATTACHMENT_MAX_BYTES always
    # as a link (meetings/services/invitations).
    attach_kallelse = models.BooleanField(
        _("bifoga kallelse med handlingar i kallelsemejlet"),
        default=False,
        help_text=_(
            "Annars får mottagarna en länk. En fil som är större än vad e-posten tål "
            "skickas alltid som länk."
        ),
    )
    # Justering: the protocol is adjusted within this many days of the meeting (Swedish
    # practice: normally 14).
    adjustment_days = models.PositiveSmallIntegerField(
        _("dagar till justering"), default=14, validators=[MinValueValidator(1)]
    )
    chair_may_edit_minutes = models.BooleanField(
        _("ordföranden får ändra protokollet före justering"), default=False
    )
    # Follow-up (R10): the organisations are reminded of a pending formal decision this many
    # days after the position (then every 30 days, at most three times; followups/reminders.py).
    followup_reminder_days = models.PositiveSmallIntegerField(
        _("dagar till påminnelse om formellt beslut"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    history = HistoricalRecords()

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("råd")
        verbose_name_plural = _("råd")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:council_detail", args=[self.slug])


SIDE_WITHOUT_ELECTED_SEATS = _(
    "Majoritet och opposition gäller bara förtroendevalda från kommuner och regionen."
)


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))


class Membership(Versioned, models.Model):
    """A person's seat in a council, on behalf of an organisation (OParl: onBehalfOf)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        MEMBER = "member", _("Ledamot")
        SUBSTITUTE = "substitute", _("Ersättare")
        ADJUNCT = "adjunct", _("Adjungerad")
        SPEAKING_RIGHT = "speaking_right", _("Yttranderätt")
        SECRETARY = "secretary", _("Sekreterare (kansli)")
        PREPARATION = "preparation", _("Beredningsgrupp")

    class Side(models.TextChoices):
        MAJORITY = "majority", _("Majoritet")
        OPPOSITION = "opposition", _("Opposition")
        NOT_APPLICABLE = "not_applicable", _("Ej tillämpligt")

    # Who takes part in the council's consensus positions (R2, R10); the others may speak only.
    POSITION_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER})
    SPEAKING_ROLES = POSITION_ROLES | {Role.ADJUNCT, Role.SPEAKING_RIGHT, Role.PREPARATION}
    # Who answers for an organisation before a meeting (R11): those who take part in positions,
    # and a substitute who may stand in for them.
    REVIEW_ROLES = POSITION_ROLES | {Role.SUBSTITUTE}

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("råd")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("företräder"),
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role, default=Role.MEMBER)
    side = models.CharField(_("sida"), max_length=20, choices=Side, default=Side.NOT_APPLICABLE)
    substitute_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("ersättare för"),
    )
    function = models.CharField(
        _("funktion"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. landshövding, regiondirektör eller kommunchef."),
    )
    start_date = models.DateField(_("från"), default=timezone.localdate)
    end_date = models.DateField(_("till"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["council", "organisation__name", "role", "person__family_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("Slutdatum måste vara efter startdatum."),
            ),
            models.UniqueConstraint(
                fields=["person", "council", "role"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_role",
                violation_error_message=(
                    _("Personen har redan ett pågående uppdrag med samma roll i rådet.")
                ),
            ),
            models.CheckConstraint(
                condition=Q(substitute_for__isnull=True) | Q(role="substitute"),
                name="only_substitutes_stand_in",
                violation_error_message=_("Bara en ersättare kan stå för en annan ledamot."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.council}"

    @property
    def takes_part_in_positions(self):
        return self.role in self.POSITION_ROLES

    @property
    def may_speak(self):
        return self.role in self.SPEAKING_ROLES

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date > on)

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date <= self.start_date:
            errors["end_date"] = _("Slutdatum måste vara efter startdatum.")
        if self.substitute_for_id:
            if self.role != self.Role.SUBSTITUTE:
                errors["substitute_for"] = _("Bara en ersättare kan stå för en annan ledamot.")
            elif self.substitute_for.council_id != self.council_id:
                errors["substitute_for"] = _("Ersättaren måste stå för en ledamot i samma råd.")
            elif self.substitute_for.role not in self.POSITION_ROLES:
                errors["substitute_for"] = _("En ersättare kan bara stå för en ordinarie ledamot.")
            elif self.substitute_for.person_id == self.person_id:
                errors["substitute_for"] = _("En person kan inte vara ersättare för sig själv.")
            elif self.side != self.substitute_for.side:
                errors["side"] = _(
                    "En ersättare står för samma sida som ledamoten den ersätter (%(side)s)."
                ) % {"side": self.substitute_for.get_side_display().lower()}
        if self.needs_side and self.side == self.Side.NOT_APPLICABLE:
            errors["side"] = _(
                "Ange majoritet eller opposition för förtroendevalda från kommuner och "
                "regionen i Regionala samverkansrådet."
            )
        if self.side_without_elected_seats:
            errors["side"] = _("%(rule)s Välj ”Ej tillämpligt”.") % {
                "rule": SIDE_WITHOUT_ELECTED_SEATS
            }
        if self.overlapping().exists():
            errors[NON_FIELD_ERRORS] = _(
                "Personen har redan samma roll i rådet under en överlappande period."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def side_without_elected_seats(self):
        """Majority and opposition exist only in municipalities and the region (R2)."""
        return bool(
            self.organisation_id
            and self.side != self.Side.NOT_APPLICABLE
            and not self.organisation.has_elected_seats
        )

    @property
    def needs_side(self):
        """R2: elected members from municipalities and the region sit for a side."""
        return bool(
            self.council_id
            and self.organisation_id
            and self.council.kind == Council.Kind.REGIONAL
            and self.organisation.has_elected_seats
            and self.role in self.POSITION_ROLES | {self.Role.SUBSTITUTE}
        )

    def overlapping(self):
        """Memberships of the same person in the same council and role whose periods overlap."""
        if not (self.person_id and self.council_id and self.start_date):
            return Membership.objects.none()
        overlapping = Membership.objects.filter(
            person_id=self.person_id, council_id=self.council_id, role=self.role
        ).exclude(pk=self.pk)
        if self.end_date:
            overlapping = overlapping.filter(start_date__lt=self.end_date)
        return overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gt=self.start_date))

    def end(self, on=None):
        """End the membership: it is current up to, not including, `on` (default today)."""
        on = on or timezone.localdate()
        if on <= self.start_date:
            raise ValidationError({"end_date": _("Slutdatum måste vara efter startdatum.")})
        self.end_date = on
        self.save(update_fields=["end_date"])
