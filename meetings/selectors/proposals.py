"""Reads for item proposals (R9): the proposer's list and the RUS group's queue (R6)."""

from django.db.models import Q

from meetings.models import ItemProposal, Meeting

RECENTLY_DECIDED = 20


def proposals_of(roles):
    """ "Mina ärendeförslag": the proposals of the organisations the user represents, and
    their own."""
    if roles.person is None:
        return ItemProposal.objects.none()
    return ItemProposal.objects.filter(
        Q(organisation_id__in=roles.organisation_ids) | Q(proposer=roles.person)
    ).with_related()


def meetings_to_place_in():
    """The meetings a proposal can be accepted into or deferred to."""
    return list(Meeting.objects.open_for_proposals())


def proposal_queue(failed=None):
    """The open proposals, oldest first, and the latest decided; `failed` maps a proposal id to
    a decision form that did not validate."""
    open_proposals = list(
        ItemProposal.objects.open()
        .with_related()
        .prefetch_related("attachments")
        .order_by("submitted_at", "id")
    )
    decided = list(
        ItemProposal.objects.exclude(status__in=ItemProposal.OPEN_STATUSES)
        .with_related()
        .order_by("-decided_at", "-id")[:RECENTLY_DECIDED]
    )
    failed = failed or {}
    for proposal in open_proposals:
        proposal.failed_form = failed.get(proposal.pk)
    return {
        "open_proposals": open_proposals,
        "decided": decided,
        "meetings": meetings_to_place_in(),
    }


def queue_row(pk, *, failed_form=None):
    """One proposal as its row in the queue shows it (the htmx fragment after a decision)."""
    proposal = ItemProposal.objects.with_related().prefetch_related("attachments").get(pk=pk)
    proposal.failed_form = failed_form
    return proposal
