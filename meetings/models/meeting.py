import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from councils.locking import Versioned
from councils.models import Council


class InvalidTransition(ValidationError):
    """A status change the meeting's life cycle does not allow."""


@dataclass(frozen=True)
class Problem:
    """Why an item keeps the agenda from being approved (R12)."""

    item: object
    reason: str


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).exclude(status=Meeting.Status.CANCELLED)

    def past(self):
        return self.filter(ends_at__lt=timezone.now())

    def open_for_proposals(self, council_ids=None):
        """Coming meetings of the councils (not the RUS group's own) that can take new items."""
        meetings = (
            self.upcoming()
            .exclude(council__kind=Council.Kind.PREPARATION)
            .select_related("council")
            .order_by("starts_at")
        )
        if council_ids is not None:
            meetings = meetings.filter(council_id__in=council_ids)
        return meetings


class Meeting(Versioned, models.Model):
    """Sammanträde: one meeting of one council (R4)."""

    class Kind(models.TextChoices):
        MONTHLY_DIGITAL = "monthly_digital", _("Månadsmöte (digitalt)")
        EXTENDED_PHYSICAL = "extended_physical", _("Längre fysiskt möte")
        STRATEGIC_PLANNING = "strategic_planning", _("Strategiskt planeringsmöte (lunch–lunch)")
        BROAD_GATHERING = "broad_gathering", _("Stora samverkansrådet")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        AGENDA_IN_PREPARATION = "agenda_in_preparation", _("Dagordning under beredning")
        AGENDA_APPROVED = "agenda_approved", _("Dagordning godkänd")
        INVITATIONS_SENT = "invitations_sent", _("Kallelse skickad")
        HELD = "held", _("Genomfört")
        MINUTES_DRAFTED = "minutes_drafted", _("Protokoll upprättat")
        MINUTES_ADJUSTED = "minutes_adjusted", _("Protokoll justerat")
        PUBLISHED = "published", _("Publicerat")
        CANCELLED = "cancelled", _("Inställt")

    # Set by the life cycle's own actions (status changes, approval, invitations), never by the
    # edit form: a save of only these leaves the version alone.
    UNVERSIONED_FIELDS = frozenset(
        {
            "status",
            "updated_at",
            "agenda_prepared_at",
            "agenda_prepared_by",
            "agenda_approved_at",
            "agenda_approved_by",
            "calendar_sequence",
        }
    )

    # Statuses in which the agenda is locked: changes are recorded as made after approval.
    AGENDA_LOCKED_STATUSES = frozenset(
        {
            Status.AGENDA_APPROVED,
            Status.INVITATIONS_SENT,
            Status.HELD,
            Status.MINUTES_DRAFTED,
            Status.MINUTES_ADJUSTED,
            Status.PUBLISHED,
        }
    )

    # Once held, the meeting is part of the record: its agenda items and their attachments are
    # frozen (the protocol is minuted on them), whoever tries to change them.
    FROZEN_STATUSES = frozenset(
        {Status.HELD, Status.MINUTES_DRAFTED, Status.MINUTES_ADJUSTED, Status.PUBLISHED}
    )

    # R11: organisations give their answers (förankrad, expected dissent) and ask their questions
    # before the meeting, while it is still to take place.
    REVIEW_OPEN_STATUSES = frozenset(
        {
            Status.PLANNED,
            Status.AGENDA_IN_PREPARATION,
            Status.AGENDA_APPROVED,
            Status.INVITATIONS_SENT,
        }
    )

    # Before approval the time and the agenda are a draft shown as such to members (R6, R7);
    # until the invitations go out, calendars hold the meeting as tentative.
    DRAFT_STATUSES = frozenset({Status.PLANNED, Status.AGENDA_IN_PREPARATION})
    NOT_YET_INVITED_STATUSES = DRAFT_STATUSES | {Status.AGENDA_APPROVED}

    # Allowed status changes. Later parts (invitations, protocols) move further along this path.
    TRANSITIONS = {
        Status.PLANNED: {Status.AGENDA_IN_PREPARATION, Status.AGENDA_APPROVED, Status.CANCELLED},
        Status.AGENDA_IN_PREPARATION: {Status.AGENDA_APPROVED, Status.CANCELLED},
        Status.AGENDA_APPROVED: {
            Status.AGENDA_IN_PREPARATION,
            Status.INVITATIONS_SENT,
            Status.HELD,
            Status.CANCELLED,
        },
        Status.INVITATIONS_SENT: {Status.HELD, Status.CANCELLED},
        Status.HELD: {Status.MINUTES_DRAFTED},
        Status.MINUTES_DRAFTED: {Status.MINUTES_ADJUSTED},
        Status.MINUTES_ADJUSTED: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
        Status.CANCELLED: {Status.PLANNED},
    }

    # Status changes made by hand, on the meeting page or in the admin: name → (label, target).
    # Each goes through the model method of the same transition (`change_status`).
    MANUAL_TRANSITIONS = {
        "prepare": (_("Påbörja beredning av dagordningen"), Status.AGENDA_IN_PREPARATION),
        "cancel": (_("Ställ in mötet"), Status.CANCELLED),
        "reinstate": (_("Återuppta mötet"), Status.PLANNED),
        "held": (_("Markera som genomfört"), Status.HELD),
    }

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("råd")
    )
    kind = models.CharField(
        _("mötestyp"), max_length=30, choices=Kind, default=Kind.MONTHLY_DIGITAL
    )
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    video_link = models.URLField(_("länk till digitalt möte"), blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status, default=Status.PLANNED)
    # The RUS group hands the agenda over to the chair (R6, R7): "Beredd för ordföranden".
    agenda_prepared_at = models.DateTimeField(_("beredd för ordföranden"), null=True, blank=True)
    agenda_prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beredd för ordföranden av"),
    )
    agenda_approved_at = models.DateTimeField(_("dagordning godkänd"), null=True, blank=True)
    agenda_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dagordning godkänd av"),
    )
    # Meetings planned together as a series (e.g. monthly for a term, R4) share this id.
    series = models.UUIDField(_("mötesserie"), null=True, blank=True, editable=False, db_index=True)
    # iCalendar SEQUENCE: raised whenever time, place or the approved agenda changes.
    calendar_sequence = models.PositiveIntegerField(_("kalenderversion"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Mötet måste sluta efter att det börjat.")})

    @staticmethod
    def new_series_id():
        return uuid.uuid4()

    @property
    def is_upcoming(self):
        return self.ends_at >= timezone.now() and self.status != self.Status.CANCELLED

    @property
    def review_is_open(self):
        """Answers and questions are given before the meeting, on meetings that will take
        place (R11)."""
        return self.is_upcoming and self.status in self.REVIEW_OPEN_STATUSES

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    def can_move_to(self, status):
        return status in self.TRANSITIONS.get(self.status, set())

    def refuse_move_to(self, status):
        """InvalidTransition, in Swedish, for a status change the life cycle does not allow."""
        return InvalidTransition(
            _("Sammanträdet kan inte gå från ”%(current)s” till ”%(next)s”.")
            % {"current": self.get_status_display(), "next": self.Status(status).label}
        )

    def _move_to(self, status, *extra_fields):
        if not self.can_move_to(status):
            raise self.refuse_move_to(status)
        self.status = status
        self.save(update_fields=["status", "updated_at", *extra_fields])

    def start_agenda_preparation(self):
        """Planned → agenda in preparation (R6). Re-opening an approved agenda clears approval
        and the RUS group's hand-over: it prepares the agenda again."""
        self.agenda_approved_at = None
        self.agenda_approved_by = None
        self.agenda_prepared_at = None
        self.agenda_prepared_by = None
        self._move_to(
            self.Status.AGENDA_IN_PREPARATION,
            "agenda_approved_at",
            "agenda_approved_by",
            "agenda_prepared_at",
            "agenda_prepared_by",
        )

    @property
    def awaits_approval(self):
        """Handed over to the chair by the RUS group and not yet approved (R6, R7)."""
        return self.agenda_prepared_at is not None and self.status in self.DRAFT_STATUSES

    def hand_over_to_chair(self, user):
        """The RUS group declares the agenda prepared ("Beredd för ordföranden"); callers check
        that every item is prepared (services.handover.declare_prepared)."""
        if self.status == self.Status.PLANNED:
            self.start_agenda_preparation()
        self.agenda_prepared_at = timezone.now()
        self.agenda_prepared_by = user
        self.save(update_fields=["agenda_prepared_at", "agenda_prepared_by", "updated_at"])

    def take_back_hand_over(self):
        """An item is no longer prepared, or a new one came: the agenda is not ready any more."""
        if self.agenda_prepared_at is None:
            return False
        self.agenda_prepared_at = None
        self.agenda_prepared_by = None
        self.save(update_fields=["agenda_prepared_at", "agenda_prepared_by", "updated_at"])
        return True

    def approve_agenda(self, user):
        """Lock the agenda (R7). Callers check readiness first (services.agenda.approve_agenda)."""
        self.agenda_approved_at = timezone.now()
        self.agenda_approved_by = user
        self.calendar_sequence += 1
        self._move_to(
            self.Status.AGENDA_APPROVED,
            "agenda_approved_at",
            "agenda_approved_by",
            "calendar_sequence",
        )

    def mark_invitations_sent(self):
        if self.status != self.Status.INVITATIONS_SENT:
            self._move_to(self.Status.INVITATIONS_SENT)

    def mark_held(self, *, now=None):
        """The meeting took place. Not before it has begun."""
        if not self.can_move_to(self.Status.HELD):
            raise self.refuse_move_to(self.Status.HELD)
        if self.starts_at > (now or timezone.now()):
            raise InvalidTransition(
                _("Sammanträdet kan markeras som genomfört först när det har börjat.")
            )
        self._move_to(self.Status.HELD)

    def mark_minutes_drafted(self):
        """Held → minutes drafted: the protocol was sent for justering (protocols)."""
        self._move_to(self.Status.MINUTES_DRAFTED)

    def mark_minutes_adjusted(self):
        """Minutes drafted → adjusted: the chair and the adjusters approved (protocols)."""
        self._move_to(self.Status.MINUTES_ADJUSTED)

    def cancel(self):
        self.calendar_sequence += 1
        self._move_to(self.Status.CANCELLED, "calendar_sequence")

    def reinstate(self):
        self.calendar_sequence += 1
        self._move_to(self.Status.PLANNED, "calendar_sequence")

    def manual_transitions(self, *, now=None):
        """The names of MANUAL_TRANSITIONS that apply now. Approving and re-opening the agenda
        are their own actions with their own checks; "held" only once the meeting has begun."""
        now = now or timezone.now()
        return [
            name
            for name, (_label, target) in self.MANUAL_TRANSITIONS.items()
            if self.can_move_to(target)
            and not (name == "prepare" and self.status != self.Status.PLANNED)
            and not (name == "held" and self.starts_at > now)
        ]

    def bump_calendar_sequence(self):
        """Time, place or the approved agenda changed: calendars must take the update."""
        Meeting.objects.filter(pk=self.pk).update(calendar_sequence=F("calendar_sequence") + 1)
        self.refresh_from_db(fields=["calendar_sequence"])

    def approval_problems(self, items=None):
        """Why the agenda cannot be approved yet: position items need a RUS link, background or
        specific questions (R12 b, c), and to be prepared (R10). A list of Problem(item,
        reason); `items` if the caller has them loaded."""
        items = list(self.items.all()) if items is None else items
        return [
            Problem(item=item, reason=item.approval_problem)
            for item in items
            if item.approval_problem
        ]

    @property
    def is_draft(self):
        return self.status in self.DRAFT_STATUSES

    @property
    def agenda_is_locked(self):
        return self.status in self.AGENDA_LOCKED_STATUSES

    @property
    def is_frozen(self):
        """Held or later: the agenda and its documents are part of the record."""
        return self.status in self.FROZEN_STATUSES

    @property
    def calendar_uid(self):
        """Stable iCalendar UID for this meeting, the same in every invitation and update."""
        return f"meeting-{self.pk}@samverkan.rvn.se"
