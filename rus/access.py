"""Who may see and change the strategy (R13, R14): every signed-in user reads it, the
secretariat keeps it, as it keeps the registers; so the rights are the registers' own
(`councils.access.Action`), with the same policy: 404 for what does not exist, 403 for an
action the user may not take.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from councils.access import Action, require

from .documents import registry
from .models import (
    FocusArea,
    InfluenceIssue,
    RenderedDocument,
    StrategicPlan,
    SubStrategy,
    TargetArea,
)

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


def get_document_for_user(request, pk, *, rerender=False):
    """A rendered document (rus.documents): who may read it, and who may ask for a failed one
    again, is the owning app's rule, through its renderer. 404 for a document the user may not
    read, 403 for a rerender they may not ask for."""
    document = get_object_or_404(RenderedDocument, pk=pk)
    renderer = registry.get(document.kind)
    if not renderer.may_read(request.user, document):
        raise Http404("Dokumentet finns inte.")
    if rerender and not renderer.may_rerender(request.user, document):
        raise PermissionDenied("Du får inte be om att dokumentet skapas igen.")
    return document


def document_status(user, document):
    """The context of templates/documents/status.html for `document` (None: nothing yet):
    the row, its renderer's label, and whether `user` may ask for it again."""
    if document is None:
        return None
    renderer = registry.get(document.kind)
    return {
        "document": document,
        "label": renderer.label,
        "may_rerender": document.is_failed and renderer.may_rerender(user, document),
    }
