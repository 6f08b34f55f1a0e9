"""Small builders for strategy test data (used by tests/rus/test_strategy_*.py)."""

import datetime
import itertools

from rus.models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    Strategy,
    SustainabilityDimension,
    SustainabilityGoal,
)

_counter = itertools.count(1)


def make_strategy(**extra):
    defaults = {"name": "Regional utvecklingsstrategi", "start_year": 2020, "end_year": 2030}
    return Strategy.objects.create(**{**defaults, **extra})


def make_plan(strategy=None, year=2026, adopted=False, **extra):
    status = StrategicPlan.Status.ADOPTED if adopted else StrategicPlan.Status.DRAFT
    return StrategicPlan.objects.create(
        strategy=strategy or make_strategy(),
        year=year,
        status=status,
        adopted_on=datetime.date(year - 1, 12, 10) if adopted else None,
        **extra,
    )


def make_focus_area(plan, title=None, goals=(), dimensions=(), **extra):
    area = FocusArea.objects.create(
        plan=plan,
        title=title or f"Fokusområde {next(_counter)}",
        vision_2030=extra.pop("vision_2030", "År 2030 har vi lyckats."),
        **extra,
    )
    area.goals.set(SustainabilityGoal.objects.filter(number__in=goals))
    area.dimensions.set(SustainabilityDimension.objects.filter(code__in=dimensions))
    return area


def make_issue(plan, title=None, focus_area=None, **extra):
    return InfluenceIssue.objects.create(
        plan=plan, title=title or f"Sakfråga {next(_counter)}", focus_area=focus_area, **extra
    )
