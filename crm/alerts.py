"""Telling staff what waits for them: an email at once, or one digest a day, as each chose
(`StaffAlertSetting`). Apps say what can wait through `crm.registry.work_queues` and call
`staff_alert` when something new arrives."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone

from core.email import email_enqueue

from .models import Person, StaffAlertSetting
from .registry import work_queues

# At most one digest in this time, however often the job runs.
DIGEST_GAP = datetime.timedelta(hours=20)


def _staff_holding(perm: str):
    app_label, codename = perm.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    users = get_user_model().objects.filter(is_active=True, is_staff=True)
    if permission is None:
        return users.filter(is_superuser=True)
    return users.filter(
        Q(is_superuser=True) | Q(groups__permissions=permission) | Q(user_permissions=permission)
    ).distinct()


def _languages(users) -> dict[int, str]:
    return dict(Person.objects.filter(user__in=users).values_list("user_id", "preferred_language"))


def staff_alert(*, queue: str, summary: str, url: str) -> int:
    """Email, after the change commits, the staff who hold the queue's permission and chose
    immediate alerts. Returns how many were told."""
    work = work_queues.get(queue)
    if work is None:
        return 0
    users = list(
        _staff_holding(work.perm).filter(
            staff_alerts__frequency=StaffAlertSetting.Frequency.IMMEDIATE
        )
    )
    languages = _languages(users)
    for user in users:
        email_enqueue(
            to=user.email,
            template="crm/email/staff_alert",
            context={"queue": work, "summary": summary, "url": url},
            language=languages.get(user.pk, settings.LANGUAGE_CODE),
        )
    return len(users)


def staff_digest_send(*, now=None) -> int:
    """Send each staff member on the daily digest what waits in the queues they may work on,
    once a day. Returns how many digests were sent."""
    now = now or timezone.now()
    settings_by_user = {s.user_id: s for s in StaffAlertSetting.objects.all()}
    waiting = {}
    sent = 0
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    languages = _languages(staff)
    for user in staff:
        setting = settings_by_user.get(user.pk)
        if setting and setting.frequency != StaffAlertSetting.Frequency.DAILY:
            continue
        if (
            setting
            and setting.last_digest_at
            and (now - setting.last_digest_at).total_seconds() < 20 * 3600
        ):
            continue
        lines = []
        for queue in work_queues.for_user(user):
            if queue.key not in waiting:
                waiting[queue.key] = queue.waiting()
            count, oldest = waiting[queue.key]
            if count:
                lines.append(
                    {
                        "queue": queue,
                        "count": count,
                        "oldest": oldest,
                        "url": queue.url(),
                    }
                )
        if not lines:
            continue
        email_enqueue(
            to=user.email,
            template="crm/email/staff_digest",
            context={"lines": lines, "now": now},
            language=languages.get(user.pk, settings.LANGUAGE_CODE),
        )
        StaffAlertSetting.objects.update_or_create(user=user, defaults={"last_digest_at": now})
        sent += 1
    return sent
