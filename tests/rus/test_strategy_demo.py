"""Demo data for the strategy (R13): the seed's four focus areas, verbatim."""

from pathlib import Path

import pytest

from rus import demo
from rus.models import FocusArea, InfluenceIssue, StrategicPlan, Strategy, SubStrategy, TargetArea
from rus.services import compare_plans

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "docs" / "source" / "strategisk-plan-rus.txt"


def test_seed_returns_the_rus_with_an_adopted_2026_plan_and_four_focus_areas():
    strategy = demo.seed()
    assert str(strategy) == "Regional utvecklingsstrategi för Västernorrland 2020–2030"
    assert strategy.motto == "Ett Västernorrland"
    plan = strategy.plans.get(year=2026)
    assert plan.is_adopted and plan.based_on.year == 2025 and plan.based_on.is_adopted
    assert [area.title for area in plan.focus_areas.all()] == [
        "Sammanhållet etablerings- och företagsfrämjande",
        "Påverkansagenda",
        "Matchning på arbetsmarknaden",
        "Strategisk finansiering",
    ]
    for area in plan.focus_areas.all():
        assert area.vision_2030.startswith("År 2030")
        assert area.capacity_needed
        assert area.goals.exists() and area.dimensions.exists()
    levels = set(plan.influence_issues.values_list("level", flat=True))
    assert {InfluenceIssue.Level.NATIONAL, InfluenceIssue.Level.EU} <= levels
    assert strategy.target_areas.count() >= 3
    assert strategy.sub_strategies.filter(name__icontains="transportinfrastruktur").exists()


def test_focus_area_texts_are_verbatim_from_the_seed():
    seed = SEED.read_text()
    demo.seed()
    for area in FocusArea.objects.filter(plan__year=2026):
        assert area.title in seed
        assert area.vision_2030 in seed
        for paragraph in area.capacity_needed.split("\n\n"):
            assert paragraph in seed


def test_seed_is_idempotent():
    demo.seed()
    counts = [
        model.objects.count()
        for model in (Strategy, TargetArea, StrategicPlan, FocusArea, InfluenceIssue, SubStrategy)
    ]
    assert demo.seed() == Strategy.objects.get()
    assert counts == [
        model.objects.count()
        for model in (Strategy, TargetArea, StrategicPlan, FocusArea, InfluenceIssue, SubStrategy)
    ]


def test_the_two_demo_versions_differ_a_little():
    strategy = demo.seed()
    diff = compare_plans(strategy.plans.get(year=2025), strategy.plans.get(year=2026))
    assert diff.has_changes
    assert [issue.title for issue in diff.influence_issues.added]
    assert [issue.title for issue in diff.influence_issues.removed]
    assert [item.title for item in diff.focus_areas.changed] == ["Matchning på arbetsmarknaden"]
    assert not diff.focus_areas.added and not diff.focus_areas.removed
