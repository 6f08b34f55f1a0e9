"""Item proposals (ärendeförslag): any member organisation may propose agenda items (R9)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.locking import Versioned
from councils.models import Organisation, Person
from meetings.uploads import safe_filename

from .agenda import AgendaItem
from .matter import AgendaMatter
from .meeting import Meeting

BASIS_REQUIRED = _(
    "Skriv en bakgrund eller frågeställningar till ärendet – minst det ena behövs för att "
    "rådet ska kunna bereda det."
)


class ItemProposalQuerySet(models.QuerySet):
    def open(self):
        """Proposals the RUS group still has to place: submitted, or deferred to a later meeting."""
        return self.filter(status__in=ItemProposal.OPEN_STATUSES)

    def with_related(self):
        return self.select_related(
            "organisation",
            "proposer",
            "focus_area",
            "target_area",
            "influence_issue",
            "wished_meeting__council",
            "deferred_to__council",
            "agenda_item__meeting__council",
            "returned_from__meeting",
            "decided_by",
        )


class ItemProposal(Versioned, AgendaMatter):
    """An item that a member organisation proposes for a council's agenda (R9).

    Like an agenda item it states its kind, its link to the RUS and its background (R12 a–c).
    Life cycle: submitted → accepted into an agenda | deferred to a later meeting | declined with a
    reason the proposer sees.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inlämnat")
        ACCEPTED = "accepted", _("Antaget till dagordning")
        DEFERRED = "deferred", _("Uppskjutet")
        DECLINED = "declined", _("Avslaget")

    OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.DEFERRED})

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="item_proposals",
        verbose_name=_("förslagsställande organisation"),
    )
    proposer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="item_proposals",
        verbose_name=_("förslagsställare"),
    )
    # A member organisation proposes information or position items, never formalities (R9),
    # and always with a background or specific questions (R12 c; either will do, as for an
    # agenda item's approval: `AgendaItem.basis_problem`).
    kind = models.CharField(
        _("typ av ärende"),
        max_length=20,
        choices=[(kind.value, kind.label) for kind in AgendaMatter.PROPOSABLE_KINDS],
        default=AgendaMatter.Kind.INFORMATION,
    )
    background = models.TextField(_("bakgrund"), blank=True)
    wished_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wished_proposals",
        verbose_name=_("önskat sammanträde"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("motivering"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutat av"),
    )
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True)
    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("dagordningspunkt"),
    )
    deferred_to = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deferred_proposals",
        verbose_name=_("uppskjutet till"),
    )
    # An item on which the council reached no consensus goes back to the RUS group for further
    # preparation (R10): the item it came back from, kept beside the item it later becomes.
    returned_from = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returned_proposals",
        verbose_name=_("återremitterad från"),
    )
    submitted_at = models.DateTimeField(_("inlämnat"), default=timezone.now)

    objects = ItemProposalQuerySet.as_manager()

    def clean(self):
        super().clean()
        # R12 (c): background information *or* specific questions.
        if not self.background.strip() and not self.questions.strip():
            raise ValidationError({"background": BASIS_REQUIRED}, code="basis")

    class Meta:
        verbose_name = _("ärendeförslag")
        verbose_name_plural = _("ärendeförslag")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focus_area__isnull=False)
                | Q(target_area__isnull=False)
                | Q(influence_issue__isnull=False),
                name="proposal_links_to_rus",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["information", "position"]),
                name="proposal_kind_information_or_position",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="declined_proposal_has_reason",
            ),
        ]

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def meeting_in_view(self):
        """The meeting the proposal currently aims at: where it went, was deferred to or wished."""
        if self.agenda_item_id:
            return self.agenda_item.meeting
        return self.deferred_to or self.wished_meeting


def proposal_upload_to(instance, filename):
    return f"proposals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{safe_filename(filename)}"


class ProposalAttachment(models.Model):
    """A document attached to a proposal (R12 c); copied onto the agenda item when accepted."""

    proposal = models.ForeignKey(
        ItemProposal,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("ärendeförslag"),
    )
    file = models.FileField(_("fil"), upload_to=proposal_upload_to, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=200)
    size = models.PositiveBigIntegerField(_("storlek"), default=0)
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        verbose_name = _("bilaga till ärendeförslag")
        verbose_name_plural = _("bilagor till ärendeförslag")
        ordering = ["proposal", "id"]

    def __str__(self):
        return self.original_name
