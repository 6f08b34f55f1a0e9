"""Change history: every change kept, visible to the secretariat only (who, when, what)."""

import pytest
from django.urls import reverse

from councils.history import register_entries
from councils.models import Membership
from tests.factories import make_membership, make_organisation, make_person

pytestmark = pytest.mark.django_db


def test_web_edit_records_who_changed_what(alice_client, timra):
    alice_client.post(
        reverse("councils:organisation_edit", args=[timra.pk]),
        {
            "name": "Timrå kommun",
            "short_name": "Timrå",
            "kind": "municipality",
            "version": timra.version,
        },
    )
    record = timra.history.first()
    assert record.history_user.username == "alice"

    text = alice_client.get(reverse("councils:organisation_history", args=[timra.pk])).text
    assert "Ändrad: Organisation: Timrå kommun" in text
    assert "av alice" in text
    assert "Kortnamn" in text and "Timrå" in text


def test_council_history_shows_membership_changes_with_names(alice_client, council, timra):
    person = make_person("Tilda", "Timråsson", organisation=timra)
    alice_client.post(
        reverse("councils:membership_create", args=[council.slug]),
        {
            "person": person.pk,
            "organisation": timra.pk,
            "role": "member",
            "side": "majority",
            "start_date": "2025-01-01",
        },
    )
    membership = Membership.objects.get(person=person)
    alice_client.post(
        reverse("councils:membership_end", args=[membership.pk]),
        {"end_date": "2026-01-01", "version": membership.version},
    )
    text = alice_client.get(reverse("councils:council_history", args=[council.slug])).text
    assert "Skapad: Uppdrag: Tilda Timråsson, ledamot i Regionala samverkansrådet" in text
    assert "Ändrad: Uppdrag: Tilda Timråsson" in text
    assert "2026-01-01" in text
    assert "Majoritet" in text  # choices shown by their Swedish label
    assert "Timrå kommun" in text  # foreign keys shown by name, not id


def test_person_history_includes_their_memberships(alice_client, council, timra):
    person = make_person("Tilda", "Timråsson", organisation=timra)
    make_membership(person=person, council=council, organisation=timra, side="opposition")
    text = alice_client.get(reverse("councils:person_history", args=[person.pk])).text
    assert "Skapad: Person: Tilda Timråsson" in text
    assert "Skapad: Uppdrag: Tilda Timråsson" in text


@pytest.mark.parametrize("kind", ["council", "organisation", "person"])
def test_members_may_not_see_history(bob_client, council, timra, kind):
    person = make_person(organisation=timra)
    arg = {"council": council.slug, "organisation": timra.pk, "person": person.pk}[kind]
    response = bob_client.get(reverse(f"councils:{kind}_history", args=[arg]))
    assert response.status_code == 403


def test_anonymous_goes_to_login_for_history(client, council):
    response = client.get(reverse("councils:council_history", args=[council.slug]))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


def test_history_page_query_count_does_not_grow(
    alice_client, council, django_assert_max_num_queries
):
    organisation = make_organisation()
    for n in range(20):
        membership = make_membership(council=council, organisation=organisation, side="majority")
        membership.function = f"Funktion {n}"
        membership.save()
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("councils:council_history", args=[council.slug]))
    assert "Funktion 19" in response.text


def test_register_history_shows_latest_changes_across_registers(alice_client, council, timra):
    person = make_person("Tilda", "Timråsson", organisation=timra)
    person.title = "Kommunalråd"
    person.save()
    response = alice_client.get(reverse("councils:register_history"))
    assert response.status_code == 200
    text = response.text
    assert "Senaste ändringar i registren" in text
    assert "Ändrad: Person: Tilda Timråsson" in text
    assert "Skapad: Organisation: Timrå kommun" in text
    assert "Skapad: Råd: Regionala samverkansrådet" in text
    assert text.index("Ändrad: Person: Tilda Timråsson") < text.index("Skapad: Organisation")


def test_register_history_is_for_the_secretariat_only(bob_client):
    assert bob_client.get(reverse("councils:register_history")).status_code == 403


def test_register_history_query_count_is_bounded(alice_client, django_assert_max_num_queries):
    organisation = make_organisation()
    for _ in range(30):
        make_person(organisation=organisation).save()
    with django_assert_max_num_queries(16):
        alice_client.get(reverse("councils:register_history"))


def test_history_of_an_object_whose_first_records_are_missing_starts_at_the_oldest_kept(
    alice_client, timra
):
    """Rows made by bulk_create, or a history cut short, have no creation record."""
    timra.short_name = "TK"
    timra.save()
    timra.short_name = "Timrå"
    timra.save()
    timra.history.filter(history_type="+").delete()
    [edit, first_kept] = register_entries(timra.history.all())
    assert first_kept.action == "Ändrad" and first_kept.changes == []
    assert [(c.old, c.new) for c in edit.changes] == [("TK", "Timrå")]
    timra.history.all().delete()
    assert register_entries(timra.history.all()) == []
    response = alice_client.get(reverse("councils:organisation_history", args=[timra.pk]))
    assert response.status_code == 200


def test_related_objects_are_named_even_when_deleted(timra):
    person = make_person("Tilda", "Timråsson", organisation=timra)
    other = make_organisation("Sundsvalls kommun")
    person.organisation = other
    person.save()
    entries = register_entries(person.history.all())
    [change] = [c for c in entries[0].changes if c.field == "organisation"]
    assert (change.old, change.new) == ("Timrå kommun", "Sundsvalls kommun")
    person.organisation = timra
    person.save()
    other_id = other.pk
    other.delete()
    entries = register_entries(person.history.all())
    [change] = [c for c in entries[0].changes if c.field == "organisation"]
    assert change.old == f"(borttagen, id {other_id})"
