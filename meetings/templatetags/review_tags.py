"""Template tags for the review part: the panel on the meeting page (R9, R11)."""

from django import template
from django.db.models import Count, Q

from meetings.models import AgendaItem, ItemProposal, ItemQuestion, ItemReview

register = template.Library()


@register.inclusion_tag("meetings/review/panel.html")
def review_panel(meeting, roles):
    """Links and counts for the meeting page: expected dissent, questions, proposals.

    A fixed number of queries whatever the size of the agenda.
    """
    from meetings.views.proposals import may_work_queue
    from meetings.views.review import may_see_matrix, review_is_open

    context = {
        "meeting": meeting,
        "review_open": review_is_open(meeting),
        "seated": roles.sits_in(meeting.council),
        "may_propose": bool(roles.organisation_ids) and roles.sits_in(meeting.council),
        "may_see_matrix": may_see_matrix(roles, meeting),
        "may_work_queue": may_work_queue(roles),
    }
    context["has_links"] = (
        (context["seated"] and context["review_open"])
        or context["may_see_matrix"]
        or context["may_work_queue"]
    )
    if context["may_see_matrix"]:
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
    if context["may_work_queue"]:
        context["open_proposals"] = (
            ItemProposal.objects.open()
            .filter(Q(wished_meeting=meeting) | Q(deferred_to=meeting))
            .count()
        )
    return context
