"""Admin for meetings, agenda items and attachments (superusers' escape hatch; the secretariat
works in the app). Proposals, reviews and invitations register their own models in their modules.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Attachment, AttachmentVersion, Meeting
from .services.agenda import add_standing_items


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "kind", "is_standing", "is_prepared", "changed_after_approval"]
    readonly_fields = ["is_standing"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "council", "starts_at", "kind", "status"]
    list_filter = ["council", "kind", "status"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["agenda_approved_at", "agenda_approved_by", "calendar_sequence", "series"]
    inlines = [AgendaItemInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # Every new meeting gets the standing items, however it is created.
            add_standing_items(meeting=obj)


class AttachmentVersionInline(admin.TabularInline):
    model = AttachmentVersion
    extra = 0
    fields = ["number", "original_name", "content_type", "size", "uploaded_at", "uploaded_by"]
    readonly_fields = fields
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "position", "kind", "is_prepared", "changed_after_approval"]
    list_filter = ["kind", "is_prepared", "changed_after_approval", "meeting__council"]
    search_fields = ["title", "background"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["presenter", "proposing_organisation"]
    raw_id_fields = ["meeting"]
    inlines = [AttachmentInline]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["title", "item", "created_at"]
    search_fields = ["title"]
    raw_id_fields = ["item"]
    inlines = [AttachmentVersionInline]
