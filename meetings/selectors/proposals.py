"""Reads for item proposals (R9): the proposer's list and the RUS group's queue (R6)."""

from django.db.models import Q

from meetings.models import ItemProposal, Meeting

RECENTLY_DECIDED = 20
# What an open proposal's row shows (fewer joins than with_related(): see proposal_queue).
OPEN_ROW_RELATIONS = (
    "organisation",
    "proposer",
    "focus_area",
    "target_area",
    "influence_issue",
    "wished_meeting",
    "deferred_to",
    "returned_from__meeting",
)


def proposals_of(roles):
    """ "Mina ärendeförslag": the proposals of the organisations the user represents, and
    their own."""
    if roles.person is None:
        return ItemProposal.objects.none()
    return ItemProposal.objects.filter(
        Q(organisation_id__in=roles.organisation_ids) | Q(proposer=roles.person)
    ).with_related()


def meetings_to_place_in():
    """The meetings a proposal can be accepted into or deferred to, each with the label of its
    option (made once for the page: every open proposal lists them twice)."""
    meetings = list(Meeting.objects.open_for_proposals())
    for meeting in meetings:
        meeting.option_label = f"{meeting} – {meeting.council}"
    return meetings


def proposal_queue(failed=None):
    """The open proposals, oldest first, and the latest decided; `failed` maps a proposal id to
    a decision form that did not validate."""
    open_proposals = list(
        ItemProposal.objects.open()
        .select_related(*OPEN_ROW_RELATIONS)
        .prefetch_related("attachments")
        .order_by("submitted_at", "id")
    )
    # Only what the table shows: with every relation of with_related() (14 joins) PostgreSQL
    # spent longer planning this query than the rest of the page took.
    decided = list(
        ItemProposal.objects.exclude(status__in=ItemProposal.OPEN_STATUSES)
        .select_related(
            "organisation", "wished_meeting", "deferred_to", "agenda_item__meeting", "decided_by"
        )
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


def _version(row):
    return row and [row.pk, row.version]


def queue_row_state(proposal, meetings):
    """What an open proposal's row in the queue shows, as plain values: its cached fragment's
    key (rus.fragments). The proposal's version (its content) and state, the rows it names,
    its attachments, and the meetings its decision forms offer. No queries: the queue has
    loaded them all."""
    return [
        [proposal.pk, proposal.version, proposal.status, proposal.decision_reason],
        [proposal.wished_meeting_id, proposal.deferred_to_id, proposal.returned_from_id],
        [_version(proposal.returned_from and proposal.returned_from.meeting)],
        [_version(proposal.organisation), _version(proposal.proposer)],
        [
            _version(proposal.focus_area),
            _version(proposal.target_area),
            _version(proposal.influence_issue),
        ],
        [[a.pk, a.original_name] for a in proposal.attachments.all()],
        [[m.pk, m.version, m.starts_at, m.council.version] for m in meetings],
    ]
