"""The Django admin works for every strategy model, with its history."""

import pytest
from django.urls import reverse

from rus import demo
from rus.models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    Strategy,
    SubStrategy,
    SustainabilityDimension,
    SustainabilityGoal,
    TargetArea,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Strategy,
    TargetArea,
    StrategicPlan,
    FocusArea,
    InfluenceIssue,
    SubStrategy,
    SustainabilityGoal,
    SustainabilityDimension,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_admin_changelist_and_change_page_load(admin_client, model):
    demo.seed()
    opts = model._meta
    assert admin_client.get(reverse(f"admin:rus_{opts.model_name}_changelist")).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:rus_{opts.model_name}_change", args=[obj.pk])
    assert admin_client.get(change).status_code == 200


@pytest.mark.parametrize("model", MODELS[:6], ids=lambda model: model.__name__)
def test_admin_history_page_loads(admin_client, model):
    demo.seed()
    obj = model.objects.first()
    url = reverse(f"admin:rus_{model._meta.model_name}_history", args=[obj.pk])
    assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_field_has_a_swedish_label(model):
    """Without verbose_name the admin and the history show the English field name ("Strategy")."""
    unnamed = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field._verbose_name is None
    ]
    assert unnamed == []


def test_an_adopted_plan_is_read_only_in_the_admin(admin_client):
    """R13: the adopted version stays as the councils agreed on it, in the admin too."""
    demo.seed()
    plan = StrategicPlan.objects.adopted().first()
    area = plan.focus_areas.first()
    issue = plan.influence_issues.first()
    for name, obj in (("strategicplan", plan), ("focusarea", area), ("influenceissue", issue)):
        change = reverse(f"admin:rus_{name}_change", args=[obj.pk])
        assert admin_client.post(change, {"title": "Ändrad"}).status_code == 403, name
        delete = reverse(f"admin:rus_{name}_delete", args=[obj.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403, name
    plan.refresh_from_db()
    assert plan.is_adopted and plan.title != "Ändrad"
