"""Who may see and change follow-ups (R10, R9).

The policy of `councils.access`: a follow-up the user may not see is a 404; seeing it but not
having the right to change it is a 403. Anonymous users see nothing here (the public archive
shows published positions, not their follow-up rows).

- The secretariat (R8) and the strategiska RUS-gruppen (R6) see every council's follow-ups;
  a council's members see those of their council's positions; a person who represents an
  organisation sees their organisation's rows wherever the position was taken.
- Only the secretariat and those who represent the row's organisation change a row: a member
  of one organisation never changes another organisation's decision.
- The coverage report is read by every signed-in user, like the strategy it reports on (R13).
- Its public version in the archive (R15) is read by anyone, and counts only what the archive
  publishes: `public_report_protocols()`.
"""

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from councils.access import roles_for
from councils.models import Council
from protocols import access as protocol_access
from protocols.models import Protocol, ProtocolEntry

from .models import FollowUp


class Action(enum.StrEnum):
    READ = "read"
    EDIT = "edit"
    READ_HISTORY = "read_history"


REFUSALS = {
    Action.READ: "Du har inte tillgång till uppföljningen.",
    Action.EDIT: (
        "Bara kansliet och de som företräder organisationen ändrar organisationens uppföljning."
    ),
    Action.READ_HISTORY: "Bara kansliet och organisationens företrädare ser ändringshistoriken.",
}


def sees_all(roles):
    return roles.is_secretariat or roles.is_rus_group


def may_see_matrix(user):
    """The matrix page: the secretariat, the RUS group, and anyone with a seat."""
    roles = roles_for(user)
    return sees_all(roles) or roles.is_member


def visible_followups(user):
    """A filter on FollowUp: the rows `user` may see."""
    roles = roles_for(user)
    if sees_all(roles):
        return Q()
    return Q(entry__council_id__in=roles.council_ids) | Q(
        organisation_id__in=roles.organisation_ids
    )


def visible_councils(user):
    roles = roles_for(user)
    councils = Council.objects.exclude(kind=Council.Kind.PREPARATION)
    if sees_all(roles):
        return councils
    return councils.filter(pk__in=roles.council_ids)


def may_see_position(user, entry):
    """A position's follow-up row: for the secretariat, the RUS group, the council's members,
    and those whose organisation has a row in it."""
    roles = roles_for(user)
    if sees_all(roles) or roles.sits_in(entry.council):
        return True
    if not roles.organisation_ids:
        return False
    return entry.followups.filter(organisation_id__in=roles.organisation_ids).exists()


def may(user, action, followup):
    roles = roles_for(user)
    if action == Action.READ:
        return followup.organisation_id in roles.organisation_ids or may_see_position(
            user, followup.entry
        )
    # EDIT and READ_HISTORY: the organisation's own representatives and the secretariat.
    return roles.is_secretariat or followup.organisation_id in roles.organisation_ids


def check(user, action, followup):
    if not may(user, action, followup):
        raise PermissionDenied(REFUSALS[action])


def require_matrix(request):
    """The matrix and its export: 403 for a signed-in user without a seat or a role."""
    if not may_see_matrix(request.user):
        raise PermissionDenied(REFUSALS[Action.READ])
    return roles_for(request.user)


def get_followup_for_user(request, pk, *, action=Action.READ):
    """A follow-up the user may see (404), for `action` (403)."""
    followup = get_object_or_404(
        FollowUp.objects.select_related("entry__council", "entry__protocol__meeting"), pk=pk
    )
    if not may(request.user, Action.READ, followup):
        raise Http404("Uppföljningen finns inte.")
    check(request.user, action, followup)
    return followup


def get_position_for_user(request, entry_pk):
    """A consensus position of an adjusted protocol whose follow-up the user may see (404)."""
    entry = get_object_or_404(
        ProtocolEntry.objects.select_related("council", "protocol__meeting", "focus_area"),
        pk=entry_pk,
        outcome=ProtocolEntry.Outcome.CONSENSUS,
        protocol__status=Protocol.Status.ADJUSTED,
    )
    if not may_see_position(request.user, entry):
        raise Http404("Ställningstagandet finns inte.")
    return entry


def editable_organisation_ids(user):
    """None when the user may change every organisation's rows (the secretariat), else the
    organisations whose rows they change."""
    roles = roles_for(user)
    if roles.is_secretariat:
        return None
    return roles.organisation_ids


def require_report(request):
    """The coverage report: every signed-in user, like the strategy it reports on (R13)."""
    return roles_for(request.user)


def require_secretariat(request):
    """The Årsunderlag: the secretariat produces it for the planning meeting (R4, R13)."""
    roles = roles_for(request.user)
    if not roles.is_secretariat:
        raise PermissionDenied("Bara kansliet tar fram årsunderlaget.")
    return roles


def get_report_home_for_user(request, protocol_pk):
    """An adjusted protocol and the organisations whose återrapport the user takes home: the
    ones they represent (all, for the secretariat). 404 when there is none for them (R9)."""
    from .documents import report_organisations

    protocol = get_object_or_404(
        Protocol.objects.select_related("meeting", "council"),
        pk=protocol_pk,
        status=Protocol.Status.ADJUSTED,
    )
    roles = roles_for(request.user)
    organisations = report_organisations(protocol)
    if not roles.is_secretariat:
        organisations = [o for o in organisations if o.pk in roles.organisation_ids]
    if not organisations:
        raise Http404("Ingen återrapport för dig.")
    return protocol, organisations


# --- The public coverage report (R15) ---------------------------------------------------------


def public_report_protocols():
    """The protocols the public coverage report counts: what the archive publishes (adjusted
    protocols of councils that publish them), each meeting in its newest adjusted version (a
    corrected protocol counts through its correction). Never a draft, a protocol out for
    justering, an unpublished meeting or a council that does not publish."""
    return protocol_access.public_protocols().exclude(corrections__status=Protocol.Status.ADJUSTED)


def public_report_councils():
    """The councils the public report offers: those that publish their protocols."""
    return list(
        Council.objects.filter(publishes_protocols=True)
        .exclude(kind=Council.Kind.PREPARATION)
        .order_by("kind", "name")
    )
