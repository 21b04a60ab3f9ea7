"""Read-only admin views: every change goes through the services (audit, versioning, emails)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Commitment,
    NetworkMembership,
    Pledge,
    PledgeCommitment,
    PledgeStatusChange,
    ProgressReport,
    ProgressReportItem,
)


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "category", "is_current", "verified", "ai_act_article"]
    list_filter = ["category", "is_current", "verified"]
    search_fields = ["code", "text"]


class PledgeCommitmentInline(ReadOnlyInline):
    model = PledgeCommitment
    fields = ["commitment", "planned_actions", "target_date", "implementation_status"]


class PledgeStatusChangeInline(ReadOnlyInline):
    model = PledgeStatusChange
    fields = ["created_at", "from_status", "to_status", "actor", "comment"]
    readonly_fields = ["created_at"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "status", "ai_role", "submitted_at", "published_at"]
    list_filter = ["status", "ai_role", "publish_in_register"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]
    inlines = [PledgeCommitmentInline, PledgeStatusChangeInline]

    def get_queryset(self, request):
        # A draft belongs to its organisation until submitted.
        return super().get_queryset(request).exclude(status=Pledge.Status.DRAFT)


class ProgressReportItemInline(ReadOnlyInline):
    model = ProgressReportItem
    fields = ["pledge_commitment", "implementation_status", "narrative"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["pledge", "due_on", "status", "submitted_at", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["pledge__organisation"]
    inlines = [ProgressReportItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=ProgressReport.Status.DRAFT)


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "status", "contact_email", "publish_name", "joined_at"]
    list_filter = ["status", "publish_name"]
    search_fields = ["organisation__name", "contact_email"]
    list_select_related = ["organisation"]
