"""Admin for every meetings model: the superusers' escape hatch and a place to look things up.
The secretariat works in the app, where the rules (R6–R12) and the delivery guarantees live;
delivery records are therefore read-only here.
"""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    Attachment,
    AttachmentVersion,
    CalendarFeed,
    Invitation,
    InvitationMessage,
    ItemProposal,
    ItemQuestion,
    ItemReview,
    Mailing,
    Meeting,
    ProposalAttachment,
)
from .services.agenda import add_standing_items


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "kind", "is_standing", "is_prepared", "changed_after_approval"]
    readonly_fields = ["is_standing"]
    show_change_link = True


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
            add_standing_items(meeting=obj, user=request.user)


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


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    extra = 0
    fields = ["original_name", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(ItemProposal)
class ItemProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "status", "wished_meeting", "submitted_at"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["title", "background"]
    list_select_related = ["organisation", "wished_meeting"]
    raw_id_fields = ["wished_meeting", "deferred_to", "agenda_item", "proposer", "decided_by"]
    inlines = [ProposalAttachmentInline]


@admin.register(ItemReview)
class ItemReviewAdmin(admin.ModelAdmin):
    list_display = ["item", "organisation", "anchored", "expects_dissent", "recorded_at"]
    list_filter = ["anchored", "expects_dissent", "organisation"]
    list_select_related = ["item", "organisation"]
    raw_id_fields = ["item", "recorded_by"]


@admin.register(ItemQuestion)
class ItemQuestionAdmin(admin.ModelAdmin):
    list_display = ["item", "organisation", "asked_at", "answered_at"]
    list_select_related = ["item", "organisation"]
    raw_id_fields = ["item", "asked_by", "answered_by"]


class InvitationMessageInline(admin.TabularInline):
    model = InvitationMessage
    extra = 0
    fields = ["mailing", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "meeting", "capacity", "status", "reply", "sent_at"]
    list_filter = ["status", "reply", "capacity", "meeting__council"]
    search_fields = ["name", "email"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "mailing", "person", "membership", "substitute_membership"]
    readonly_fields = ["status", "attempts", "last_error", "enqueued_at", "sent_at"]
    inlines = [InvitationMessageInline]


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    list_display = ["meeting", "kind", "sequence", "sent_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["meeting", "sent_by"]
    raw_id_fields = ["meeting", "inviting_chair", "sent_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at", "last_used_at"]
    raw_id_fields = ["person"]
    exclude = ["token"]
