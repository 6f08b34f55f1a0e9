"""What of the follow-up is searched (`search.registry`): an organisation's formal decision
after a position — its comment, deciding body and reference (R10).

Rights are `followups.access.visible_followups`: the secretariat and the RUS group see every
row, a member their councils' positions and their own organisations' rows; anonymous nothing.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from councils.access import roles_for
from search import indexing, registry
from search.registry import NOTHING, Document, Kind

from . import access
from .models import FollowUp

FOLLOWUP = "followup"


def followup_documents(pks):
    followups = FollowUp.objects.select_related("entry__council", "entry__protocol__meeting")
    followups = followups.exclude(comment="", deciding_body="", reference="").order_by("pk")
    if pks is not None:
        followups = followups.filter(pk__in=pks)
    for followup in followups:
        entry = followup.entry
        yield Document(
            kind=FOLLOWUP,
            object_id=followup.pk,
            title=f"{followup.organisation_name}: § {entry.number} {entry.title}",
            body="\n\n".join(
                part
                for part in (followup.comment, followup.deciding_body, followup.reference)
                if part
            ),
            url=followup.get_absolute_url(),
            context=f"{entry.council.name} · {followup.get_state_display()}",
            council_id=entry.council_id,
            meeting_id=entry.protocol.meeting_id,
            protocol_id=entry.protocol_id,
            organisation_id=followup.organisation_id,
            focus_area_id=entry.focus_area_id,
            year=(followup.decision_date or followup.position_date).year,
            date=followup.decision_date or followup.position_date,
        )


def visible(user):
    if not user.is_authenticated:
        return NOTHING
    roles = roles_for(user)
    if access.sees_all(roles):
        return Q()
    return Q(council_id__in=roles.council_ids) | Q(organisation_id__in=roles.organisation_ids)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.schedule(FOLLOWUP, instance.pk)


def _deleted(sender, instance, **kwargs):
    indexing.schedule_removal(FOLLOWUP, instance.pk)


def register():
    """Called from FollowupsConfig.ready()."""
    registry.register(
        Kind(FOLLOWUP, _("Uppföljningar"), _("Uppföljning"), followup_documents, visible, order=60)
    )
    post_save.connect(_saved, sender=FollowUp, dispatch_uid="search.followups.saved")
    post_delete.connect(_deleted, sender=FollowUp, dispatch_uid="search.followups.deleted")
