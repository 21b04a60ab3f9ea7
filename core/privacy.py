"""Personal data: the access log and the retention purge.

`log_access` records that a staff member saw or exported personal data (one row, plus one bulk
insert of the people concerned). `retention_purge` runs every retention kind that the apps
register in `core.registry` with the period set in `settings.RETENTION_DAYS`.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.utils import timezone

from .audit import audit_log
from .models import AccessLogEntry, AccessLogPerson
from .registry import registry


def client_ip(request) -> str | None:
    """The client's address: from the header a trusted proxy sets, if one is configured."""
    header = settings.PROXY_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value


def content_type_label(content_type_id) -> str:
    """ "app_label.model" of a content type id (cached), or "" for none."""
    if not content_type_id:
        return ""
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


def log_access(
    request,
    *,
    action: str,
    subject_type: str,
    subject_id="",
    person_ids=(),
    description: str = "",
) -> AccessLogEntry:
    """Record one access to personal data by the user of `request`."""
    person_ids = sorted({int(pk) for pk in person_ids if pk is not None})
    with transaction.atomic():
        entry = AccessLogEntry.objects.create(
            actor=request.user if request.user.is_authenticated else None,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id or ""),
            description=description[:255],
            path=request.get_full_path()[:500],
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            people_count=len(person_ids),
        )
        if person_ids:
            AccessLogPerson.objects.bulk_create(
                [AccessLogPerson(entry=entry, person_id=pk) for pk in person_ids],
                batch_size=1000,
            )
    return entry


class AccessLogMiddleware:
    """Logs the pages and downloads that apps declare in `registry.access_rules` (by URL name),
    once the view has answered successfully. Views that log for themselves call `log_access`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        rule = registry.access_rules.get(match.view_name) if match else None
        if (
            rule is not None
            and request.method in rule.methods
            and response.status_code == 200
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            record = rule.describe(request, **match.kwargs)
            if record is not None:
                log_access(request, action=rule.action, **record)
        return response


def retention_periods() -> dict[str, int]:
    return dict(settings.RETENTION_DAYS)


def retention_purge(*, now=None) -> dict[str, int | None]:
    """Purge or anonymise what is past its retention period, kind by kind.

    Returns the number of records handled per kind (None for a kind without a period in the
    settings), and records the counts in one audit entry.
    """
    now = now or timezone.now()
    periods = retention_periods()
    counts: dict[str, int | None] = {}
    for kind in registry.retention_kinds:
        days = periods.get(kind.name)
        if days is None:
            counts[kind.name] = None
            continue
        with transaction.atomic():
            counts[kind.name] = kind.purge(before=now - timedelta(days=int(days)), now=now)
    audit_log(actor=None, action="core.retention.purged", data={"counts": counts})
    return counts


def access_log_purge(*, before, now) -> int:
    _total, by_model = AccessLogEntry.objects.filter(at__lt=before).delete()
    return by_model.get(AccessLogEntry._meta.label, 0)
