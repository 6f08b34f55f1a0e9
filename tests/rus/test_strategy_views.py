"""Strategy pages: every signed-in user reads, only the secretariat edits.

An adopted plan's content stays as adopted (R13); changes go into next year's draft.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rus import demo
from rus.models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    Strategy,
    SubStrategy,
    TargetArea,
)

from .strategy_factories import make_focus_area, make_issue, make_plan

pytestmark = pytest.mark.django_db


# --- Reading ------------------------------------------------------------------------------------


def test_member_sees_the_strategy_with_plan_focus_areas_and_influence_agenda(client, bob, strategy):
    response = client.get(reverse("rus:strategy"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Regional utvecklingsstrategi för Västernorrland 2020–2030" in html
    assert "Ett Västernorrland" in html
    assert "Strategisk plan 2026" in html
    for title in (
        "Sammanhållet etablerings- och företagsfrämjande",
        "Påverkansagenda",
        "Matchning på arbetsmarknaden",
        "Strategisk finansiering",
    ):
        assert title in html
    assert "År 2030 arbetar vi på enad front" in html
    assert "Utbyggnad av Ostkustbanan till dubbelspår" in html
    assert "Nationell nivå" in html and "EU-nivå" in html
    assert "Smart specialiseringsstrategi för Västernorrland" in html
    assert "Ett Västernorrland med god tillgänglighet" in html
    assert "8. Anständiga arbetsvillkor och ekonomisk tillväxt" in html
    # The 2025 plan's removed issue is not on the page of the current plan.
    assert "Lokalisering av statliga arbetstillfällen" not in html
    # No editing for members.
    assert reverse("rus:strategy_edit") not in html
    assert reverse("rus:target_area_create") not in html
    assert reverse("rus:history") not in html


def test_secretariat_sees_the_edit_links_on_the_strategy_page(client, alice, strategy):
    html = client.get(reverse("rus:strategy")).content.decode()
    assert reverse("rus:strategy_edit") in html
    assert reverse("rus:target_area_create") in html
    assert reverse("rus:sub_strategy_create") in html
    assert reverse("rus:history") in html


def test_strategy_page_without_a_strategy_invites_the_secretariat_to_add_it(client, alice):
    html = client.get(reverse("rus:strategy")).content.decode()
    assert "Ingen regional utvecklingsstrategi är inlagd" in html
    assert reverse("rus:strategy_edit") in html


def test_strategy_page_groups_influence_issues_by_focus_area_and_level(client, bob, plan_2026):
    response = client.get(reverse("rus:strategy"))
    groups = response.context["influence_agenda"]
    titles = [area.title if area else None for area, _ in groups]
    assert titles[0] == "Sammanhållet etablerings- och företagsfrämjande"
    levels = dict(groups[0][1])
    assert [i.title for i in levels["Nationell och EU-nivå"]] == [
        "Elnät och energiförsörjning för nyetableringar"
    ]


def _strategy_page_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("rus:strategy")).status_code == 200
    return len(queries)


def test_strategy_page_query_count_does_not_grow_with_focus_areas_and_issues(
    client, alice, plan_2026, django_assert_max_num_queries
):
    client.get(reverse("rus:strategy"))  # warm up session and caches
    before = _strategy_page_queries(client)
    for n in range(5):
        area = make_focus_area(plan_2026, title=f"Extra {n}", goals=[1, 2], dimensions=["social"])
        make_issue(plan_2026, title=f"Extra fråga {n}", focus_area=area)
        TargetArea.objects.create(strategy=plan_2026.strategy, title=f"Målområde {n}")
        SubStrategy.objects.create(strategy=plan_2026.strategy, name=f"Program {n}")
    assert _strategy_page_queries(client) == before
    with django_assert_max_num_queries(14):
        client.get(reverse("rus:strategy"))


def test_plan_list_shows_versions_by_year(client, bob, draft_2027):
    response = client.get(reverse("rus:plan_list"))
    assert response.status_code == 200
    assert [plan.year for plan in response.context["plans"]] == [2027, 2026, 2025]
    html = response.content.decode()
    assert "Utkast" in html and "Fastställd" in html
    assert reverse("rus:plan_create") not in html


def test_plan_page_shows_the_content_to_a_member_without_edit_actions(client, bob, plan_2026):
    response = client.get(plan_2026.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "År 2030 har vi haft ett antal år med allt snabbare strukturomvandling" in html
    assert "Kapacitet som behövs" in html
    assert "Starta nästa års plan" not in html
    assert "Fastställ planen" not in html


def test_adopted_plan_page_offers_the_secretariat_to_start_next_years_plan(
    client, alice, plan_2026
):
    html = client.get(plan_2026.get_absolute_url()).content.decode()
    assert "Starta nästa års plan (2027)" in html
    assert "kan inte ändras" in html
    assert reverse("rus:focus_area_edit", args=[plan_2026.focus_areas.first().pk]) not in html


def test_draft_plan_page_offers_editing_and_adoption(client, alice, draft_2027):
    html = client.get(draft_2027.get_absolute_url()).content.decode()
    assert "Fastställ planen" in html
    assert "Planen är ett utkast och kan ändras" in html
    assert reverse("rus:focus_area_edit", args=[draft_2027.focus_areas.first().pk]) in html


def test_plan_page_query_count_does_not_grow(client, alice, draft_2027):
    url = draft_2027.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(4):
        area = make_focus_area(draft_2027, title=f"Extra {n}", goals=[3])
        make_issue(draft_2027, title=f"Extra fråga {n}", focus_area=area)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


# --- Access for every view ----------------------------------------------------------------------


def _write_urls(strategy):
    plan = strategy.plans.get(year=2026)
    draft = make_plan(strategy, 2027)
    area = make_focus_area(draft)
    issue = make_issue(draft, focus_area=area)
    target_area = strategy.target_areas.first()
    sub_strategy = strategy.sub_strategies.first()
    return [
        reverse("rus:strategy_edit"),
        reverse("rus:history"),
        reverse("rus:target_area_create"),
        reverse("rus:target_area_edit", args=[target_area.pk]),
        reverse("rus:target_area_delete", args=[target_area.pk]),
        reverse("rus:sub_strategy_create"),
        reverse("rus:sub_strategy_edit", args=[sub_strategy.pk]),
        reverse("rus:sub_strategy_delete", args=[sub_strategy.pk]),
        reverse("rus:plan_create"),
        reverse("rus:plan_edit", args=[draft.pk]),
        reverse("rus:plan_delete", args=[draft.pk]),
        reverse("rus:plan_adopt", args=[draft.pk]),
        reverse("rus:plan_history", args=[plan.pk]),
        reverse("rus:focus_area_create", args=[draft.pk]),
        reverse("rus:focus_area_edit", args=[area.pk]),
        reverse("rus:focus_area_delete", args=[area.pk]),
        reverse("rus:influence_issue_create", args=[draft.pk]),
        reverse("rus:influence_issue_edit", args=[issue.pk]),
        reverse("rus:influence_issue_delete", args=[issue.pk]),
    ]


def test_member_gets_403_on_every_edit_page_and_post(client, bob, strategy):
    counts = (StrategicPlan.objects.count(), FocusArea.objects.count())
    read_only = {
        reverse("rus:history"),
        reverse("rus:plan_history", args=[strategy.plans.get(year=2026).pk]),
    }
    for url in _write_urls(strategy):
        assert client.get(url).status_code == 403, url
        expected = 405 if url in read_only else 403
        assert client.post(url, {"title": "X", "year": 2040}).status_code == expected, url
    plan = strategy.plans.get(year=2026)
    response = client.post(reverse("rus:plan_start_next", args=[plan.pk]))
    assert response.status_code == 403
    assert (StrategicPlan.objects.count(), FocusArea.objects.count()) == (
        counts[0] + 1,
        counts[1] + 1,
    )


def test_secretariat_may_open_every_edit_page(client, alice, strategy):
    for url in _write_urls(strategy):
        assert client.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login_from_every_page(client, strategy):
    plan = strategy.plans.get(year=2026)
    urls = [
        reverse("rus:strategy"),
        reverse("rus:plan_list"),
        reverse("rus:plan_compare"),
        plan.get_absolute_url(),
        *_write_urls(strategy),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    response = client.post(reverse("rus:plan_start_next", args=[plan.pk]))
    assert response["Location"].startswith(reverse("login"))


def test_start_next_is_post_only(client, alice, plan_2026):
    response = client.get(reverse("rus:plan_start_next", args=[plan_2026.pk]))
    assert response.status_code == 405


# --- Secretariat edits --------------------------------------------------------------------------


def test_secretariat_creates_the_strategy_when_none_exists(client, alice):
    response = client.post(
        reverse("rus:strategy_edit"),
        {"name": "RUS", "motto": "Ett Västernorrland", "start_year": 2020, "end_year": 2030},
    )
    assert response.status_code == 302
    assert Strategy.objects.get().motto == "Ett Västernorrland"


def test_strategy_form_rejects_end_before_start_in_swedish(client, alice, strategy):
    response = client.post(
        reverse("rus:strategy_edit"),
        {"name": "Ändrat namn", "start_year": 2030, "end_year": 2020},
    )
    assert response.status_code == 200
    assert "Slutåret kan inte ligga före startåret." in response.content.decode()
    assert 'value="Ändrat namn"' in response.content.decode()
    strategy.refresh_from_db()
    assert strategy.name == demo.STRATEGY_NAME


def test_secretariat_adds_edits_and_deletes_a_target_area(client, alice, strategy):
    response = client.post(
        reverse("rus:target_area_create"), {"title": "Ett grönt Västernorrland", "position": 5}
    )
    assert response.status_code == 302
    area = TargetArea.objects.get(title="Ett grönt Västernorrland")
    client.post(
        reverse("rus:target_area_edit", args=[area.pk]),
        {"title": "Ett hållbart Västernorrland", "position": 5, "version": area.version},
    )
    area.refresh_from_db()
    assert area.title == "Ett hållbart Västernorrland"
    client.post(reverse("rus:target_area_delete", args=[area.pk]))
    assert not TargetArea.objects.filter(pk=area.pk).exists()


def test_duplicate_target_area_title_is_refused_in_swedish(client, alice, strategy):
    response = client.post(
        reverse("rus:target_area_create"), {"title": demo.TARGET_AREAS[0], "position": 1}
    )
    assert response.status_code == 200
    assert "Det finns redan ett målområde med den rubriken." in response.content.decode()


def test_secretariat_adds_and_edits_a_sub_strategy(client, alice, strategy):
    client.post(
        reverse("rus:sub_strategy_create"),
        {"name": "Regional digital agenda", "owner": "Region Västernorrland", "url": ""},
    )
    sub = SubStrategy.objects.get(name="Regional digital agenda")
    response = client.post(
        reverse("rus:sub_strategy_edit", args=[sub.pk]),
        {
            "name": "Regional digital agenda",
            "owner": "Region Västernorrland",
            "url": "inte en länk",
        },
    )
    assert response.status_code == 200
    assert "Fyll i en giltig URL." in response.content.decode()
    client.post(reverse("rus:sub_strategy_delete", args=[sub.pk]))
    assert not SubStrategy.objects.filter(pk=sub.pk).exists()


def test_secretariat_creates_an_empty_draft_plan(client, alice, strategy):
    response = client.post(
        reverse("rus:plan_create"), {"year": 2028, "title": "Strategisk plan RUS"}
    )
    plan = StrategicPlan.objects.get(year=2028)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.is_editable and plan.strategy == strategy


def test_plan_for_an_existing_year_is_refused_in_swedish(client, alice, strategy):
    response = client.post(reverse("rus:plan_create"), {"year": 2026, "title": "Dubblett"})
    assert response.status_code == 200
    assert "Det finns redan en plan för 2026." in response.content.decode()


def test_secretariat_adds_a_focus_area_with_tags_to_a_draft(client, alice, draft_2027):
    response = client.post(
        reverse("rus:focus_area_create", args=[draft_2027.pk]),
        {
            "title": "Grön omställning",
            "vision_2030": "År 2030 är länet fossilfritt.",
            "capacity_needed": "",
            "position": 5,
            "goals": [draft_2027.focus_areas.first().goals.first().pk],
            "dimensions": [],
        },
    )
    assert response.status_code == 302
    area = draft_2027.focus_areas.get(title="Grön omställning")
    assert area.goals.count() == 1


def test_duplicate_focus_area_title_keeps_what_was_typed(client, alice, draft_2027):
    response = client.post(
        reverse("rus:focus_area_create", args=[draft_2027.pk]),
        {"title": "påverkansagenda", "vision_2030": "Min text om 2030.", "position": 1},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Planen har redan ett fokusområde med den rubriken." in html
    assert "Min text om 2030." in html
    assert draft_2027.focus_areas.count() == 4


def test_secretariat_edits_and_deletes_a_focus_area_in_a_draft(client, alice, draft_2027):
    area = draft_2027.focus_areas.get(title="Strategisk finansiering")
    response = client.post(
        reverse("rus:focus_area_edit", args=[area.pk]),
        {
            "title": "Strategisk finansiering",
            "vision_2030": "Ny vision.",
            "position": 4,
            "version": area.version,
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.vision_2030 == "Ny vision."
    client.post(reverse("rus:focus_area_delete", args=[area.pk]))
    assert not FocusArea.objects.filter(pk=area.pk).exists()
    # Its influence issue stays, without focus area.
    assert draft_2027.influence_issues.filter(
        title="EU:s sammanhållningspolitik efter 2027", focus_area=None
    ).exists()


def test_secretariat_adds_edits_and_deletes_an_influence_issue(client, alice, draft_2027):
    area = draft_2027.focus_areas.get(title="Påverkansagenda")
    response = client.post(
        reverse("rus:influence_issue_create", args=[draft_2027.pk]),
        {
            "title": "Flygtrafik till Stockholm",
            "level": "national",
            "focus_area": area.pk,
            "status": "active",
        },
    )
    assert response.status_code == 302
    issue = draft_2027.influence_issues.get(title="Flygtrafik till Stockholm")
    assert issue.focus_area == area
    client.post(
        reverse("rus:influence_issue_edit", args=[issue.pk]),
        {
            "title": "Flygtrafik till Stockholm",
            "level": "both",
            "status": "paused",
            "version": issue.version,
        },
    )
    issue.refresh_from_db()
    assert (issue.level, issue.status, issue.focus_area) == ("both", "paused", None)
    client.post(reverse("rus:influence_issue_delete", args=[issue.pk]))
    assert not InfluenceIssue.objects.filter(pk=issue.pk).exists()


def test_influence_issue_cannot_point_at_another_plans_focus_area(client, alice, draft_2027):
    other_area = draft_2027.based_on.focus_areas.first()
    response = client.post(
        reverse("rus:influence_issue_create", args=[draft_2027.pk]),
        {"title": "Fel plan", "level": "eu", "focus_area": other_area.pk, "status": "active"},
    )
    assert response.status_code == 200
    assert not InfluenceIssue.objects.filter(title="Fel plan").exists()


# --- An adopted plan is not silently edited (R13) -----------------------------------------------


def test_adopted_plan_content_cannot_be_edited(client, alice, plan_2026):
    area = plan_2026.focus_areas.first()
    issue = plan_2026.influence_issues.first()
    attempts = [
        (reverse("rus:plan_edit", args=[plan_2026.pk]), {"year": 2026, "title": "Ändrad"}),
        (reverse("rus:plan_delete", args=[plan_2026.pk]), {}),
        (
            reverse("rus:focus_area_create", args=[plan_2026.pk]),
            {"title": "Ny", "vision_2030": "x"},
        ),
        (reverse("rus:focus_area_edit", args=[area.pk]), {"title": "Ändrad", "vision_2030": "x"}),
        (reverse("rus:focus_area_delete", args=[area.pk]), {}),
        (reverse("rus:influence_issue_create", args=[plan_2026.pk]), {"title": "Ny"}),
        (reverse("rus:influence_issue_delete", args=[issue.pk]), {}),
    ]
    for url, data in attempts:
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == plan_2026.get_absolute_url(), url
        assert "är fastställd och kan inte ändras" in response.content.decode(), url
    plan_2026.refresh_from_db()
    area.refresh_from_db()
    assert plan_2026.title == "Strategisk plan RUS" and area.title != "Ändrad"
    assert plan_2026.focus_areas.count() == 4
    assert plan_2026.influence_issues.filter(pk=issue.pk).exists()


def test_only_the_status_of_an_issue_in_an_adopted_plan_may_change(client, alice, plan_2026):
    issue = plan_2026.influence_issues.get(title="Utbyggnad av Ostkustbanan till dubbelspår")
    page = client.get(reverse("rus:influence_issue_edit", args=[issue.pk])).content.decode()
    assert "Bara frågans status kan uppdateras" in page
    client.post(
        reverse("rus:influence_issue_edit", args=[issue.pk]),
        {"title": "Nytt namn", "level": "eu", "status": "achieved", "version": issue.version},
    )
    issue.refresh_from_db()
    assert issue.status == "achieved"
    assert issue.title == "Utbyggnad av Ostkustbanan till dubbelspår"
    assert issue.level == "national"


# --- Start next year's plan and adopt ----------------------------------------------------------


def test_secretariat_starts_next_years_plan(client, alice, plan_2026):
    response = client.post(reverse("rus:plan_start_next", args=[plan_2026.pk]), follow=True)
    draft = StrategicPlan.objects.get(year=2027)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "Ett utkast för 2027 är skapat" in response.content.decode()
    assert draft.focus_areas.count() == 4
    assert draft.influence_issues.count() == 4


def test_starting_next_years_plan_twice_shows_a_swedish_error(client, alice, plan_2026):
    client.post(reverse("rus:plan_start_next", args=[plan_2026.pk]))
    response = client.post(reverse("rus:plan_start_next", args=[plan_2026.pk]), follow=True)
    assert "Det finns redan en plan för 2027." in response.content.decode()
    assert StrategicPlan.objects.filter(year=2027).count() == 1


def test_secretariat_adopts_a_draft(client, alice, draft_2027):
    response = client.post(
        reverse("rus:plan_adopt", args=[draft_2027.pk]), {"adopted_on": "2026-11-20"}
    )
    assert response.status_code == 302
    draft_2027.refresh_from_db()
    assert draft_2027.is_adopted
    assert draft_2027.adopted_on == datetime.date(2026, 11, 20)


def test_adopting_a_plan_without_focus_areas_shows_the_reason(client, alice, strategy):
    draft = make_plan(strategy, 2030)
    response = client.post(reverse("rus:plan_adopt", args=[draft.pk]), {"adopted_on": "2026-11-20"})
    assert response.status_code == 200
    assert "En plan utan fokusområden kan inte fastställas." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_editable


def test_adoption_date_is_required(client, alice, draft_2027):
    response = client.post(reverse("rus:plan_adopt", args=[draft_2027.pk]), {"adopted_on": ""})
    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in response.content.decode()
    draft_2027.refresh_from_db()
    assert draft_2027.is_editable


def test_secretariat_deletes_a_draft_plan(client, alice, draft_2027):
    response = client.post(reverse("rus:plan_delete", args=[draft_2027.pk]))
    assert response.status_code == 302
    assert not StrategicPlan.objects.filter(year=2027).exists()
    assert not FocusArea.objects.filter(plan_id=draft_2027.pk).exists()


# --- The diff view ------------------------------------------------------------------------------


def test_compare_defaults_to_the_latest_plan_and_its_predecessor(client, bob, plan_2026):
    response = client.get(reverse("rus:plan_compare"))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert (diff.old.year, diff.new.year) == (2025, 2026)
    html = response.content.decode()
    assert "Från 2025 till 2026" in html
    assert "<ins>Elnät och energiförsörjning för nyetableringar</ins>" in html
    assert "<del>Lokalisering av statliga arbetstillfällen</del>" in html
    assert "Matchning på arbetsmarknaden" in html
    assert re.search(r"<ins>\s*Utifrån behoven implementera modeller", html)
    assert "<ins>5. Jämställdhet</ins>" in html


def test_compare_two_chosen_plans_in_any_order(client, bob, strategy):
    p2025, p2026 = strategy.plans.get(year=2025), strategy.plans.get(year=2026)
    response = client.get(reverse("rus:plan_compare"), {"fran": p2026.pk, "till": p2025.pk})
    diff = response.context["diff"]
    assert (diff.old, diff.new) == (p2025, p2026)


def test_compare_the_same_plan_twice_is_refused(client, bob, plan_2026):
    response = client.get(reverse("rus:plan_compare"), {"fran": plan_2026.pk, "till": plan_2026.pk})
    assert response.context["diff"] is None
    assert "Välj två olika versioner att jämföra." in response.content.decode()


def test_compare_with_htmx_returns_only_the_result(client, bob, strategy):
    p2025, p2026 = strategy.plans.get(year=2025), strategy.plans.get(year=2026)
    response = client.get(
        reverse("rus:plan_compare"),
        {"fran": p2025.pk, "till": p2026.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="diff-result"')
    assert "<html" not in html
    assert "Från 2025 till 2026" in html


def test_compare_query_count_is_bounded(client, bob, strategy, django_assert_max_num_queries):
    client.get(reverse("rus:plan_compare"))
    with django_assert_max_num_queries(18):
        client.get(reverse("rus:plan_compare"))


def test_a_focus_area_linked_from_an_agenda_item_is_not_deleted(client, alice, draft_2027):
    from tests.meetings.factories import make_item

    area = draft_2027.focus_areas.first()
    make_item(focus_area=area)
    response = client.post(reverse("rus:focus_area_delete", args=[area.pk]), follow=True)
    assert "används av dagordningspunkter" in response.content.decode()
    assert FocusArea.objects.filter(pk=area.pk).exists()
    response = client.post(reverse("rus:plan_delete", args=[draft_2027.pk]), follow=True)
    assert "används av dagordningspunkter" in response.content.decode()
    assert StrategicPlan.objects.filter(pk=draft_2027.pk).exists()


def test_focus_area_form_groups_the_tags_in_fieldsets(client, alice, draft_2027):
    html = client.get(reverse("rus:focus_area_create", args=[draft_2027.pk])).content.decode()
    assert "<legend>Agenda 2030-mål</legend>" in html
    assert "<legend>Hållbarhetsdimensioner</legend>" in html
    assert "17. Genomförande och globalt partnerskap" in html


def test_plan_list_query_count_does_not_grow_with_versions(client, bob, strategy):
    url = reverse("rus:plan_list")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for year in range(2027, 2032):
        make_plan(strategy, year, based_on=strategy.plans.get(year=2026))
    with CaptureQueriesContext(connection) as after:
        assert len(client.get(url).context["plans"]) == 7
    assert len(after) == len(before)


def test_the_strategy_page_shows_the_adopted_plan_not_a_newer_draft(client, bob, draft_2027):
    response = client.get(reverse("rus:strategy"))
    assert response.context["plan"].year == 2026
    assert "Utkast under arbete" not in response.content.decode()
