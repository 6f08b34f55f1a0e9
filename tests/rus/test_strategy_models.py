"""Strategy models and their database constraints (R13, R14)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rus.models import (
    StrategicPlan,
    Strategy,
    SubStrategy,
    SustainabilityDimension,
    SustainabilityGoal,
)

from .strategy_factories import make_focus_area, make_issue, make_plan, make_strategy

pytestmark = pytest.mark.django_db


def test_the_17_goals_and_3_dimensions_come_with_the_migrations():
    assert SustainabilityGoal.objects.count() == 17
    assert set(SustainabilityDimension.objects.values_list("code", flat=True)) == {
        "ecological",
        "social",
        "economic",
    }


def test_strategy_end_year_may_not_precede_start_year():
    with pytest.raises(IntegrityError), transaction.atomic():
        Strategy.objects.create(name="RUS", start_year=2030, end_year=2020)


def test_one_plan_per_strategy_and_year():
    plan = make_plan(year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_plan(strategy=plan.strategy, year=2026)


def test_an_adopted_plan_needs_an_adoption_date_and_a_draft_has_none():
    strategy = make_strategy()
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategicPlan.objects.create(strategy=strategy, year=2026, status="adopted")
    with pytest.raises(IntegrityError), transaction.atomic():
        StrategicPlan.objects.create(
            strategy=strategy, year=2027, status="draft", adopted_on=datetime.date(2026, 1, 1)
        )


def test_plan_year_must_be_plausible():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_plan(year=26)


def test_focus_area_and_issue_titles_are_unique_within_a_plan():
    plan = make_plan()
    make_focus_area(plan, title="Påverkansagenda")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_focus_area(plan, title="Påverkansagenda")
    make_issue(plan, title="Ostkustbanan")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_issue(plan, title="Ostkustbanan")
    # The same titles are fine in another year's plan.
    other = make_plan(strategy=plan.strategy, year=2027)
    make_focus_area(other, title="Påverkansagenda")
    make_issue(other, title="Ostkustbanan")


def test_sub_strategy_names_are_unique_within_a_strategy():
    strategy = make_strategy()
    SubStrategy.objects.create(strategy=strategy, name="Smart specialiseringsstrategi")
    with pytest.raises(IntegrityError), transaction.atomic():
        SubStrategy.objects.create(strategy=strategy, name="Smart specialiseringsstrategi")


def test_influence_issue_focus_area_must_belong_to_the_same_plan():
    plan = make_plan(year=2026)
    other = make_plan(strategy=plan.strategy, year=2027)
    issue = make_issue(plan, focus_area=make_focus_area(other))
    with pytest.raises(ValidationError) as error:
        issue.full_clean()
    assert "focus_area" in error.value.message_dict


def test_only_a_draft_is_editable_and_adopt_sets_the_date():
    plan = make_plan()
    assert plan.is_editable and not plan.is_adopted
    plan.adopt(datetime.date(2025, 12, 11))
    plan.refresh_from_db()
    assert plan.is_adopted and not plan.is_editable
    assert plan.adopted_on == datetime.date(2025, 12, 11)
    with pytest.raises(ValidationError):
        plan.adopt(datetime.date(2025, 12, 12))


def test_current_plan_is_the_latest_adopted_one_not_after_the_year():
    strategy = make_strategy()
    make_plan(strategy, 2025, adopted=True)
    plan_2026 = make_plan(strategy, 2026, adopted=True)
    make_plan(strategy, 2027)  # draft
    make_plan(strategy, 2028, adopted=True)
    assert StrategicPlan.objects.current(2026) == plan_2026
    assert StrategicPlan.objects.current(2027) == plan_2026
    # Before any plan starts: the earliest adopted one.
    assert StrategicPlan.objects.current(2020).year == 2025
