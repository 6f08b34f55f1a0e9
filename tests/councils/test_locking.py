"""No silent lost update in the registers: organisations, people, councils and memberships
(councils/locking.py). Each edit form carries the version it was built from; a stale save is
refused (409) with what was typed kept and the saved values shown."""

import pytest
from django.test import Client
from django.urls import reverse

from councils.locking import StaleEdit, check_version
from councils.models import Council, Membership, Organisation, Person
from tests.factories import (
    make_council,
    make_membership,
    make_organisation,
    make_person,
    make_secretariat_user,
)
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


def _organisation():
    organisation = make_organisation("Timrå kommun", short_name="Timrå")
    return organisation, reverse("councils:organisation_edit", args=[organisation.pk])


def _person():
    person = make_person("Kerstin", "Kramforsson", email="kerstin@example.org", title="Ledamot")
    return person, reverse("councils:person_edit", args=[person.pk])


def _council():
    council = make_council(name="Regionala samverkansrådet", cadence="Varje månad")
    return council, reverse("councils:council_edit", args=[council.slug])


def _membership():
    timra = make_organisation("Timrå kommun")
    membership = make_membership(
        person=make_person("Tilda", "Timråsson", organisation=timra),
        council=make_council(),
        organisation=timra,
        side=Membership.Side.MAJORITY,
        function="Kommunalråd",
    )
    return membership, reverse("councils:membership_edit", args=[membership.pk])


# (make the record and its edit URL, the first person's change, the second person's change)
CASES = {
    "organisation": (_organisation, ("short_name", "Timrå kn"), ("website", "https://timra.se")),
    "person": (_person, ("title", "Kommunalråd"), ("phone", "060-123 45")),
    "council": (_council, ("cadence", "Varannan månad"), ("description", "Rådet för RUS.")),
    "membership": (_membership, ("function", "Ordförande"), ("side", Membership.Side.OPPOSITION)),
}


@pytest.mark.parametrize("kind", CASES)
def test_stale_register_form_is_refused_and_keeps_both_versions(kind):
    make, (first_field, first_value), (second_field, second_value) = CASES[kind]
    record, url = make()
    first, second = Client(), Client()
    first.force_login(make_secretariat_user("alice"))
    second.force_login(make_secretariat_user("bertil"))
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))
    old_first_value = getattr(record, first_field)

    first_data[first_field] = first_value
    assert first.post(url, first_data).status_code == 302
    second_data[second_field] = second_value
    response = second.post(url, second_data)

    assert response.status_code == 409
    record.refresh_from_db()
    assert getattr(record, first_field) == first_value
    assert getattr(record, second_field) != second_value
    form = response.context["form"]
    assert form[second_field].value() == second_value  # nothing typed is lost
    assert form[first_field].value() == old_first_value
    assert form[first_field].saved_value  # the value saved meanwhile, shown beside
    assert "efter att du öppnade formuläret" in response.text

    merged = form_data(response)
    assert merged["version"] == str(record.version)
    merged[first_field] = first_value
    assert second.post(url, merged).status_code == 302
    record.refresh_from_db()
    assert (getattr(record, first_field), getattr(record, second_field)) == (
        first_value,
        second_value,
    )
    versions = list(record.history.order_by("history_id").values_list("version", flat=True))
    assert versions[-2:] == [2, 3]


@pytest.mark.parametrize("kind", CASES)
def test_fresh_register_edit_is_accepted(client, kind):
    make, (field, value), _ = CASES[kind]
    record, url = make()
    client.force_login(make_secretariat_user())
    data = form_data(client.get(url))
    data[field] = value
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert (getattr(record, field), record.version) == (value, 2)


@pytest.mark.parametrize("model", [Organisation, Person, Council, Membership])
def test_register_models_are_versioned(model):
    assert model._meta.get_field("version").default == 1


def test_stale_end_of_a_membership_is_refused(client):
    """Ending a seat from a page loaded before someone else changed it (here: set another end
    date) is refused; the page shows the saved end date and keeps the typed one."""
    membership, _ = _membership()
    url = reverse("councils:membership_end", args=[membership.pk])
    client.force_login(make_secretariat_user())
    data = form_data(client.get(url))
    membership.end(membership.start_date.replace(year=membership.start_date.year + 2))
    data["end_date"] = membership.start_date.replace(year=membership.start_date.year + 1)

    response = client.post(url, data)

    assert response.status_code == 409
    assert "Någon annan har ändrat uppdraget" in response.text
    saved_end = membership.end_date
    membership.refresh_from_db()
    assert membership.end_date == saved_end
    again = form_data(response)
    assert again["end_date"] == str(data["end_date"])  # what was typed stays
    assert client.post(url, again).status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == data["end_date"]


def test_check_version_refuses_a_stale_version_with_the_saved_row():
    organisation = make_organisation("Timrå kommun")
    organisation.short_name = "Timrå"
    organisation.save()
    stale = Organisation.objects.get(pk=organisation.pk)
    with pytest.raises(StaleEdit) as refused:
        check_version(stale, 1)
    assert refused.value.current.short_name == "Timrå"
    assert refused.value.current.version == 2
    assert check_version(stale, 2).version == 2


def test_admin_change_bumps_the_version(admin_client):
    organisation = make_organisation("Timrå kommun")
    url = reverse("admin:councils_organisation_change", args=[organisation.pk])
    data = form_data(admin_client.get(url))
    data["short_name"] = "Timrå"
    assert admin_client.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.short_name, organisation.version) == ("Timrå", 2)


def test_stale_admin_change_is_refused_like_the_apps(admin_client):
    """The admin's change form carries the version too: a save made on an older one is
    refused with the saved values named, and goes through from the re-shown form."""
    organisation = make_organisation("Timrå kommun")
    url = reverse("admin:councils_organisation_change", args=[organisation.pk])
    stale = form_data(admin_client.get(url))
    organisation.short_name = "Timrå"
    organisation.save()  # someone else, meanwhile

    stale["website"] = "https://timra.se"
    response = admin_client.post(url, stale)

    assert response.status_code == 200  # the admin shows its form errors
    assert "efter att du öppnade formuläret" in response.text
    assert "Sparat nu: Kortnamn: Timrå" in response.text
    organisation.refresh_from_db()
    assert (organisation.short_name, organisation.website) == ("Timrå", "")
    again = form_data(response)
    again["short_name"] = "Timrå"
    assert admin_client.post(url, again).status_code == 302
    organisation.refresh_from_db()
    assert (organisation.short_name, organisation.website, organisation.version) == (
        "Timrå",
        "https://timra.se",
        3,
    )


def test_admin_history_pages_of_a_versioned_model_open(admin_client):
    organisation = make_organisation("Timrå kommun")
    organisation.short_name = "Timrå"
    organisation.save()
    record = organisation.history.first()
    url = reverse("admin:councils_organisation_simple_history", args=[organisation.pk, record.pk])
    assert admin_client.get(url).status_code == 200
    assert (
        admin_client.get(
            reverse("admin:councils_organisation_history", args=[organisation.pk])
        ).status_code
        == 200
    )
