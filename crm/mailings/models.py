import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.translations import translated, validate_translated_texts


def validate_topic_translations(value):
    validate_translated_texts(value, fields=("name", "description"))


def validate_mailing_translations(value):
    validate_translated_texts(value, fields=("subject", "body"))


def email_digest(email: str) -> str:
    """The suppression list keeps a digest of the address, not the address: it must outlive
    the erasure of the person and still stop every send to them."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class Topic(models.Model):
    """What people subscribe to (the AI Pact, events and webinars, calls for experts...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, validators=[validate_topic_translations]
    )
    is_active = models.BooleanField(_("open to subscribers"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["order", "name"]

    def __str__(self):
        return self.translated_name

    @property
    def translated_name(self) -> str:
        return translated(self, "name")

    @property
    def translated_description(self) -> str:
        return translated(self, "description")


class Subscription(models.Model):
    """One address's subscription to updates: pending until its confirmation link is opened,
    then active for the chosen topics, with the newsletter consent recorded on the person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        LEFT = "left", _("Unsubscribed")

    email = models.EmailField(_("email"))
    person = models.OneToOneField(
        "crm.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscription",
    )
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    left_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="crm_subscription_email_ci_unique"),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(person__isnull=False, confirmed_at__isnull=False),
                name="crm_subscription_active_is_confirmed",
            ),
        ]

    def __str__(self):
        return self.email


class Suppression(models.Model):
    """An address no mailing may reach: it unsubscribed, or the mail server refused it."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        HARD_FAILURE = "hard_failure", _("Refused by the mail server")
        STAFF = "staff", _("Stopped by staff")

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    mailing = models.ForeignKey(
        "crm.Mailing",
        verbose_name=_("mailing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suppressions",
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppression list")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.email_hash[:8]})"


class Mailing(models.Model):
    """A message staff write once (in English and other languages) and send to an audience:
    a topic's subscribers or a segment of the CRM, intersected with the consent its purpose
    needs and with the suppression list."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    class Purpose(models.TextChoices):
        UPDATES = "updates", _("Updates on a topic (subscribers who confirmed)")
        PACT_NETWORK = "pact_network", _("AI Pact network (people who agreed to its messages)")
        PARTICIPATION = (
            "participation",
            _("About their participation (a pledge, a membership, an application, a registration)"),
        )

    name = models.CharField(_("internal name"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), max_length=20000)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, validators=[validate_mailing_translations]
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailings",
    )
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    segment_value = models.CharField(max_length=60, blank=True)
    segment_label = models.CharField(_("audience"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        permissions = [("send_mailing", "Can send a mailing")]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, segment="")
                | Q(topic__isnull=True) & ~Q(segment=""),
                name="crm_mailing_one_audience",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(send_at__isnull=False),
                name="crm_mailing_scheduled_has_time",
            ),
        ]

    def __str__(self):
        return self.name

    def texts_in(self, language: str) -> tuple[str, str]:
        """(subject, body) in `language`, each falling back to the English text."""
        return translated(self, "subject", language), translated(self, "body", language)

    def languages(self) -> list[str]:
        return ["en", *sorted(code for code, t in (self.translations or {}).items() if t)]

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class MailingRecipient(models.Model):
    """One person's copy of a mailing: the unit the workers claim, send and account for.

    QUEUED rows wait; CLAIMED rows belong to a worker until `lease_until`; a worker marks a row
    HANDING_OVER in the database before it gives the email to the mail server and SENT after.
    A row claimed by a worker that died goes back to the queue; a row it was handing over is
    not sent again (the email may have left), but failed with that reason: nobody gets a
    mailing twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CLAIMED = "claimed", _("Being sent")
        HANDING_OVER = "handing_over", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not sent (cancelled)")

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("mailing")
    )
    person = models.ForeignKey(
        "crm.Person",
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="mailings_received",
    )
    email = models.CharField(_("email"), max_length=254)
    language = models.CharField(_("language"), max_length=5, default="en")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("reason"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    logged = models.BooleanField(default=False)  # its timeline entry is written

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "person"], name="crm_mailingrecipient_once_per_person"
            ),
        ]
        indexes = [
            models.Index(fields=["mailing", "status"], name="crm_mailrcpt_status_idx"),
        ]

    def __str__(self):
        return f"{self.mailing}: {self.email}"
