from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .countries import EEA_COUNTRIES, EU_COUNTRIES, HQRegion, hq_region_for
from .text import fold
from .validators import validate_transparency_register_id


def prepared(records):
    """Records with their computed fields set, for bulk_create (which does not call save)."""
    records = list(records)
    for record in records:
        record.prepare_derived_fields()
    return records


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Sector(models.Model):
    """An industrial ecosystem (the 14 of the EU industrial strategy, as GenAI4EU uses)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        ACTIVE = "active", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Type(models.TextChoices):
        COMPANY = "company", _("Company")
        STARTUP = "startup", _("Start-up")
        SME_ASSOCIATION = "sme_association", _("SME association")
        INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
        NGO = "ngo", _("NGO / civil society")
        TRADE_UNION = "trade_union", _("Trade union")
        ACADEMIA = "academia", _("Academia / research")
        PUBLIC_AUTHORITY = "public_authority", _("Public authority")
        EU_AGENCY = "eu_agency", _("EU agency")
        STANDARDISATION_BODY = "standardisation_body", _("Standardisation body")

    class Size(models.TextChoices):
        # Commission Recommendation 2003/361/EC.
        MICRO = "micro", _("Micro")
        SMALL = "small", _("Small")
        MEDIUM = "medium", _("Medium")
        LARGE = "large", _("Large")

    class AIRole(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        DEPLOYER = "deployer", _("Deployer")
        BOTH = "both", _("Provider and deployer")
        NONE = "none", _("Neither")

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    transparency_register_id = models.CharField(
        _("EU Transparency Register ID"),
        max_length=16,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_transparency_register_id],
        help_text=_("8 to 13 digits, a hyphen and two digits, e.g. 86045688255-44."),
    )
    transparency_register_verified_at = models.DateTimeField(
        _("Transparency Register ID last verified"), null=True, blank=True
    )
    transparency_register_category = models.CharField(
        _("Transparency Register category"), max_length=120, blank=True
    )
    # Set when a full register export no longer holds the ID; cleared when it is back.
    transparency_register_left_at = models.DateTimeField(
        _("left the Transparency Register"), null=True, blank=True
    )
    country = CountryField(_("country of headquarters"), blank=True)
    hq_region = models.CharField(
        _("HQ region"),
        max_length=5,
        choices=HQRegion.choices,
        blank=True,  # no country, no region: "not stated", never a guess
        editable=False,
    )
    # Type and AI role may be unknown ("not stated"): what an organisation never told us, or a
    # public source never said, is left empty rather than guessed.
    type = models.CharField(
        _("type"), max_length=30, choices=Type.choices, blank=True, default=Type.COMPANY
    )
    size = models.CharField(
        _("size"),
        max_length=10,
        choices=Size.choices,
        blank=True,
        help_text=_(
            "Micro: fewer than 10 staff; small: fewer than 50; medium: fewer than 250; "
            "large: 250 or more (Commission Recommendation 2003/361/EC)."
        ),
    )
    ai_role = models.CharField(
        _("AI role"), max_length=10, choices=AIRole.choices, blank=True, default=AIRole.NONE
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    website = models.URLField(_("website"), blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    # Name and acronym folded for search (crm.text.fold); trigram-indexed on PostgreSQL.
    search_name = models.CharField(max_length=320, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(Lower("name"), name="crm_org_name_lower_idx"),
            models.Index(fields=["country"]),
            models.Index(fields=["type", "size"]),
            # The list's sorts by country and by status, paged deep, without sorting the table.
            models.Index("country", Lower("name"), "id", name="crm_org_sort_country_idx"),
            models.Index("status", Lower("name"), "id", name="crm_org_sort_status_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        self.prepare_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "country" in update_fields:
            kwargs["update_fields"] = {*update_fields, "hq_region"}
        if update_fields is not None and {"name", "acronym"} & set(update_fields):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("crm:organisation_detail", kwargs={"pk": self.pk})

    def prepare_derived_fields(self) -> None:
        """Set the fields computed from others (call it before bulk_create, which skips save)."""
        self.hq_region = hq_region_for(self.country.code if self.country else "")
        self.search_name = fold(f"{self.name} {self.acronym}")

    @property
    def in_eu(self) -> bool:
        return bool(self.country) and self.country.code in EU_COUNTRIES

    @property
    def in_eea(self) -> bool:
        return bool(self.country) and self.country.code in EEA_COUNTRIES


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Woman")
        MALE = "male", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    gender = models.CharField(
        _("gender"),
        max_length=12,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional. Used only for anonymous balance statistics."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Names and email folded for search (crm.text.fold); trigram-indexed on PostgreSQL.
    search_text = models.CharField(max_length=460, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="crm_person_email_ci_unique"),
        ]
        indexes = [
            models.Index(Lower("last_name"), name="crm_person_last_name_lower_idx"),
            # The list's sorts by name and by language, paged deep, without sorting the table.
            models.Index(
                Lower("last_name"), Lower("first_name"), "id", name="crm_person_sort_name_idx"
            ),
            models.Index(
                "preferred_language",
                Lower("last_name"),
                Lower("first_name"),
                "id",
                name="crm_person_sort_language_idx",
            ),
        ]

    def __str__(self):
        # People who only subscribed to updates may have given no name.
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.prepare_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("crm:person_detail", kwargs={"pk": self.pk})

    def prepare_derived_fields(self) -> None:
        """Set the fields computed from others (call it before bulk_create, which skips save)."""
        self.search_text = fold(f"{self.first_name} {self.last_name} {self.email}")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class AffiliationQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def acting(self):
        """Affiliations that let the person act for the organisation today."""
        return self.current().filter(
            is_representative=True,
            status=Affiliation.Status.CONFIRMED,
            organisation__status=Organisation.Status.ACTIVE,
        )


class Affiliation(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    is_representative = models.BooleanField(
        _("may act for the organisation"),
        default=False,
        help_text=_("A representative may sign pledges and register colleagues."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        permissions = [
            ("confirm_affiliation", _("Can confirm representatives and new organisations")),
        ]
        ordering = ["organisation__name", "person__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="crm_affiliation_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(valid_to__isnull=True) & ~Q(status="refused"),
                name="crm_affiliation_one_open_per_person_org",
            ),
        ]

    def __str__(self):
        return f"{self.person} @ {self.organisation}"


class Consent(models.Model):
    class Purpose(models.TextChoices):
        PACT_NETWORK = "pact_network", _("AI Pact network communications")
        PUBLISH_NAME = "publish_name", _("Publication of my name")
        EVENT_PARTICIPANT_LIST = "event_participant_list", _("Appearing on a participant list")
        EVENT_PHOTO = "event_photo", _("Photos and recordings at events")
        SPECIAL_REQUIREMENTS = "special_requirements", _("Processing of dietary or access needs")
        NEWSLETTER = "newsletter", _("Newsletter")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=40, choices=Purpose.choices)
    privacy_notice = models.CharField(_("privacy notice"), max_length=100)
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="crm_consent_withdrawn_after_given",
            )
        ]

    def __str__(self):
        return f"{self.person}: {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Note(models.Model):
    """A staff note on an organisation or a person (a call, a meeting, a remark)."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(person__isnull=False),
                name="crm_note_has_subject",
            )
        ]

    def __str__(self):
        return self.text[:50]


class ErasureRequest(models.Model):
    """A person's request to erase their personal data (GDPR Art. 17, EUDPR Art. 19).

    The controller answers within one month of receipt.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        DONE = "done", _("Carried out")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="erasure_requests"
    )
    reason = models.TextField(_("reason given"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    due_on = models.DateField(_("answer due"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("grounds of the decision"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["due_on", "pk"]
        permissions = [("handle_erasure_request", _("Can carry out or refuse erasure requests"))]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="crm_erasure_one_pending_per_person",
            )
        ]

    def __str__(self):
        return _("Erasure request %(pk)s") % {"pk": self.pk}

    @staticmethod
    def due_for(requested_at) -> date:
        return timezone.localdate(requested_at) + relativedelta(months=1)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.PENDING and self.due_on < timezone.localdate()


class StaffAlertSetting(models.Model):
    """How a staff member hears about work waiting for them (pledges to review, requests to
    confirm...). Staff without a setting get the daily digest."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("At once: an email for each new item")
        DAILY = "daily", _("Once a day: a digest of what waits")
        NONE = "none", _("No emails: I look at the back office")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_alerts"
    )
    frequency = models.CharField(
        _("alerts"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff alert setting")
        verbose_name_plural = _("staff alert settings")

    def __str__(self):
        return f"{self.user} ({self.frequency})"


class ApiToken(models.Model):
    """A key for the staff JSON API (`/api/`), acting as the staff member who made it. Only its
    SHA-256 digest is stored; the key itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("what it is for"), max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class MergeRecord(models.Model):
    """Two CRM records found to be the same, merged: what moved from the loser (deleted) to
    the survivor, with what it takes to undo it (the loser's fields and links as they were)."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", _("Organisations")
        PERSON = "person", _("People")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    survivor_id = models.PositiveBigIntegerField(_("kept record"), db_index=True)
    loser_id = models.PositiveBigIntegerField(_("merged record"), db_index=True)
    survivor_label = models.CharField(_("kept"), max_length=300)
    loser_label = models.CharField(_("merged into it"), max_length=300)
    loser_snapshot = models.JSONField(default=dict)
    filled = models.JSONField(_("fields filled from the merged record"), default=dict)
    moved = models.JSONField(default=dict)
    counts = models.JSONField(_("records moved"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.loser_label} → {self.survivor_label}"

    def get_absolute_url(self):
        return reverse("crm:merge_detail", kwargs={"pk": self.pk})


class RegisterRefresh(models.Model):
    """One refresh of organisations from an EU Transparency Register export: what changed."""

    file_name = models.CharField(_("file"), max_length=200)
    export_date = models.CharField(_("export date"), max_length=40, blank=True)
    full_export = models.BooleanField(_("the whole register"), default=False)
    counts = models.JSONField(_("counts"), default=dict)
    changes = models.JSONField(_("changes"), default=list)
    refused = models.JSONField(_("refused rows"), default=list)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        verbose_name = _("Transparency Register refresh")
        verbose_name_plural = _("Transparency Register refreshes")
        ordering = ["-applied_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.applied_at:%Y-%m-%d})"


# Subscriptions and mailings live in their own module; Django finds them through this import.
from .mailings.models import (  # noqa: E402, F401
    Mailing,
    MailingRecipient,
    Subscription,
    Suppression,
    Topic,
)
