from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .locking import VersionedAdmin
from .models import Council, Membership, Organisation, Person


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "council"
    extra = 0
    autocomplete_fields = ["person", "organisation", "substitute_for"]
    fields = ["person", "organisation", "role", "side", "function", "start_date", "end_date"]


@admin.register(Organisation)
class OrganisationAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Person)
class PersonAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "title", "organisation", "email", "active"]
    list_filter = ["active", "organisation__kind"]
    search_fields = ["given_name", "family_name", "email", "title"]
    autocomplete_fields = ["organisation", "user"]
    list_select_related = ["organisation"]


@admin.register(Council)
class CouncilAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "cadence", "publishes_protocols"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["person", "council", "organisation", "role", "side", "start_date", "end_date"]
    list_filter = ["council", "role", "side"]
    search_fields = [
        "person__given_name",
        "person__family_name",
        "person__email",
        "organisation__name",
    ]
    autocomplete_fields = ["person", "organisation", "substitute_for"]
    list_select_related = ["person", "council", "organisation"]
    date_hierarchy = "start_date"
