"""Admin for the protocols: a place for superusers to look things up, read-only. Protocols are
written in the app, where § numbering (a locked counter), the snapshots and the rules (R10, R11)
live; an edit here would skip them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attendance,
    Dissent,
    HomeDecision,
    ParagraphCounter,
    Protocol,
    ProtocolEntry,
    WithdrawnDissent,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryInline(ReadOnly, admin.TabularInline):
    model = ProtocolEntry
    fields = ["number", "title", "kind", "outcome", "struck"]
    readonly_fields = fields
    show_change_link = True
    extra = 0


class AttendanceInline(ReadOnly, admin.TabularInline):
    model = Attendance
    fields = [
        "name",
        "organisation_name",
        "capacity",
        "side",
        "present",
        "from_number",
        "to_number",
    ]
    readonly_fields = fields
    extra = 0


@admin.register(Protocol)
class ProtocolAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["meeting", "council", "year", "status", "adjust_by"]
    list_filter = ["council", "year", "status"]
    inlines = [EntryInline, AttendanceInline]


@admin.register(ProtocolEntry)
class ProtocolEntryAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "title", "council", "year", "kind", "outcome"]
    list_filter = ["council", "year", "kind", "outcome"]
    search_fields = ["title", "minutes", "outcome_text"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["name", "organisation_name", "capacity", "present", "protocol"]
    list_filter = ["capacity", "present"]
    search_fields = ["name", "organisation_name"]


@admin.register(Dissent)
class DissentAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["member_name", "organisation_name", "entry", "from_expected"]


@admin.register(WithdrawnDissent)
class WithdrawnDissentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["organisation_name", "entry"]


@admin.register(HomeDecision)
class HomeDecisionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["organisation_name", "entry", "expected"]


@admin.register(ParagraphCounter)
class ParagraphCounterAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["council", "year", "last_number"]
