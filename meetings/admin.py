"""Admin for every meetings model: the superusers' escape hatch and a place to look things up.
The secretariat works in the app, where the rules (R6–R12) and the delivery guarantees live;
delivery records are therefore read-only here, a meeting's status changes only through the
same transitions as in the app (the actions below), and the agenda of a held meeting is part of
the record.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from councils.locking import VersionedAdmin

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
from .services.agenda import add_standing_items, change_status


class FrozenWhenHeld:
    """The agenda items and attachments of a held meeting are part of the record."""

    def _meeting(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._meeting(obj).is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._meeting(obj).is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class AgendaItemInline(FrozenWhenHeld, admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "kind", "is_standing", "is_prepared", "changed_after_approval"]
    readonly_fields = ["is_standing"]
    show_change_link = True

    def _meeting(self, obj):  # the inline is asked about the meeting it sits on
        return obj

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_add_permission(request, obj)


def _status_action(name):
    label = Meeting.MANUAL_TRANSITIONS[name][0]

    @admin.action(description=label)
    def action(modeladmin, request, queryset):
        for meeting in queryset.select_related("council"):
            try:
                change_status(meeting=meeting, user=request.user, action=name)
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{meeting}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                modeladmin.message_user(request, f"{meeting}: {label.lower()}.", messages.SUCCESS)

    action.__name__ = f"status_{name}"
    return action


@admin.register(Meeting)
class MeetingAdmin(VersionedAdmin, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "council", "starts_at", "kind", "status"]
    list_filter = ["council", "kind", "status"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    # The status follows the life cycle: the actions below, and in the app approval, invitations
    # and (later) the protocol. Set freely here it would skip their rules.
    readonly_fields = [
        "status",
        "agenda_approved_at",
        "agenda_approved_by",
        "calendar_sequence",
        "series",
    ]
    inlines = [AgendaItemInline]
    actions = [_status_action(name) for name in Meeting.MANUAL_TRANSITIONS]

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


class AttachmentInline(FrozenWhenHeld, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["title", "created_at"]
    readonly_fields = ["created_at"]
    show_change_link = True

    def _meeting(self, obj):  # the agenda item it sits on
        return obj.meeting

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.meeting.is_frozen:
            return False
        return super().has_add_permission(request, obj)


@admin.register(AgendaItem)
class AgendaItemAdmin(VersionedAdmin, FrozenWhenHeld, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "position", "kind", "is_prepared", "changed_after_approval"]
    list_filter = ["kind", "is_prepared", "changed_after_approval", "meeting__council"]
    search_fields = ["title", "background"]
    list_select_related = ["meeting"]
    autocomplete_fields = ["presenter", "proposing_organisation"]
    raw_id_fields = ["meeting"]
    inlines = [AttachmentInline]

    def _meeting(self, obj):
        return obj.meeting


@admin.register(Attachment)
class AttachmentAdmin(FrozenWhenHeld, admin.ModelAdmin):
    list_display = ["title", "item", "created_at"]
    search_fields = ["title"]
    raw_id_fields = ["item"]
    inlines = [AttachmentVersionInline]

    def _meeting(self, obj):
        return obj.item.meeting


class ProposalAttachmentInline(admin.TabularInline):
    model = ProposalAttachment
    extra = 0
    fields = ["original_name", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(ItemProposal)
class ItemProposalAdmin(VersionedAdmin, admin.ModelAdmin):
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
    fields = [
        "mailing",
        "status",
        "attempts",
        "failure_kind",
        "last_error",
        "message_id",
        "sent_at",
    ]
    readonly_fields = fields
    can_delete = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "meeting", "capacity", "status", "reply", "sent_at"]
    list_filter = ["status", "reply", "capacity", "meeting__council"]
    search_fields = ["name", "email"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "mailing", "person", "membership", "substitute_membership"]
    readonly_fields = [
        "status",
        "attempts",
        "failure_kind",
        "last_error",
        "message_id",
        "enqueued_at",
        "sending_since",
        "resent_uncertain",
        "sent_at",
    ]
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
