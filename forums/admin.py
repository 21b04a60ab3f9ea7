from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Event, EventInvitation, Registration


class EventInvitationInline(ReadOnlyInline):
    model = EventInvitation


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "format", "starts_at", "capacity", "audience", "status"]
    list_filter = ["status", "kind", "format", "audience", "programme"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    inlines = [EventInvitationInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Places change only through the services, which hold the capacity."""

    list_display = ["person", "event", "organisation", "status", "attendance", "created_at"]
    list_filter = ["status", "attendance"]
    search_fields = ["person__last_name", "person__email", "event__title"]
    list_select_related = ["person", "event", "organisation"]
    exclude = ["special_requirements"]
