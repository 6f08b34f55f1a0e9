"""Who may see and do what with meetings, agendas, proposals, reviews and invitations (R6–R11).

Every view starts with one of the fetch-and-check helpers below, with the policy of
`councils.access`: an object the user may not see is a 404, an action on a visible object they
may not take is a 403.

Who sees a meeting:
- Members see the meetings of the councils they currently sit in.
- Those who prepare the agendas (`Roles.prepares_agendas`: the strategiska RUS-gruppen and the
  secretariat, R6, R8) see every meeting.
- A presenter sees the meeting of an item they present, and only the items they present (R7).
- Anonymous users see nothing (views are behind `login_required`), except what a signed token
  opens: their reply page and their calendar feed.

What they may do with it: one `Action` per right, each with one rule in `RULES`. Views ask
`get_meeting_for_user(request, pk, action=Action.…)`, code asks `may(user, action, meeting)` and
templates `{% if may.prepare_agenda %}` (the dict from `rights(user, meeting)`).
"""

import enum
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from councils.access import roles_for
from councils.models import Membership

from .models import (
    AgendaItem,
    Attachment,
    CalendarFeed,
    Invitation,
    ItemProposal,
    ItemQuestion,
    Meeting,
)
from .tokens import InvalidReplyToken, read_reply_token, recipient_key


class Action(enum.StrEnum):
    READ = "read"
    READ_AGENDA = "read_agenda"
    EDIT_MEETING = "edit_meeting"
    PREPARE_AGENDA = "prepare_agenda"
    APPROVE_AGENDA = "approve_agenda"
    SEND_INVITATIONS = "send_invitations"
    FOLLOW_INVITATIONS = "follow_invitations"
    CANCEL_MEETING = "cancel_meeting"
    FOLLOW_REVIEW = "follow_review"
    ANSWER_QUESTIONS = "answer_questions"
    PROPOSE = "propose"


def _chairs(roles, meeting):
    return meeting is not None and roles.chairs(meeting.council)


def _sits_in(roles, meeting):
    return meeting is not None and roles.sits_in(meeting.council)


def _not_held(meeting):
    return meeting is None or not meeting.is_frozen


# Each rule takes the user's Roles and the meeting (None for an action without one).
RULES = {
    # Seeing the meeting is decided by `visible_meetings`: whoever fetched it may read it.
    Action.READ: lambda roles, meeting: True,
    # The whole agenda, its PDF and preview: not a presenter from outside the council (R7).
    Action.READ_AGENDA: lambda roles, meeting: roles.prepares_agendas or _sits_in(roles, meeting),
    # Create, edit, reschedule, cancel, reinstate and mark meetings held: the secretariat (R8).
    Action.EDIT_MEETING: lambda roles, meeting: roles.is_secretariat,
    # Assemble the agenda, mark items prepared, place item proposals (R6); until the meeting is
    # held, when the agenda becomes part of the record.
    Action.PREPARE_AGENDA: lambda roles, meeting: roles.prepares_agendas and _not_held(meeting),
    # Approve the agenda: the council's chair, or the secretariat for the chair where the
    # council allows it (R7; `Council.secretariat_may_approve_for_chair`).
    Action.APPROVE_AGENDA: lambda roles, meeting: (
        _chairs(roles, meeting)
        or (
            roles.is_secretariat
            and (meeting is None or meeting.council.secretariat_may_approve_for_chair)
        )
    ),
    # Send invitations and updates: the chair invites (R7); the secretariat may, in the chair's
    # name, where the council allows it.
    Action.SEND_INVITATIONS: lambda roles, meeting: (
        _chairs(roles, meeting)
        or (roles.is_secretariat and meeting is not None and meeting.council.secretariat_may_invite)
    ),
    # Follow deliveries and answers, resend, record answers given by phone.
    Action.FOLLOW_INVITATIONS: lambda roles, meeting: (
        roles.is_secretariat or _chairs(roles, meeting)
    ),
    # Cancel a meeting and tell everyone invited.
    Action.CANCEL_MEETING: lambda roles, meeting: roles.is_secretariat or _chairs(roles, meeting),
    # The matrix of expected dissent and the members' questions (R11).
    Action.FOLLOW_REVIEW: lambda roles, meeting: roles.prepares_agendas or _chairs(roles, meeting),
    # Answer the members' questions about items (R8).
    Action.ANSWER_QUESTIONS: lambda roles, meeting: roles.is_secretariat,
    # Propose an agenda item (R9).
    Action.PROPOSE: lambda roles, meeting: roles.may_propose,
}

REFUSALS = {
    Action.READ_AGENDA: "Du ser bara de punkter du föredrar.",
    Action.EDIT_MEETING: "Bara kansliet får skapa och ändra sammanträden.",
    Action.PREPARE_AGENDA: (
        "Bara strategiska RUS-gruppen och kansliet bereder dagordningar, och bara innan "
        "sammanträdet har hållits."
    ),
    Action.APPROVE_AGENDA: (
        "Bara ordföranden (eller kansliet för ordföranden, där rådet tillåter det) kan "
        "godkänna dagordningen."
    ),
    Action.SEND_INVITATIONS: "Bara rådets ordförande (eller kansliet i dess namn) kallar.",
    Action.FOLLOW_INVITATIONS: "Bara ordföranden och kansliet följer kallelsen.",
    Action.CANCEL_MEETING: "Bara ordföranden och kansliet ställer in sammanträden.",
    Action.FOLLOW_REVIEW: "Bara kansliet, RUS-gruppen och rådets ordförande ser förhandsbeskeden.",
    Action.ANSWER_QUESTIONS: "Bara kansliet svarar på frågor.",
    Action.PROPOSE: "Bara ledamöter som företräder en organisation i ett råd kan föreslå ärenden.",
}


def may(user, action, meeting=None):
    """Whether `user` may take `action` (on `meeting`, when the action concerns one)."""
    return RULES[action](roles_for(user), meeting)


def rights(user, meeting=None):
    """Every action's answer (for one meeting), for templates: `{% if may.approve_agenda %}`."""
    return roles_rights(roles_for(user), meeting)


def roles_rights(roles, meeting=None):
    """`rights` for a user's Roles (what templates have as `roles`)."""
    return {action.value: rule(roles, meeting) for action, rule in RULES.items()}


def check(user, action, meeting=None):
    """PermissionDenied (403) unless `user` may take `action`. Services call it too."""
    if not may(user, action, meeting):
        raise PermissionDenied(REFUSALS.get(action, "Du har inte behörighet."))


def require(request, action):
    """For pages without a meeting (lists, create forms, the proposal queue): 403 unless the
    action is allowed. Returns the user's roles."""
    check(request.user, action)
    return roles_for(request.user)


# --- Meetings and agenda items ----------------------------------------------------------------


def visible_meetings(user):
    """Meetings the user may read, as a QuerySet (no ordering imposed beyond the model's)."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    roles = roles_for(user)
    if roles.prepares_agendas:
        return Meeting.objects.all()
    condition = Q(council_id__in=roles.council_ids)
    if roles.person is not None:
        presenting = AgendaItem.objects.filter(presenter=roles.person).values("meeting_id")
        condition |= Q(pk__in=presenting)
    return Meeting.objects.filter(condition)


def visible_item_count(user):
    """An annotation for `visible_meetings(user)`: the number of items the user may read in each
    meeting. A presenter outside the council counts only the items they present (R7)."""
    roles = roles_for(user)
    if roles.prepares_agendas:
        return Count("items")
    seen = Q(council_id__in=roles.council_ids)
    if roles.person is not None:
        seen |= Q(items__presenter=roles.person)
    return Count("items", filter=seen)


def visible_items(user, meeting, items=None):
    """The meeting's agenda items the user may read, in agenda order."""
    items = meeting.items.all() if items is None else items
    if may(user, Action.READ_AGENDA, meeting):
        return items
    person = roles_for(user).person
    if person is None:
        return items.none() if hasattr(items, "none") else []
    if hasattr(items, "filter"):
        return items.filter(presenter=person)
    return [item for item in items if item.presenter_id == person.pk]


def get_meeting_for_user(request, pk, *, action=Action.READ):
    """A meeting the user may read (404 otherwise) on which they may take `action` (403)."""
    try:
        meeting = (
            visible_meetings(request.user)
            .select_related("council", "agenda_approved_by__person", "agenda_prepared_by__person")
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404("Sammanträdet finns inte.") from None
    check(request.user, action, meeting)
    return meeting


def get_item_for_user(request, meeting_pk, item_pk, *, action=Action.READ):
    """An agenda item the user may read (presenters: only their own items; 404 otherwise) of a
    meeting on which they may take `action` (403)."""
    meeting = get_meeting_for_user(request, meeting_pk)
    try:
        item = visible_items(request.user, meeting).get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404("Punkten finns inte.") from None
    check(request.user, action, meeting)
    item.meeting = meeting
    return item


def get_attachment_for_user(request, meeting_pk, attachment_pk, *, action=Action.READ):
    """An attachment of an item the user may read (presenters: their own items); 404 otherwise."""
    try:
        attachment = Attachment.objects.get(pk=attachment_pk, item__meeting_id=meeting_pk)
    except Attachment.DoesNotExist:
        raise Http404("Bilagan finns inte.") from None
    attachment.item = get_item_for_user(request, meeting_pk, attachment.item_id, action=action)
    return attachment


# --- Review before the meeting (R11) -----------------------------------------------------------


@dataclass
class Seat:
    """What the signed-in member may do for their organisations in one council."""

    # Organisations they answer for before the meeting (förankrad, expected dissent; R10, R11).
    review_organisations: list = field(default_factory=list)
    # Organisations on whose behalf they may ask the secretariat about an item.
    question_organisations: list = field(default_factory=list)


def seats_for(roles):
    """{council_id: Seat} from the person's current memberships (one query)."""
    seats = {}
    if roles.person is None:
        return seats
    memberships = (
        Membership.objects.current()
        .filter(person=roles.person)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    for membership in memberships:
        seat = seats.setdefault(membership.council_id, Seat())
        organisation = membership.organisation
        if organisation not in seat.question_organisations:
            seat.question_organisations.append(organisation)
        if (
            membership.role in Membership.REVIEW_ROLES
            and organisation not in seat.review_organisations
        ):
            seat.review_organisations.append(organisation)
    return seats


def get_item_for_reviewer(request, item_pk):
    """An item of a meeting the user may read, and the user's seat in that council.

    404 when the meeting is not visible; 403 when the user has no seat in that council (the
    RUS group and the secretariat read every meeting but answer only for their own councils).
    """
    meeting_id = AgendaItem.objects.filter(pk=item_pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404("Punkten finns inte.")
    item = get_item_for_user(request, meeting_id, item_pk)
    seat = seats_for(roles_for(request.user)).get(item.meeting.council_id)
    if seat is None:
        raise PermissionDenied("Du företräder ingen organisation i det här rådet.")
    return item, seat


def get_question_for_user(request, pk, *, action=Action.ANSWER_QUESTIONS):
    """A member's question on an item of a meeting the user may read (404), if they may take
    `action` on it (403)."""
    question = get_object_or_404(
        ItemQuestion.objects.select_related("item__meeting__council", "asked_by__user"), pk=pk
    )
    question.item.meeting = get_meeting_for_user(request, question.item.meeting_id, action=action)
    return question


# --- Item proposals (R9) ------------------------------------------------------------------------


def get_proposal_for_user(request, pk, *, action=Action.READ):
    """A proposal is read by the proposing organisation's representatives, the proposer and
    those who prepare the agendas; for everyone else it does not exist (404). Deciding on it
    takes `Action.PREPARE_AGENDA` (403)."""
    proposal = get_object_or_404(ItemProposal.objects.with_related(), pk=pk)
    roles = roles_for(request.user)
    reads = (
        roles.prepares_agendas
        or proposal.organisation_id in roles.organisation_ids
        or (roles.person is not None and proposal.proposer_id == roles.person.pk)
    )
    if not reads:
        raise Http404("Förslaget finns inte.")
    check(request.user, action)
    return proposal


# --- Invitations (R7) ---------------------------------------------------------------------------


def get_invitation_for_user(request, meeting_pk, invitation_pk, *, action):
    """One person's invitation to a meeting the user may read (404), for `action` (403)."""
    meeting = get_meeting_for_user(request, meeting_pk, action=action)
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting__council", "membership"),
        pk=invitation_pk,
        meeting=meeting,
    )
    invitation.meeting = meeting
    return invitation


def get_own_invitation(request, meeting_pk):
    """The signed-in user's own invitation to a meeting; 404 when they have none."""
    person = roles_for(request.user).person
    if person is None:
        raise Http404("Du har ingen kallelse till det här sammanträdet.")
    return get_object_or_404(
        Invitation.objects.select_related("meeting__council", "membership"),
        meeting_id=meeting_pk,
        person=person,
    )


def get_invitation_for_token(token, *, now=None):
    """The invitation a reply link is for; no login, the signed token is the key.

    InvalidReplyToken when it is forged, altered, for another invitation, or when the
    invitation no longer takes answers (the meeting is over or cancelled).
    """
    invitation_id, meeting_id, who = read_reply_token(token)
    invitation = (
        Invitation.objects.select_related("meeting__council", "person", "membership")
        .filter(pk=invitation_id, meeting_id=meeting_id)
        .first()
    )
    if invitation is None or who != recipient_key(invitation):
        raise InvalidReplyToken(gettext("Länken är inte giltig."))
    if not invitation.takes_replies(now=now):
        raise InvalidReplyToken(gettext("Det går inte längre att svara på kallelsen."))
    return invitation


def own_person(request):
    """The signed-in user's person in the register (None without one): their calendar feed."""
    return roles_for(request.user).person


def require_own_person(request):
    person = own_person(request)
    if person is None:
        raise Http404("Ditt konto är inte kopplat till någon person.")
    return person


def get_calendar_feed_for_token(token):
    """A person's private calendar feed; the secret token in the URL is the only key (404)."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token)
    if not feed.person.active:
        raise Http404("Kalendern finns inte.")
    return feed
