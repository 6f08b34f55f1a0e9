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
from tests.factories import make_user

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


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


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
