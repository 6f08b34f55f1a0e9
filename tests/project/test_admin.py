"""The Django admin works for every model of the project: each is registered, and its list and
add pages open for a superuser, with the demo data loaded so that list pages render real rows."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = ("rus", "councils", "meetings", "protocols")


def project_models():
    return [
        model
        for app_label in PROJECT_APPS
        for model in apps.get_app_config(app_label).get_models()
        # simple_history's shadow tables are browsed through each object's history page.
        if not model.__name__.startswith("Historical")
    ]


def inline_models():
    return {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }


@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_every_model_is_in_the_admin(model):
    """Registered on its own, or shown on its parent's page (versions, delivery records)."""
    assert admin.site.is_registered(model) or model in inline_models()


def test_admin_list_and_add_pages_open_for_every_model(admin_client, demo):
    for model in project_models():
        if not admin.site.is_registered(model):
            continue
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(changelist).status_code == 200, changelist
        add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        assert admin_client.get(add).status_code in {200, 403}, add
