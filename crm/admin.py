from django.contrib import admin

from .models import Affiliation, Consent, Note, Organisation, Person, Sector, Tag


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "country", "hq_region", "type", "size", "ai_role", "status"]
    list_filter = ["status", "hq_region", "type", "size", "ai_role", "sectors"]
    search_fields = ["name", "acronym", "transparency_register_id"]
    filter_horizontal = ["sectors", "tags"]
    inlines = [AffiliationInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "nationality", "preferred_language", "user"]
    search_fields = ["first_name", "last_name", "email"]
    list_filter = ["preferred_language", "gender"]
    raw_id_fields = ["user"]
    filter_horizontal = ["tags"]
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["person", "organisation"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "purpose",
        "privacy_notice",
        "notice_version",
        "given_at",
        "withdrawn_at",
    ]
    list_filter = ["purpose", "privacy_notice"]
    autocomplete_fields = ["person"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "organisation", "person", "author"]
    raw_id_fields = ["organisation", "person"]


admin.site.register(Sector)
admin.site.register(Tag)
