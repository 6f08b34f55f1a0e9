"""Every register page sends an anonymous visitor to the login page, for GET and POST."""

import pytest
from django.urls import reverse

from tests.factories import make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(council):
    membership = make_membership(council=council, side="majority")
    return {
        "slug": council.slug,
        "membership": membership.pk,
        "person": membership.person_id,
        "organisation": membership.organisation_id,
    }


URLS = [
    ("council_list", None),
    ("council_create", None),
    ("register_history", None),
    ("council_detail", "slug"),
    ("council_edit", "slug"),
    ("council_history", "slug"),
    ("council_export_csv", "slug"),
    ("council_export_xlsx", "slug"),
    ("membership_create", "slug"),
    ("import_upload", "slug"),
    ("import_confirm", "slug"),
    ("import_template", "slug"),
    ("membership_edit", "membership"),
    ("membership_end", "membership"),
    ("organisation_list", None),
    ("organisation_create", None),
    ("organisation_detail", "organisation"),
    ("organisation_edit", "organisation"),
    ("organisation_history", "organisation"),
    ("person_list", None),
    ("person_create", None),
    ("person_detail", "person"),
    ("person_edit", "person"),
    ("person_history", "person"),
]


@pytest.mark.parametrize(("name", "arg"), URLS)
def test_anonymous_is_sent_to_login(client, objects, name, arg):
    url = reverse(f"councils:{name}", args=[objects[arg]] if arg else [])
    for method in (client.get, client.post):
        response = method(url)
        if response.status_code == 405:  # GET-only or POST-only view
            continue
        assert response.status_code == 302, (name, method)
        assert response.url.startswith("/konto/logga-in/")
