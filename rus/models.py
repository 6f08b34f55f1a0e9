"""The regional development strategy (RUS) and its strategic plan (R13, R14).

The project package doubles as the app for the strategy itself: every agenda item links to it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.locking import Versioned


class Strategy(Versioned, models.Model):
    """RUS: Västernorrland's regional development strategy 2020–2030, "Ett Västernorrland"."""

    name = models.CharField(_("namn"), max_length=200)
    motto = models.CharField(_("devis"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("från år"))
    end_year = models.PositiveSmallIntegerField(_("till år"))
    description = models.TextField(_("beskrivning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regional utvecklingsstrategi")
        verbose_name_plural = _("regionala utvecklingsstrategier")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="strategy_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.start_year}–{self.end_year}"


class TargetArea(Versioned, models.Model):
    """Målområde: a goal area of the RUS."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="target_areas", verbose_name=_("strategi")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("målområde")
        verbose_name_plural = _("målområden")
        ordering = ["strategy", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "title"], name="unique_target_area_title")
        ]

    def __str__(self):
        return self.title


class SustainabilityGoal(models.Model):
    """One of the 17 Agenda 2030 goals (R14). Rows come with a data migration."""

    number = models.PositiveSmallIntegerField(_("nummer"), unique=True)
    title = models.CharField(_("rubrik"), max_length=200)

    class Meta:
        verbose_name = _("Agenda 2030-mål")
        verbose_name_plural = _("Agenda 2030-mål")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class SustainabilityDimension(models.Model):
    """Ecological, social or economic sustainability (R14). Rows come with a data migration."""

    code = models.SlugField(_("kod"), unique=True)
    name = models.CharField(_("namn"), max_length=100)

    class Meta:
        verbose_name = _("hållbarhetsdimension")
        verbose_name_plural = _("hållbarhetsdimensioner")
        ordering = ["id"]

    def __str__(self):
        return self.name


class StrategicPlanQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(status=StrategicPlan.Status.ADOPTED)

    def drafts(self):
        return self.filter(status=StrategicPlan.Status.DRAFT)

    def current(self, year):
        """The adopted plan in force in `year`: the latest adopted one not after that year.

        Falls back to the earliest adopted plan when every adopted plan lies in the future.
        """
        adopted = self.adopted()
        return (
            adopted.filter(year__lte=year).order_by("-year").first()
            or adopted.order_by("year").first()
        )


class StrategicPlan(Versioned, models.Model):
    """The strategic plan, one version per year; reviewed every year (R13).

    Only a draft is edited. An adopted plan is the record of what the councils agreed on; changes
    go into next year's draft (see `rus.services.start_next_plan`). The one exception is the
    status of an influence issue, which follows the lobbying work during the year.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Fastställd")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="plans", verbose_name=_("strategi")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("rubrik"), max_length=200, default="Strategisk plan RUS")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    adopted_on = models.DateField(_("fastställd den"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("bygger på"),
    )
    purpose = models.TextField(_("syfte"), blank=True)
    history = HistoricalRecords()

    objects = StrategicPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategisk plan")
        verbose_name_plural = _("strategiska planer")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "year"], name="one_plan_per_year"),
            models.CheckConstraint(
                condition=Q(status="draft", adopted_on__isnull=True)
                | Q(status="adopted", adopted_on__isnull=False),
                name="plan_adoption_date_iff_adopted",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="plan_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.year}"

    def get_absolute_url(self):
        return reverse("rus:plan_detail", args=[self.pk])

    @property
    def is_adopted(self):
        return self.status == self.Status.ADOPTED

    @property
    def is_editable(self):
        """Only a draft's content may change (R13: the adopted version stays as agreed)."""
        return self.status == self.Status.DRAFT

    # Set by adoption, never by the edit form: an open edit form stays valid (and adoption
    # is refused for it anyway, R13).
    UNVERSIONED_FIELDS = frozenset({"status", "adopted_on"})

    def adopt(self, adopted_on):
        """Fastställ: the draft becomes the adopted version of the year."""
        if self.is_adopted:
            raise ValidationError(_("Planen är redan fastställd."))
        self.status = self.Status.ADOPTED
        self.adopted_on = adopted_on
        self.save(update_fields=["status", "adopted_on"])


class FocusArea(Versioned, models.Model):
    """Fokusområde: one of the plan's prioritised areas, with its 2030 vision (R13)."""

    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("plan")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    vision_2030 = models.TextField(_("vision 2030"))
    capacity_needed = models.TextField(_("kapacitet som behövs"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    goals = models.ManyToManyField(
        SustainabilityGoal, blank=True, verbose_name=_("Agenda 2030-mål")
    )
    dimensions = models.ManyToManyField(
        SustainabilityDimension, blank=True, verbose_name=_("hållbarhetsdimensioner")
    )
    history = HistoricalRecords(m2m_fields=[goals, dimensions])

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområden")
        ordering = ["plan", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_focus_area_per_plan")
        ]

    def __str__(self):
        return self.title


class InfluenceIssue(Versioned, models.Model):
    """An issue of the påverkansagenda attached to the plan (R13): joint lobbying."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("Nationell nivå")
        EU = "eu", _("EU-nivå")
        BOTH = "both", _("Nationell och EU-nivå")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv")
        ACHIEVED = "achieved", _("Uppnådd")
        PAUSED = "paused", _("Vilande")

    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.CASCADE,
        related_name="influence_issues",
        verbose_name=_("plan"),
    )
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="influence_issues",
        verbose_name=_("fokusområde"),
    )
    title = models.CharField(_("sakfråga"), max_length=200)
    level = models.CharField(_("nivå"), max_length=10, choices=Level, default=Level.NATIONAL)
    description = models.TextField(_("beskrivning"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("påverkansfråga")
        verbose_name_plural = _("påverkansagenda")
        ordering = ["plan", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"], name="unique_influence_issue_per_plan"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if (
            self.focus_area_id is not None
            and self.plan_id is not None
            and self.focus_area.plan_id != self.plan_id
        ):
            raise ValidationError(
                {"focus_area": _("Fokusområdet måste höra till samma plan som påverkansfrågan.")}
            )


class SubStrategy(Versioned, models.Model):
    """An existing sub-strategy or programme linked to the RUS."""

    strategy = models.ForeignKey(
        Strategy,
        on_delete=models.CASCADE,
        related_name="sub_strategies",
        verbose_name=_("strategi"),
    )
    name = models.CharField(_("namn"), max_length=200)
    owner = models.CharField(_("ägare"), max_length=200, blank=True)
    url = models.URLField(_("länk"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("understrategi eller program")
        verbose_name_plural = _("understrategier och program")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="unique_sub_strategy_name")
        ]

    def __str__(self):
        return self.name


# Rows with modules of their own, loaded with the app's models: the outbox's row for notices
# (rus.outbox) and generated files, one per version (rus.documents).
from rus.documents.models import RenderedDocument  # noqa: E402, F401
from rus.outbox.models import OutgoingMail  # noqa: E402, F401
