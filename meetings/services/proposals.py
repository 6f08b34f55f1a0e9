"""Item proposals (R9): submitted by a member organisation, placed by the RUS group (R6).

Every decision is told to the proposer by email through the Celery mail task.
"""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councils.models import Council, Membership
from councils.selectors import contact_emails
from meetings.models import ItemProposal, ProposalAttachment
from meetings.services.agenda import add_attachment, add_item
from meetings.uploads import safe_filename
from rus.tasks import queue_mail


@transaction.atomic
def submit_proposal(*, proposer, organisation, files=(), **fields):
    """Store a new proposal with its attachments. The caller checks that `proposer` currently
    represents `organisation` (R9)."""
    proposal = ItemProposal(proposer=proposer, organisation=organisation, **fields)
    proposal.full_clean()
    proposal.save()
    for uploaded in files:
        add_proposal_attachment(proposal=proposal, uploaded_file=uploaded)
    notify_rus_group(proposal=proposal)
    return proposal


def rus_group_emails():
    """Addresses of the current members of the strategiska RUS-gruppen (R6)."""
    return contact_emails(
        Membership.objects.current().filter(council__kind=Council.Kind.PREPARATION)
    )


def notify_rus_group(*, proposal):
    """Tell the RUS group a proposal waits in the queue (emails/proposal_submitted-*)."""
    to = rus_group_emails()
    if not to:
        return
    wished = proposal.wished_meeting
    context = {
        "title": proposal.title,
        "organisation": proposal.organisation.name,
        "proposer_name": proposal.proposer.full_name,
        "kind_label": ItemProposal.Kind(proposal.kind).label,  # resolved in Swedish
        "meeting": str(wished) if wished else "",
        "path": reverse("meetings:proposal_queue") + f"#forslag-{proposal.pk}",
    }
    queue_mail(template="proposal_submitted", to=to, context=context)


def add_proposal_attachment(*, proposal, uploaded_file):
    """Attach one already validated upload (meetings.uploads.validate_upload) to a proposal."""
    name = safe_filename(uploaded_file.name)
    return ProposalAttachment.objects.create(
        proposal=proposal, file=uploaded_file, original_name=name, size=uploaded_file.size
    )


def _lock_open(proposal, version):
    """The proposal, locked, if it is still open and (with `version`, the one the deciding page
    showed) no one has decided on it since: a decision from a stale page is refused."""
    locked = ItemProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_open:
        raise ValidationError(
            gettext("Förslaget är redan behandlat (%(status)s)."),
            code="already_decided",
            params={"status": locked.get_status_display().lower()},
        )
    if version is not None and locked.version != version:
        status = locked.get_status_display().lower()
        if locked.deferred_to:
            status = f"{status}: {locked.deferred_to}"
        raise ValidationError(
            _(
                "Någon annan har behandlat förslaget sedan sidan laddades (nu %(status)s), så "
                "ditt beslut är inte sparat. Se över förslaget och fatta beslutet igen."
            ),
            code="stale",
            params={"status": status},
        )
    return locked


def _decide(proposal, *, status, user, reason=""):
    proposal.status = status
    proposal.decision_reason = reason
    proposal.decided_by = user
    proposal.decided_at = timezone.now()


@transaction.atomic
def accept_proposal(*, proposal, meeting, user, version=None):
    """Put the proposal on the meeting's agenda as a new item, attachments copied (R6, R9).

    The item is appended through the agenda service, which marks it "ändrad efter godkännande"
    when the agenda is already approved.
    """
    proposal = _lock_open(proposal, version)
    item = add_item(
        meeting=meeting,
        user=user,
        proposing_organisation=proposal.organisation,
        **{name: getattr(proposal, name) for name in ItemProposal.R12_FIELDS},
    )
    for attachment in proposal.attachments.all():
        with attachment.file.open("rb") as handle:
            add_attachment(
                item=item, uploaded_file=File(handle, name=attachment.original_name), user=user
            )
    _decide(proposal, status=ItemProposal.Status.ACCEPTED, user=user)
    proposal.agenda_item = item
    proposal.deferred_to = None
    proposal.save()
    notify_proposer(proposal=proposal, meeting=meeting)
    return item


@transaction.atomic
def defer_proposal(*, proposal, meeting, user, reason="", version=None):
    """Keep the proposal open for a later meeting; it comes back in the queue (R6)."""
    proposal = _lock_open(proposal, version)
    _decide(proposal, status=ItemProposal.Status.DEFERRED, user=user, reason=reason.strip())
    proposal.deferred_to = meeting
    proposal.save()
    notify_proposer(proposal=proposal, meeting=meeting)
    return proposal


@transaction.atomic
def decline_proposal(*, proposal, user, reason, version=None):
    """Decline with a reason the proposer sees in the app and in the mail (R9)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(gettext("Skriv varför förslaget avslås."), code="reason_required")
    proposal = _lock_open(proposal, version)
    _decide(proposal, status=ItemProposal.Status.DECLINED, user=user, reason=reason)
    proposal.save()
    notify_proposer(proposal=proposal, meeting=None)
    return proposal


def notify_proposer(*, proposal, meeting):
    """Mail the decision to the proposer (templates/emails/proposal_decided-*)."""
    to = proposal.proposer.contact_email
    if not to:
        return
    context = {
        "proposer_name": proposal.proposer.full_name,
        "organisation": proposal.organisation.name,
        "title": proposal.title,
        "status": proposal.status,
        "status_label": ItemProposal.Status(proposal.status).label,
        "reason": proposal.decision_reason,
        "meeting": str(meeting) if meeting else "",
        "council": str(meeting.council) if meeting else "",
        "path": reverse("meetings:proposal_detail", args=[proposal.pk]),
    }
    queue_mail(template="proposal_decided", to=[to], context=context)
