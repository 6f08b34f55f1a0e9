"""Template tags for the review part: the panel on the meeting page (R9, R11)."""

from django import template
from django.db.models import Count, Q

from meetings import access
from meetings.access import Action
from meetings.models import AgendaItem, ItemProposal, ItemQuestion, ItemReview

register = template.Library()


@register.inclusion_tag("meetings/review/panel.html")
def review_panel(meeting, roles):
    """Links and counts for the meeting page: expected dissent, questions, proposals.

    A fixed number of queries whatever the size of the agenda.
    """
    may = access.roles_rights(roles, meeting)
    context = {
        "meeting": meeting,
        "review_open": meeting.review_is_open,
        "seated": roles.sits_in(meeting.council),
        "may": may,
    }
    context["has_links"] = (
        (context["seated"] and context["review_open"])
        or may[Action.FOLLOW_REVIEW]
        or may[Action.PREPARE_AGENDA]
    )
    if may[Action.FOLLOW_REVIEW]:
        context["position_count"] = meeting.items.filter(kind=AgendaItem.Kind.POSITION).count()
        context.update(
            ItemReview.objects.filter(item__meeting=meeting).aggregate(
                answers=Count("id"),
                at_risk=Count("id", filter=Q(expects_dissent=True) | Q(anchored="no")),
            )
        )
        context["unanswered_questions"] = ItemQuestion.objects.filter(
            item__meeting=meeting, answered_at__isnull=True
        ).count()
    if may[Action.PREPARE_AGENDA]:
        context["open_proposals"] = (
            ItemProposal.objects.open()
            .filter(Q(wished_meeting=meeting) | Q(deferred_to=meeting))
            .count()
        )
    return context
