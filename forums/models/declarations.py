"""Declarations of interest of applicants and members, after the model the Commission uses for
its expert groups: interests by category (or none), signed and dated, versioned (a new
declaration never changes an earlier one), assessed by the body secretariat and renewed
yearly by members."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm.models import Person


class Declaration(models.Model):
    class Assessment(models.TextChoices):
        PENDING = "pending", _("Not assessed yet")
        NO_CONFLICT = "no_conflict", _("No conflict of interest")
        MANAGED = "managed", _("Conflict of interest, managed")
        INCOMPATIBLE = "incompatible", _("Incompatible with the role")

    # Members renew their declaration once a year.
    VALIDITY = timedelta(days=365)

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="declarations"
    )
    version = models.PositiveIntegerField(_("version"))
    no_interests = models.BooleanField(_("no interests to declare"), default=False)
    signed_name = models.CharField(_("signed by (name)"), max_length=200)
    signed_at = models.DateTimeField(_("signed"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by (account)"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessment = models.CharField(
        _("assessment"),
        max_length=12,
        choices=Assessment.choices,
        default=Assessment.PENDING,
        db_index=True,
    )
    assessment_reason = models.TextField(_("reason for the assessment"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed"), null=True, blank=True)

    class Meta:
        verbose_name = _("declaration of interests")
        verbose_name_plural = _("declarations of interests")
        ordering = ["person", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "version"], name="forums_declaration_one_per_version"
            ),
            models.CheckConstraint(
                condition=Q(assessment="pending") | ~Q(assessment_reason=""),
                name="forums_declaration_assessment_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person} — v{self.version}"

    @property
    def renewal_due_on(self):
        return (self.signed_at + self.VALIDITY).date()

    @property
    def is_assessed(self) -> bool:
        return self.assessment != self.Assessment.PENDING


class DeclaredInterest(models.Model):
    class Category(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment")
        CONSULTANCY = "consultancy", _("Consultancy and advice")
        BOARDS = "boards", _("Membership of a management or advisory body")
        RESEARCH_FUNDING = "research_funding", _("Research funding")
        SHAREHOLDINGS = "shareholdings", _("Shareholdings and other financial interests")
        INTELLECTUAL_PROPERTY = "intellectual_property", _("Intellectual property")
        PUBLIC_STATEMENTS = "public_statements", _("Public statements and positions")
        OTHER = "other", _("Other relevant interests")

    class Amount(models.TextChoices):
        NOT_APPLICABLE = "", _("Not applicable")
        UNPAID = "unpaid", _("Unpaid")
        UP_TO_10K = "up_to_10k", _("Up to €10,000 a year")
        UP_TO_50K = "up_to_50k", _("€10,001 to €50,000 a year")
        OVER_50K = "over_50k", _("More than €50,000 a year")

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    organisation = models.CharField(_("organisation or entity"), max_length=255)
    description = models.TextField(_("description"), max_length=1000)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty if current."))
    amount = models.CharField(
        _("amount"), max_length=10, choices=Amount.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")
        ordering = ["declaration", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="forums_declaredinterest_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.organisation}"
