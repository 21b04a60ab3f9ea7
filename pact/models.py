import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.translations import missing_languages, translated, validate_translated_texts
from crm.models import Organisation

# A progress report can be written from this many days before it is due.
REPORTING_OPENS_DAYS = 60

# A pledge in one of these statuses no longer counts as the organisation's pledge, so the
# organisation may start a new one.
CLOSED_STATUSES = ("withdrawn", "rejected")

# The texts of a commitment that are translated (core.translations).
COMMITMENT_TRANSLATED_FIELDS = ("text",)


def validate_translations(value):
    """{"fr": {"text": "…"}, "de": {"text": "…"}}: the commitment in other official languages."""
    validate_translated_texts(value, fields=COMMITMENT_TRANSLATED_FIELDS)


class AIRole(models.TextChoices):
    PROVIDER = "provider", _("Provider")
    DEPLOYER = "deployer", _("Deployer")
    BOTH = "both", _("Provider and deployer")


class ImplementationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PARTIAL = "partial", _("Partially rolled out")
    FULL = "full", _("Fully implemented")


class Commitment(models.Model):
    """One commitment of the catalogue, in one catalogue version.

    A row that a submitted pledge refers to is never edited: editing it makes a new version
    (`commitment_update`), so the wording a signatory signed stays what it was.
    """

    class Category(models.TextChoices):
        CORE = "core", _("Core commitment")
        PROVIDER = "provider", _("Additional commitment for providers")
        DEPLOYER = "deployer", _("Additional commitment for deployers")

    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveIntegerField(_("catalogue version"), default=1)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    text = models.TextField(_("text (English)"))
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, validators=[validate_translations]
    )
    ai_act_article = models.CharField(_("AI Act reference"), max_length=60, blank=True)
    source = models.URLField(_("source"), max_length=300, blank=True)
    verified = models.BooleanField(
        _("verbatim text"),
        default=False,
        help_text=_("The English text is the verbatim wording of the AI Pact pledge."),
    )
    is_current = models.BooleanField(_("current version"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["order", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="pact_commitment_code_version"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="pact_commitment_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.code} (v{self.version})"

    @property
    def is_core(self) -> bool:
        return self.category == self.Category.CORE

    def text_in(self, language: str | None = None) -> str:
        """The text in `language` (default: the active one), in English when not translated."""
        return translated(self, "text", language)

    @property
    def missing_languages(self) -> list[str]:
        return missing_languages(self, COMMITMENT_TRANSLATED_FIELDS)

    def applies_to(self, ai_role: str) -> bool:
        if self.is_core:
            return True
        return ai_role == AIRole.BOTH or ai_role == self.category


class Pledge(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    ai_role = models.CharField(_("AI role"), max_length=10, choices=AIRole.choices)
    language = models.CharField(
        _("language of the pledge"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The signed pledge and its PDF are in this language."),
    )
    best_effort = models.BooleanField(
        _("best effort"),
        default=False,
        help_text=_(
            "The organisation commits to work towards these commitments on a best-effort basis."
        ),
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_function = models.CharField(_("signatory's function"), max_length=200, blank=True)
    authority_confirmed = models.BooleanField(
        _("authority to sign confirmed"),
        default=False,
        help_text=_("I confirm that I am authorised to sign this pledge for the organisation."),
    )
    publish_in_register = models.BooleanField(
        _("publish in the public register"),
        default=True,
        help_text=_("Once reviewed, the pledge appears in the public register of the AI Pact."),
    )
    version = models.PositiveIntegerField(
        _("edit version"), default=1, help_text=_("Increases at every change.")
    )
    review_comment = models.TextField(_("comment from the AI Office"), blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    next_report_due = models.DateField(_("next progress report due"), null=True, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at", "-pk"]
        permissions = [("review_pledge", _("Can review, return, publish and reject pledges"))]
        constraints = [
            # One pledge at a time per organisation, whatever the web tier does.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="pact_one_active_pledge_per_organisation",
            ),
        ]
        indexes = [models.Index(fields=["status", "publish_in_register", "-published_at"])]

    def __str__(self):
        return _("Pledge of %(organisation)s") % {"organisation": self.organisation.name}

    def get_absolute_url(self):
        return reverse("pact:pledge_detail", kwargs={"pk": self.pk})

    @property
    def report_opens_on(self) -> datetime.date | None:
        """From when the next progress report can be written."""
        if self.next_report_due is None:
            return None
        return self.next_report_due - datetime.timedelta(days=REPORTING_OPENS_DAYS)

    def report_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(
            self.status == self.Status.PUBLISHED
            and self.next_report_due
            and self.next_report_due < today
        )

    def get_public_url(self):
        return reverse("pact:public_pledge", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_in_register

    @property
    def was_public(self) -> bool:
        return (
            self.status == self.Status.WITHDRAWN
            and self.publish_in_register
            and self.published_at is not None
        )


class PledgeCommitment(models.Model):
    """A commitment as this pledge takes it on: planned actions, target date, status.

    `text` keeps the wording in the pledge's language at submission, so later catalogue
    versions or translations never change what was signed.
    """

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="commitments"
    )
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text as signed"), blank=True)
    planned_actions = models.TextField(_("planned actions"), blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    implementation_status = models.CharField(
        _("implementation status"),
        max_length=10,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.PLANNED,
    )

    class Meta:
        verbose_name = _("commitment of a pledge")
        verbose_name_plural = _("commitments of pledges")
        ordering = ["commitment__order", "commitment__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["pledge", "commitment"], name="pact_pledgecommitment_unique"
            )
        ]

    def __str__(self):
        return f"{self.pledge_id}: {self.commitment.code}"

    def text_in(self, language: str) -> str:
        return self.text or self.commitment.text_in(language)


class PledgeStatusChange(models.Model):
    """The status history of a pledge: who moved it from what to what, when, and why."""

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        _("from"), max_length=10, choices=Pledge.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=10, choices=Pledge.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge status change")
        verbose_name_plural = _("pledge status changes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.pledge_id}: {self.from_status} → {self.to_status}"


class ProgressReport(models.Model):
    """The signatory's yearly report on its commitments, due 12 months after publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned for changes")
        ACCEPTED = "accepted", _("Accepted")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("pledge"), on_delete=models.CASCADE, related_name="reports"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    difficulties = models.TextField(
        _("what was hard"),
        blank=True,
        help_text=_("Feedback for the AI Office: what made the commitments hard to implement?"),
    )
    review_comment = models.TextField(_("comment from the AI Office"), blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "due_on"], name="pact_report_one_per_due"),
        ]

    def __str__(self):
        return _("Progress report due %(date)s") % {"date": date_format(self.due_on)}

    def get_absolute_url(self):
        return reverse("pact:report_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ProgressReportItem(models.Model):
    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="items"
    )
    pledge_commitment = models.ForeignKey(
        PledgeCommitment,
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="report_items",
    )
    implementation_status = models.CharField(
        _("implementation status"),
        max_length=10,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.PLANNED,
    )
    narrative = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("progress on a commitment")
        verbose_name_plural = _("progress on commitments")
        ordering = ["pledge_commitment__commitment__order", "pledge_commitment__commitment__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "pledge_commitment"], name="pact_reportitem_unique"
            )
        ]

    def __str__(self):
        return f"{self.report_id}: {self.pledge_commitment_id}"


class ReportReminder(models.Model):
    """A reminder already sent, so that the daily job sends each one once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due in 30 days")
        OVERDUE = "overdue", _("Overdue")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(_("due"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report reminder")
        verbose_name_plural = _("progress report reminders")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "due_on", "kind"], name="pact_reminder_once")
        ]

    def __str__(self):
        return f"{self.pledge_id} {self.kind} {self.due_on}"


class NetworkMembership(models.Model):
    """An organisation's expression of interest in the AI Pact network (pillar I)."""

    class Status(models.TextChoices):
        INTERESTED = "interested", _("Expressed interest")
        LEFT = "left", _("Left the network")

    class Interest(models.TextChoices):
        WEBINARS = "webinars", _("Webinars")
        WORKSHOPS = "workshops", _("Workshops")
        BEST_PRACTICES = "best_practices", _("Sharing best practices")
        PLEDGES = "pledges", _("Preparing a pledge")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="pact_network",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INTERESTED
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    contact_email = models.EmailField(_("contact email"))
    publish_name = models.BooleanField(
        _("name may be published"),
        default=False,
        help_text=_("The organisation may be named as a member of the AI Pact network."),
    )
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("AI Pact network membership")
        verbose_name_plural = _("AI Pact network memberships")
        ordering = ["-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="interested"),
                name="pact_network_one_active_membership",
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"

    def interest_labels(self) -> list[str]:
        labels = dict(self.Interest.choices)
        return [str(labels.get(code, code)) for code in self.interests]
