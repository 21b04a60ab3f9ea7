import sys

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .access import login_required, public
from .jobs import job_can_view, job_lease_expired, jobs_reap_expired
from .middleware import DATABASE_ERRORS, database_unavailable_response
from .models import AccessLogEntry, Job, OutboxTask
from .privacy import content_type_label, log_access


@public
def home(request):
    return render(request, "core/home.html")


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unreachable
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _broker_status():
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "eager"}
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means unreachable
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


def _outbox_status():
    """Tasks waiting for the broker (see core/outbox.py): a growing number needs a look."""
    pending = OutboxTask.objects.filter(sent_at__isnull=True)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "ok": True,
        "pending": pending.count(),
        "oldest_pending_seconds": (
            int((timezone.now() - oldest).total_seconds()) if oldest else None
        ),
    }


@public
@never_cache
def healthz(request):
    checks = {"database": _database_status(), "broker": _broker_status()}
    healthy = all(check["ok"] for check in checks.values())
    if not checks["database"]["ok"]:
        checks["database"]["message"] = (
            "The database cannot be reached: pages answer 503 until it is back."
        )
    else:
        checks["outbox"] = _outbox_status()
    if not checks["broker"]["ok"]:
        checks["broker"]["message"] = (
            "The task broker cannot be reached: background work waits in the outbox and is "
            "sent when the broker is back."
        )
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


@public
@never_cache
def status(request):
    """The service status in words, for people: what works and what does not, nothing about
    how it is built (`/healthz/` answers monitors)."""
    checks = [
        (_("Pages, accounts and records (database)"), _database_status()["ok"]),
        (_("Emails and documents prepared in the background (task queue)"), _broker_status()["ok"]),
    ]
    healthy = all(ok for _label, ok in checks)
    return render(
        request,
        "core/status.html",
        {"checks": checks, "healthy": healthy, "checked_at": timezone.now()},
        status=200 if healthy else 503,
    )


def _visible_job(request, job_id):
    job = get_object_or_404(Job, pk=job_id)
    if not job_can_view(user=request.user, job=job):
        raise Http404
    return job


@login_required
def job_detail(request, job_id):
    job = _visible_job(request, job_id)
    return render(request, "core/job_detail.html", {"job": job})


@login_required
@never_cache
def job_status(request, job_id):
    job = _visible_job(request, job_id)
    if job_lease_expired(job):
        jobs_reap_expired(job_id=job.pk)
        job.refresh_from_db()
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "progress": job.progress,
            "message": job.message,
            "finished": job.is_finished,
            "download_url": (
                reverse("core:job_download", kwargs={"job_id": job.pk}) if job.result_file else ""
            ),
        }
    )


@login_required
def job_download(request, job_id):
    job = _visible_job(request, job_id)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404(_("This file is not ready."))
    log_access(
        request,
        action=AccessLogEntry.Action.DOWNLOAD,
        subject_type=content_type_label(job.subject_type_id) or "core.job",
        subject_id=job.subject_id,
        description=f"{job.kind}: {job.result_name}",
    )
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_content_type,
    )


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Called while the exception is being handled, so it can tell an unreachable database
    # from a bug. Neither page uses the request context: it may be what failed.
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response()
    return HttpResponseServerError(render_to_string("500.html"))


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


@public
def privacy(request):
    return render(request, "core/privacy.html", {"version": settings.PRIVACY_NOTICE_VERSION})
