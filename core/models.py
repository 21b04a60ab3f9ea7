import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who did what to which record, and when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Job(models.Model):
    """A unit of background work with progress and, when it makes a file, the stored result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result_file = models.FileField(_("result"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    result_data = models.JSONField(_("result data"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A running attempt holds the job until this moment and extends it with every progress
    # report; a job still "running" after it is one whose worker died (see core.jobs).
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "subject_type", "subject_id", "-created_at"])]

    def __str__(self):
        return f"{self.kind} ({self.get_status_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("core:job_detail", kwargs={"job_id": self.pk})

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class OutboxTask(models.Model):
    """A Celery task written in the same transaction as the change that asks for it.

    The row commits with the business change; once it has, the task is published to the
    broker and `sent_at` is set. If the broker cannot be reached, the row waits for the relay
    (`core.outbox.outbox_relay`, run periodically, by `manage.py relay_outbox` and at worker
    start), so a broker outage delays work but never loses it.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="core_outbox_pending")]

    def __str__(self):
        return f"{self.task_name} ({'sent' if self.sent_at else 'pending'})"


class EmailDelivery(models.Model):
    """That an email was sent, so that a redelivered task does not send it twice."""

    key = models.UUIDField(primary_key=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("email delivery")
        verbose_name_plural = _("email deliveries")

    def __str__(self):
        return f"{self.key} {self.sent_at:%Y-%m-%d %H:%M}"


class AccessLogEntry(models.Model):
    """Who viewed, exported or downloaded personal data, when and from where.

    The people concerned are listed in `AccessLogPerson` by id, so that the data-protection
    coordinator can read the log per person without the core knowing the CRM's models.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        DOWNLOAD = "download", _("Downloaded")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    subject_type = models.CharField(_("record type"), max_length=60)
    subject_id = models.CharField(_("record"), max_length=64, blank=True)
    description = models.CharField(_("what"), max_length=255, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    people_count = models.PositiveIntegerField(_("people concerned"), default=0)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type} {self.subject_id}"


class AccessLogPerson(models.Model):
    """One person whose data an access concerned (the id of a CRM person record)."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.CASCADE, related_name="people")
    person_id = models.PositiveBigIntegerField(_("person"))

    class Meta:
        verbose_name = _("person concerned")
        verbose_name_plural = _("people concerned")
        indexes = [models.Index(fields=["person_id", "entry"], name="core_accesslog_person_idx")]

    def __str__(self):
        return f"{self.entry_id}: {self.person_id}"


class AccountLanguage(models.Model):
    """The language a person chose for their account: pages after they sign in, and every
    email and document sent to them (see core.languages)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="account_language",
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("account language")
        verbose_name_plural = _("account languages")

    def __str__(self):
        return f"{self.user_id}: {self.language}"
