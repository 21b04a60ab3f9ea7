from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    EVENT_PARTICIPATION = "event_participation", _("Event participation")
    PACT_OVERVIEW = "pact_overview", _("AI Pact overview")
    BODY_PARTICIPATION = "body_participation", _("Expert body participation")
    ORGANISATION_ENGAGEMENT = "organisation_engagement", _("Organisation engagement")


class SavedReport(models.Model):
    """A report definition staff run again in one click, and optionally every month by email."""

    class Schedule(models.TextChoices):
        NONE = "", _("Only when asked")
        MONTHLY = "monthly", _("Every month, by email")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    schedule = models.CharField(
        _("schedule"), max_length=10, choices=Schedule.choices, default="", blank=True
    )
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_sent_on = models.DateField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved report")
        verbose_name_plural = _("saved reports")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class ReportRequest(models.Model):
    """One staff report asked for: what, with which filters, in which language, by whom. A
    `core.Job` renders it; the PDF is the job's result and the CSV is kept here."""

    kind = models.CharField(_("kind"), max_length=30, choices=ReportKind.choices)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="report_requests",
    )
    created = models.DateTimeField(_("requested"), auto_now_add=True, db_index=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    saved_report = models.ForeignKey(
        SavedReport,
        verbose_name=_("saved report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    csv_file = models.FileField(_("CSV"), upload_to="reports/%Y/%m/", blank=True)
    csv_name = models.CharField(_("CSV file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-created", "-pk"]
        permissions = [("run_report", _("Can ask for and download staff reports"))]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("reports:request_detail", kwargs={"pk": self.pk})
