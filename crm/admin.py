"""Read-only admin views: CRM records change only through the back office's services, which
keep the history."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Affiliation, Consent, Note, Organisation, Person, Sector, Tag


class AffiliationInline(ReadOnlyInline):
    model = Affiliation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "acronym", "country", "hq_region", "type", "size", "ai_role", "status"]
    list_filter = ["status", "hq_region", "type", "size", "ai_role", "sectors"]
    search_fields = ["name", "acronym", "transparency_register_id"]
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "email", "nationality", "preferred_language", "user"]
    search_fields = ["first_name", "last_name", "email"]
    list_filter = ["preferred_language"]
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(ReadOnlyAdmin):
    list_display = [
        "person",
        "organisation",
        "position",
        "is_representative",
        "status",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["status", "is_representative"]
    list_select_related = ["person", "organisation"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = [
        "person",
        "purpose",
        "privacy_notice",
        "notice_version",
        "given_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "privacy_notice"]
    list_select_related = ["person"]


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "organisation", "person", "author"]
    list_select_related = ["organisation", "person", "author"]


admin.site.register(Sector, ReadOnlyAdmin)
admin.site.register(Tag, ReadOnlyAdmin)
