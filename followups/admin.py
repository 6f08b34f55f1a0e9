"""Admin for follow-ups: read-only, for superusers to look things up. Rows are written in the
app, where the rights (the organisation's own people) and the upload checks live."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import FollowUp, ReminderRound


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["entry", "organisation_name", "expected", "state", "decision_date"]
    list_filter = ["state", "expected", "entry__council"]
    search_fields = ["organisation_name", "reference", "entry__title"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ReminderRound)
class ReminderRoundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["organisation", "date", "created_at"]
