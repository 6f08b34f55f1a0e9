"""Item proposals (R9): members propose, the RUS group places them on agendas (R6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings import access
from meetings.access import Action
from meetings.forms.proposals import (
    AcceptProposalForm,
    DeclineProposalForm,
    DeferProposalForm,
    ItemProposalForm,
)
from meetings.models import ProposalAttachment
from meetings.selectors import proposals as selectors
from meetings.services import proposals as services
from meetings.uploads import content_type_for
from rus.fragments import render_fragments

QUEUE_TEMPLATE = "meetings/proposals/queue.html"


@login_required
@require_GET
def proposal_list(request):
    """ "Mina ärendeförslag": the proposals of the organisations I represent, and my own."""
    roles = access.require(request, Action.READ)
    proposals = selectors.proposals_of(roles)
    return render(request, "meetings/proposals/list.html", {"proposals": proposals})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    roles = access.require(request, Action.PROPOSE)
    if request.method == "POST":
        form = ItemProposalForm(request.POST, request.FILES, roles=roles)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            files = fields.pop("attachments")
            try:
                proposal = services.submit_proposal(proposer=roles.person, files=files, **fields)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Tack! Förslaget är inlämnat. Strategiska RUS-gruppen bereder det och du "
                        "får besked i appen och per e-post."
                    ),
                )
                return redirect("meetings:proposal_detail", pk=proposal.pk)
    else:
        initial = {}
        wished = request.GET.get("mote")
        if wished and wished.isdigit():
            initial["wished_meeting"] = int(wished)
        form = ItemProposalForm(roles=roles, initial=initial)
    return render(request, "meetings/proposals/form.html", {"form": form})


@login_required
@require_GET
def proposal_detail(request, pk):
    proposal = access.get_proposal_for_user(request, pk)
    return render(
        request,
        "meetings/proposals/detail.html",
        {
            "proposal": proposal,
            "attachments": proposal.attachments.all(),
            "may": access.rights(request.user),
        },
    )


@login_required
@require_GET
def proposal_attachment(request, pk, attachment_pk):
    """Proposal documents are served only to those who may read the proposal."""
    proposal = access.get_proposal_for_user(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type_for(attachment.original_name),
    )


@login_required
@require_GET
def proposal_queue(request):
    """The RUS group's queue: accept into a meeting, defer, or decline with a reason (R6, R9)."""
    access.require(request, Action.PREPARE_AGENDA)
    context = selectors.proposal_queue()
    meetings = context["meetings"]
    rows = render_fragments(
        request,
        QUEUE_TEMPLATE + "#proposal-row",
        name="proposal-row",
        rows=[
            (
                selectors.queue_row_state(proposal, meetings),
                lambda proposal=proposal: {"proposal": proposal, "meetings": meetings},
            )
            for proposal in context["open_proposals"]
        ],
    )
    for proposal, html in zip(context["open_proposals"], rows, strict=True):
        proposal.row_html = html
    return render(request, QUEUE_TEMPLATE, context)


FORMS = {
    "accept": AcceptProposalForm,
    "defer": DeferProposalForm,
    "decline": DeclineProposalForm,
}


def _decide(request, pk, action):
    proposal = access.get_proposal_for_user(request, pk, action=Action.PREPARE_AGENDA)
    form = FORMS[action](request.POST, proposal=proposal)
    if form.is_valid():
        try:
            if action == "accept":
                item = services.accept_proposal(
                    proposal=proposal,
                    meeting=form.cleaned_data["meeting"],
                    user=request.user,
                    version=form.cleaned_data["version"],
                )
                message = _(
                    "”%(title)s” lades som punkt %(number)s på dagordningen för %(meeting)s."
                ) % {"title": proposal.title, "number": item.number, "meeting": item.meeting}
            elif action == "defer":
                services.defer_proposal(
                    proposal=proposal,
                    meeting=form.cleaned_data["meeting"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
                message = _("”%(title)s” sköts upp till %(meeting)s.") % {
                    "title": proposal.title,
                    "meeting": form.cleaned_data["meeting"],
                }
            else:
                services.decline_proposal(
                    proposal=proposal,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    version=form.cleaned_data["version"],
                )
                message = _("”%(title)s” avslogs.") % {"title": proposal.title}
        except ValidationError as error:
            form.add_error(None, error)
        else:
            proposal = selectors.queue_row(proposal.pk)
            if request.htmx:
                return render(
                    request,
                    QUEUE_TEMPLATE + "#proposal-row",
                    {"proposal": proposal, "done_message": message},
                )
            messages.success(request, message)
            return redirect("meetings:proposal_queue")
    form.action = action
    if request.htmx:
        context = {
            "proposal": selectors.queue_row(pk, failed_form=form),
            "meetings": selectors.meetings_to_place_in(),
        }
        return render(request, QUEUE_TEMPLATE + "#proposal-row", context)
    return render(request, QUEUE_TEMPLATE, selectors.proposal_queue(failed={proposal.pk: form}))


@login_required
@require_POST
def proposal_accept(request, pk):
    return _decide(request, pk, "accept")


@login_required
@require_POST
def proposal_defer(request, pk):
    return _decide(request, pk, "defer")


@login_required
@require_POST
def proposal_decline(request, pk):
    return _decide(request, pk, "decline")
