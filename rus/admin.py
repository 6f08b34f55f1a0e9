"""Admin for the strategy. An adopted plan, its focus areas and its påverkansagenda stay as the
councils agreed on them (R13): read-only here; changes go into next year's draft, in the app."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from councils.locking import VersionedAdmin

from .models import (
    FocusArea,
    InfluenceIssue,
    OutgoingMail,
    RenderedDocument,
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
class StrategyAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "motto", "start_year", "end_year"]
    inlines = [TargetAreaInline]


@admin.register(TargetArea)
class TargetAreaAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "strategy", "position"]
    list_filter = ["strategy"]
    search_fields = ["title"]


class LockedWhenAdopted:
    """No change and no deletion once the plan is adopted (R13)."""

    def _plan(self, obj):
        return obj.plan

    def _adopted(self, obj):
        return obj is not None and self._plan(obj).is_adopted

    def has_change_permission(self, request, obj=None):
        return not self._adopted(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._adopted(obj) and super().has_delete_permission(request, obj)


class FocusAreaInline(LockedWhenAdopted, admin.StackedInline):
    model = FocusArea
    extra = 0
    filter_horizontal = ["goals", "dimensions"]

    def _plan(self, obj):  # the inline is asked about the plan it sits on
        return obj

    def has_add_permission(self, request, obj=None):
        return not self._adopted(obj) and super().has_add_permission(request, obj)


@admin.register(StrategicPlan)
class StrategicPlanAdmin(VersionedAdmin, LockedWhenAdopted, SimpleHistoryAdmin):
    list_display = ["__str__", "year", "status", "adopted_on", "based_on"]
    list_filter = ["status", "strategy"]
    # A plan is adopted in the app ("Fastställ"), which checks it first.
    readonly_fields = ["status", "adopted_on"]
    inlines = [FocusAreaInline]

    def _plan(self, obj):
        return obj


@admin.register(FocusArea)
class FocusAreaAdmin(VersionedAdmin, LockedWhenAdopted, SimpleHistoryAdmin):
    list_display = ["title", "plan", "position"]
    list_filter = ["plan"]
    search_fields = ["title", "vision_2030"]
    filter_horizontal = ["goals", "dimensions"]


@admin.register(InfluenceIssue)
class InfluenceIssueAdmin(VersionedAdmin, LockedWhenAdopted, SimpleHistoryAdmin):
    list_display = ["title", "plan", "focus_area", "level", "status"]
    list_filter = ["plan", "level", "status"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "focus_area"]


@admin.register(SubStrategy)
class SubStrategyAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "owner", "strategy"]
    search_fields = ["name", "owner"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SustainabilityGoal)
class SustainabilityGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]


@admin.register(SustainabilityDimension)
class SustainabilityDimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


# --- Accounts ------------------------------------------------------------------------------


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django joins this help text to its warning when the module is imported, which fixes it
    in the language active then (Swedish) for every user; joined lazily, it follows the user's
    language, and the warning is translated too."""

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("Om lösenordet stängs av går användarens nuvarande lösenord förlorat."),
    )


class UserAdmin(auth_admin.UserAdmin):
    change_password_form = AdminPasswordChangeForm


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The notices' outbox, read-only: resend from Utgående e-post, which keeps the rules."""

    list_display = ["subject", "template", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template", "failure_kind"]
    search_fields = ["subject", "message_id"]
    exclude = ["context"]  # a password reset's context holds its link

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """Rendered files, read-only: a failed one is made again from its page (rus.documents)."""

    list_display = ["kind", "object_key", "version_key", "status", "attempts", "finished_at"]
    list_filter = ["kind", "status"]
    search_fields = ["object_key", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
