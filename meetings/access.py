"""Who may see and change meetings and agendas (R6, R7; docs/roles.md).

- Members see the meetings of the councils they currently sit in.
- The strategiska RUS-gruppen and the secretariat see every meeting.
- A presenter sees the meeting of an item they present, and only the items they present.
- Anonymous users see nothing (views are behind `login_required`).

Fetch-and-check helpers raise Http404 for meetings a user may not know exist and
PermissionDenied (403) for meetings they may read but not change.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

from councils.access import roles_for

from .models import AgendaItem, Meeting


def sees_all_meetings(roles):
    return roles.is_secretariat or roles.is_rus_group


def visible_meetings(user):
    """Meetings the user may read, as a QuerySet (no ordering imposed beyond the model's)."""
    if not user.is_authenticated:
        return Meeting.objects.none()
    roles = roles_for(user)
    if sees_all_meetings(roles):
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
    if sees_all_meetings(roles):
        return Count("items")
    seen = Q(council_id__in=roles.council_ids)
    if roles.person is not None:
        seen |= Q(items__presenter=roles.person)
    return Count("items", filter=seen)


def sees_whole_agenda(user, meeting):
    """False for a presenter who is not a member: they see only the items they present (R7)."""
    roles = roles_for(user)
    return sees_all_meetings(roles) or roles.sits_in(meeting.council)


def visible_items(user, meeting, items=None):
    """The meeting's agenda items the user may read, in agenda order."""
    items = meeting.items.all() if items is None else items
    if sees_whole_agenda(user, meeting):
        return items
    person = roles_for(user).person
    if person is None:
        return items.none() if hasattr(items, "none") else []
    if hasattr(items, "filter"):
        return items.filter(presenter=person)
    return [item for item in items if item.presenter_id == person.pk]


def can_edit_meeting(user, meeting=None):
    """Create, edit, reschedule or cancel meetings: the secretariat only (R8)."""
    return roles_for(user).is_secretariat


def can_edit_agenda(user, meeting):
    """Assemble the agenda: the secretariat and the strategiska RUS-gruppen (R6)."""
    roles = roles_for(user)
    return roles.is_secretariat or roles.is_rus_group


def can_prepare_items(user, meeting):
    """Mark items as prepared (beredda): the RUS group, and the secretariat on its behalf (R6)."""
    return can_edit_agenda(user, meeting)


def can_approve_agenda(user, meeting):
    """Approve the agenda: the chair of that council, or the secretariat for the chair (R7)."""
    roles = roles_for(user)
    return roles.is_secretariat or roles.chairs(meeting.council)


def get_meeting_for_user(request, pk, write=False):
    """Fetch a meeting the user may read; 404 otherwise.

    With `write=True` the user must also be allowed to edit the agenda (secretariat or RUS
    group), otherwise PermissionDenied (403).
    """
    try:
        meeting = (
            visible_meetings(request.user)
            .select_related("council", "agenda_approved_by__person")
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404("Sammanträdet finns inte.") from None
    if write and not can_edit_agenda(request.user, meeting):
        raise PermissionDenied("Du får inte ändra det här sammanträdet.")
    return meeting


def get_item_for_user(request, meeting_pk, item_pk, write=False):
    """Fetch an agenda item the user may read (presenters: only their own items); 404 otherwise."""
    meeting = get_meeting_for_user(request, meeting_pk, write=write)
    items = visible_items(request.user, meeting)
    try:
        item = items.get(pk=item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404("Punkten finns inte.") from None
    item.meeting = meeting
    return item


def require_meeting_editor(request):
    if not can_edit_meeting(request.user):
        raise PermissionDenied("Bara kansliet får skapa och ändra sammanträden.")
