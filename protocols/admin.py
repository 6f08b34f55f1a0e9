"""Admin for the protocols: a place for superusers to look things up, read-only. Protocols are
written in the app, where § numbering (a locked counter), the snapshots and the rules (R10, R11)
live; an edit here would skip them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attendance,
    Dissent,
    HomeDecision,
    JusteringComment,
    JusteringEvent,
    ParagraphCounter,
    Protocol,
    ProtocolEntry,
    Signatory,
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


class SignatoryInline(ReadOnly, admin.TabularInline):
    model = Signatory
    fields = ["name", "role", "approved_at", "checksum"]
    readonly_fields = fields
    extra = 0


@admin.register(Protocol)
class ProtocolAdmin(ReadOnly, SimpleHistoryAdmin):
    """Read-only for everyone: an adjusted protocol is final (R8; the models and a database
    trigger refuse a change too), and a draft is written in the app."""

    list_display = ["meeting", "version", "council", "year", "status", "adjust_by", "adjusted_at"]
    list_filter = ["council", "year", "status"]
    inlines = [SignatoryInline, EntryInline, AttendanceInline]


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


@admin.register(Signatory)
class SignatoryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "role", "protocol", "approved_at"]
    list_filter = ["role"]


@admin.register(JusteringEvent)
class JusteringEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "kind", "actor_name", "subject_name", "protocol", "checksum"]
    list_filter = ["kind"]


@admin.register(JusteringComment)
class JusteringCommentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["author_name", "entry", "created_at", "answered_at"]
