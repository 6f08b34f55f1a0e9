from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    FocusArea,
    InfluenceIssue,
    StrategicPlan,
    Strategy,
    SubStrategy,
    SustainabilityDimension,
    SustainabilityGoal,
    TargetArea,
)


class TargetAreaInline(admin.TabularInline):
    model = TargetArea
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "motto", "start_year", "end_year"]
    inlines = [TargetAreaInline]


@admin.register(TargetArea)
class TargetAreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "strategy", "position"]
    list_filter = ["strategy"]
    search_fields = ["title"]


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0
    filter_horizontal = ["goals", "dimensions"]


@admin.register(StrategicPlan)
class StrategicPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "year", "status", "adopted_on", "based_on"]
    list_filter = ["status", "strategy"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["title", "vision_2030"]
    filter_horizontal = ["goals", "dimensions"]


@admin.register(InfluenceIssue)
class InfluenceIssueAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "focus_area", "level", "status"]
    list_filter = ["plan", "level", "status"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "focus_area"]


@admin.register(SubStrategy)
class SubStrategyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "owner", "strategy"]
    search_fields = ["name", "owner"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SustainabilityGoal)
class SustainabilityGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]


@admin.register(SustainabilityDimension)
class SustainabilityDimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
