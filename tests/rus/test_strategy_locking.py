"""No silent lost update on the strategy texts: the strategy, target areas, sub-strategies,
plans, focus areas and the påverkansagenda (councils/locking.py)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from councils.locking import StaleEdit
from rus import services
from rus.models import InfluenceIssue
from rus.services import start_next_plan
from tests.factories import make_secretariat_user
from tests.support.forms import form_data

pytestmark = pytest.mark.django_db


def _strategy(strategy):
    return strategy, reverse("rus:strategy_edit")


def _target_area(strategy):
    area = strategy.target_areas.first()
    return area, reverse("rus:target_area_edit", args=[area.pk])


def _sub_strategy(strategy):
    sub = strategy.sub_strategies.first()
    return sub, reverse("rus:sub_strategy_edit", args=[sub.pk])


def _draft(strategy):
    return start_next_plan(plan=strategy.plans.get(year=2026))


def _plan(strategy):
    plan = _draft(strategy)
    return plan, reverse("rus:plan_edit", args=[plan.pk])


def _focus_area(strategy):
    area = _draft(strategy).focus_areas.first()
    return area, reverse("rus:focus_area_edit", args=[area.pk])


def _issue(strategy):
    issue = _draft(strategy).influence_issues.first()
    return issue, reverse("rus:influence_issue_edit", args=[issue.pk])


# (the record and its edit URL, the first person's change, the second person's change)
CASES = {
    "strategy": (_strategy, ("motto", "Ett starkt Västernorrland"), ("end_year", "2031")),
    "target_area": (_target_area, ("description", "Ny beskrivning."), ("position", "9")),
    "sub_strategy": (
        _sub_strategy,
        ("owner", "Länsstyrelsen i Västernorrland"),
        ("description", "Nytt."),
    ),
    "plan": (_plan, ("title", "Strategisk plan 2027"), ("purpose", "Årets justeringar.")),
    "focus_area": (_focus_area, ("vision_2030", "Ny vision."), ("capacity_needed", "Fler.")),
    "influence_issue": (_issue, ("description", "Läget nu."), ("status", "paused")),
}


@pytest.mark.parametrize("kind", CASES)
def test_stale_strategy_form_is_refused_and_keeps_both_versions(strategy, kind):
    make, (first_field, first_value), (second_field, second_value) = CASES[kind]
    record, url = make(strategy)
    first, second = Client(), Client()
    first.force_login(make_secretariat_user("alice"))
    second.force_login(make_secretariat_user("bertil"))
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))
    old_first_value = str(getattr(record, first_field))
    history_before = record.history.count()

    first_data[first_field] = first_value
    assert first.post(url, first_data).status_code == 302
    second_data[second_field] = second_value
    response = second.post(url, second_data)

    assert response.status_code == 409
    record.refresh_from_db()
    assert str(getattr(record, first_field)) == first_value
    assert str(getattr(record, second_field)) != second_value
    form = response.context["form"]
    assert str(form[second_field].value()) == second_value  # nothing typed is lost
    assert str(form[first_field].value()) == old_first_value
    assert form[first_field].saved_value  # the value saved meanwhile, shown beside
    assert "Sparat nu (av någon annan):" in response.text

    merged = form_data(response)
    merged[first_field] = first_value
    assert second.post(url, merged).status_code == 302
    record.refresh_from_db()
    assert (str(getattr(record, first_field)), str(getattr(record, second_field))) == (
        first_value,
        second_value,
    )
    # Both accepted saves are in the history, each with its version.
    assert record.history.count() == history_before + 2
    assert record.history.first().version == record.version


def test_stale_status_of_an_adopted_plans_issue_is_refused(strategy):
    """In an adopted plan only an issue's status may change; two people changing it from the
    same page: the second is refused and sees the status the first saved."""
    issue = strategy.plans.get(year=2026).influence_issues.first()
    url = reverse("rus:influence_issue_edit", args=[issue.pk])
    first, second = Client(), Client()
    first.force_login(make_secretariat_user("alice"))
    second.force_login(make_secretariat_user("bertil"))
    first_data, second_data = form_data(first.get(url)), form_data(second.get(url))
    first_data["status"] = InfluenceIssue.Status.ACHIEVED
    assert first.post(url, first_data).status_code == 302
    second_data["status"] = InfluenceIssue.Status.PAUSED
    response = second.post(url, second_data)
    assert response.status_code == 409
    assert response.context["form"]["status"].saved_value == InfluenceIssue.Status.ACHIEVED.label
    issue.refresh_from_db()
    assert issue.status == InfluenceIssue.Status.ACHIEVED


def test_save_plan_content_refuses_a_stale_version(strategy):
    area = _draft(strategy).focus_areas.first()
    area.vision_2030 = "Först."
    services.save_plan_content(instance=area, version=area.version)
    area.vision_2030 = "Sedan, från ett gammalt formulär."
    with pytest.raises(StaleEdit) as refused:
        services.save_plan_content(instance=area, version=1)
    assert refused.value.current.vision_2030 == "Först."
    area.refresh_from_db()
    assert (area.vision_2030, area.version) == ("Först.", 2)


def test_adoption_leaves_the_version_alone(strategy):
    """Adoption saves only its bookkeeping fields (status, date): not an edit of the text."""
    plan = _draft(strategy)
    version = plan.version
    plan.adopt(datetime.date(2026, 12, 10))
    plan.refresh_from_db()
    assert (plan.is_adopted, plan.version) == (True, version)
