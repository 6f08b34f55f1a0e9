"""Change history of the strategy registers: who, when, what.

Visible to the secretariat only; kept by django-simple-history, not by hand.
"""

import pytest
from django.urls import reverse

from rus.models import SustainabilityGoal
from tests.factories import make_member_user

pytestmark = pytest.mark.django_db


def _goal(number):
    return SustainabilityGoal.objects.get(number=number).pk


def test_edits_in_the_browser_are_recorded_with_who_and_what(client, alice, draft_2027):
    area = draft_2027.focus_areas.get(title="Matchning på arbetsmarknaden")
    client.post(
        reverse("rus:focus_area_edit", args=[area.pk]),
        {
            "title": area.title,
            "vision_2030": area.vision_2030 + " Ingen lämnas utanför.",
            "capacity_needed": area.capacity_needed,
            "position": area.position,
            "goals": list(area.goals.values_list("pk", flat=True)) + [_goal(1)],
            "dimensions": list(area.dimensions.values_list("pk", flat=True)),
            "version": area.version,
        },
    )
    record = area.history.first()
    assert record.history_user == alice

    response = client.get(reverse("rus:plan_history", args=[draft_2027.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alice Kansli" in html
    assert "Ändrad" in html
    assert "Matchning på arbetsmarknaden" in html
    assert "Ingen lämnas utanför." in html  # the changed text, marked as inserted
    assert "<ins>1. Ingen fattigdom</ins>" in html  # the added goal tag
    # The global history shows it too.
    html = client.get(reverse("rus:history")).content.decode()
    assert "Ingen lämnas utanför." in html


def test_history_records_deletions_and_status_changes(client, alice, draft_2027):
    issue = draft_2027.influence_issues.get(title="Elnät och energiförsörjning för nyetableringar")
    client.post(reverse("rus:influence_issue_delete", args=[issue.pk]))
    client.post(reverse("rus:plan_adopt", args=[draft_2027.pk]), {"adopted_on": "2026-11-20"})
    entries = client.get(reverse("rus:plan_history", args=[draft_2027.pk])).context["entries"]
    kinds = {(entry.action, entry.name) for entry in entries}
    assert ("Borttagen", "Elnät och energiförsörjning för nyetableringar") in kinds
    adopted = [e for e in entries if e.model == "Strategisk plan" and e.action == "Ändrad"]
    assert adopted[0].user == alice
    assert {change.label for change in adopted[0].changes} == {"Status", "Fastställd den"}
    status = next(c for c in adopted[0].changes if c.label == "Status")
    assert (status.old, status.new) == ("Utkast", "Fastställd")


def test_history_is_newest_first(client, alice, draft_2027):
    entries = client.get(reverse("rus:history")).context["entries"]
    dates = [entry.date for entry in entries]
    assert dates == sorted(dates, reverse=True)


def test_history_query_count_does_not_grow_with_changes(
    client, alice, draft_2027, django_assert_max_num_queries
):
    url = reverse("rus:plan_history", args=[draft_2027.pk])
    client.get(url)
    for area in draft_2027.focus_areas.all():
        area.capacity_needed += " Mer."
        area.save()
    with django_assert_max_num_queries(15):
        client.get(url)


def test_member_may_not_see_the_history(client, draft_2027):
    client.force_login(make_member_user(username="bob"))
    assert client.get(reverse("rus:history")).status_code == 403
    assert client.get(reverse("rus:plan_history", args=[draft_2027.pk])).status_code == 403
    page = client.get(draft_2027.get_absolute_url()).content.decode()
    assert reverse("rus:plan_history", args=[draft_2027.pk]) not in page


def test_anonymous_is_sent_to_login_from_the_history(client, draft_2027):
    response = client.get(reverse("rus:history"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_focus_area_created_with_tags_is_one_entry_listing_the_tags(client, alice, draft_2027):
    client.post(
        reverse("rus:focus_area_create", args=[draft_2027.pk]),
        {
            "title": "Grön omställning",
            "vision_2030": "År 2030 …",
            "position": 5,
            "goals": [_goal(13)],
        },
    )
    entries = client.get(reverse("rus:plan_history", args=[draft_2027.pk])).context["entries"]
    mine = [entry for entry in entries if entry.name == "Grön omställning"]
    assert len(mine) == 1
    [entry] = mine
    assert entry.action == "Skapad" and entry.user == alice
    [goals] = entry.changes
    assert goals.added == ["13. Bekämpa klimatförändringarna"]


def test_tag_only_edit_is_its_own_entry_with_goals_by_number_and_swedish_dates(
    client, alice, draft_2027
):
    area = draft_2027.focus_areas.get(title="Matchning på arbetsmarknaden")
    client.post(
        reverse("rus:focus_area_edit", args=[area.pk]),
        {
            "title": area.title,
            "vision_2030": area.vision_2030,
            "capacity_needed": area.capacity_needed,
            "position": area.position,
            "goals": list(area.goals.values_list("pk", flat=True)) + [_goal(3), _goal(13)],
            "dimensions": list(area.dimensions.values_list("pk", flat=True)),
            "version": area.version,
        },
    )
    response = client.get(reverse("rus:plan_history", args=[draft_2027.pk]))
    # A save that changed only the tags is an edit of its own, by alice, not part of the copy.
    [edit] = [
        entry
        for entry in response.context["entries"]
        if entry.action == "Ändrad" and entry.name == area.title
    ]
    assert edit.user == alice
    [goals] = [change for change in edit.changes if change.label == "Agenda 2030-mål"]
    assert [tag.split(".")[0] for tag in goals.added] == ["3", "13"]
    numbers = [tag.split(".")[0] for tag in goals.new.split(", ")]
    assert numbers == sorted(numbers, key=int)
    month = response.context["entries"][0].date.astimezone().month
    swedish = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    swedish += ["september", "oktober", "november", "december"]
    assert f" {swedish[month - 1]} " in response.content.decode()
