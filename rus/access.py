"""Who may see and change the strategy (R13, R14): every signed-in user reads it, the
secretariat keeps it, as it keeps the registers; so the rights are the registers' own
(`councils.access.Action`), with the same policy: 404 for what does not exist, 403 for an
action the user may not take.
"""

from django.shortcuts import get_object_or_404

from councils.access import Action, require

from .models import FocusArea, InfluenceIssue, StrategicPlan, SubStrategy, TargetArea

__all__ = [
    "Action",
    "get_focus_area_for_user",
    "get_influence_issue_for_user",
    "get_plan_for_user",
    "get_sub_strategy_for_user",
    "get_target_area_for_user",
    "require",
]


def _get(request, queryset, pk, action):
    found = get_object_or_404(queryset, pk=pk)
    require(request, action)
    return found


def get_plan_for_user(request, pk, *, action=Action.READ):
    return _get(request, StrategicPlan.objects.select_related("strategy", "based_on"), pk, action)


def get_focus_area_for_user(request, pk, *, action=Action.READ):
    return _get(request, FocusArea.objects.select_related("plan"), pk, action)


def get_influence_issue_for_user(request, pk, *, action=Action.READ):
    return _get(request, InfluenceIssue.objects.select_related("plan"), pk, action)


def get_target_area_for_user(request, pk, *, action=Action.READ):
    return _get(request, TargetArea.objects.all(), pk, action)


def get_sub_strategy_for_user(request, pk, *, action=Action.READ):
    return _get(request, SubStrategy.objects.all(), pk, action)


def get_outgoing_mail_for_user(request, pk):
    """A notice in the outbox: the secretariat follows up what could not be delivered."""
    from .models import OutgoingMail

    return _get(request, OutgoingMail.objects.all(), pk, Action.EDIT)
