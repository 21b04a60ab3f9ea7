from django.contrib import admin

from .models import Event, EventInvitation, Registration


class EventInvitationInline(admin.TabularInline):
    model = EventInvitation
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "format", "starts_at", "capacity", "audience", "status"]
    list_filter = ["status", "kind", "format", "audience", "programme"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [EventInvitationInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-mostly: places change only through the services, which hold the capacity."""

    list_display = ["person", "event", "organisation", "status", "attendance", "created_at"]
    list_filter = ["status", "attendance"]
    search_fields = ["person__last_name", "person__email", "event__title"]
    list_select_related = ["person", "event", "organisation"]
    exclude = ["special_requirements"]
    readonly_fields = [
        f.name
        for f in Registration._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in ("id", "special_requirements")
    ]

    def has_add_permission(self, request):
        return False
