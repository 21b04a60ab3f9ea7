"""Applications to a call: a person in a personal capacity, or an organisation through its
confirmed representative. CVs are kept in private storage, outside the web root."""

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from crm.models import Organisation, Person

from .bodies import Call
from .declarations import Declaration


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read when used, not at import time): never under
    MEDIA_URL or any served directory, and without a URL of their own. Views that check who
    is asking stream them."""

    @property
    def base_location(self):
        return os.fspath(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address; serve them through a view.")


def private_storage():
    return PrivateStorage()


def cv_upload_to(instance, filename):
    """A random name: the uploaded file's name is the applicant's, and tells nothing we need."""
    return f"cv/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class Application(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("In a personal capacity")
        ORGANISATION = "organisation", _("For an organisation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        INELIGIBLE = "ineligible", _("Not eligible")
        APPOINTED = "appointed", _("Appointed")
        RESERVE = "reserve", _("On the reserve list")
        REJECTED = "rejected", _("Not selected")

    # Applications that hold the applicant's (or organisation's) one place in a call.
    ACTIVE = ("draft", "submitted", "ineligible", "appointed", "reserve", "rejected")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(_("applying"), max_length=12, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("The expert applying, or the person an organisation nominates."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role = models.CharField(_("role sought"), max_length=12, choices=Call.ROLES)
    expertise = models.TextField(_("areas of expertise"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    gender = models.CharField(
        _("gender (for balance statistics only)"),
        max_length=12,
        choices=Person.Gender.choices,
        blank=True,
    )
    cv = models.FileField(
        _("CV (PDF)"), storage=private_storage, upload_to=cv_upload_to, blank=True, max_length=200
    )
    transparency_register_id = models.CharField(
        _("Transparency Register ID"), max_length=20, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    decision = models.CharField(
        _("prepared decision"),
        max_length=10,
        choices=[
            ("appoint", _("Appoint")),
            ("reserve", _("Reserve list")),
            ("reject", _("Reject")),
        ],
        blank=True,
        help_text=_("Prepared by the secretariat; takes effect when the decisions are committed."),
    )
    score = models.DecimalField(
        _("average score"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The average of the evaluators' total scores."),
    )
    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration of interests filed with it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    eligibility_checked_at = models.DateTimeField(_("eligibility checked"), null=True, blank=True)
    notified_at = models.DateTimeField(_("outcome emailed"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["call", "status"], name="forums_application_call")]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "person"],
                condition=~Q(status="withdrawn"),
                name="forums_application_one_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="individual", organisation__isnull=True)
                | Q(kind="organisation", organisation__isnull=False),
                name="forums_application_kind_matches_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.call}"

    def get_absolute_url(self):
        return reverse("forums:application_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Evaluation(models.Model):
    """One evaluator's review of an application: a conflict declaration first, then scores."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    has_conflict = models.BooleanField(_("declared a conflict of interest"), null=True)
    scores = models.JSONField(_("scores per criterion"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="forums_evaluation_one_per_evaluator"
            ),
        ]

    def __str__(self):
        return f"{self.evaluator} — {self.application}"

    @property
    def total(self) -> int:
        return sum(self.scores.values())


class EligibilityFinding(models.Model):
    """The secretariat's finding on one eligibility criterion of the call, with its reason."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="eligibility_findings",
    )
    position = models.PositiveSmallIntegerField(_("criterion number"))
    criterion = models.CharField(_("criterion"), max_length=500)
    met = models.BooleanField(_("met"))
    reason = models.TextField(_("reason"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("eligibility finding")
        verbose_name_plural = _("eligibility findings")
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="forums_eligibility_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""), name="forums_eligibility_finding_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.criterion}"


class Nomination(models.Model):
    """A person an organisation nominates in its application (e.g. a member and an alternate),
    where the body lets an organisation nominate several."""

    class Seat(models.TextChoices):
        MEMBER = "member", _("Member")
        ALTERNATE = "alternate", _("Alternate")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("nominee"), on_delete=models.PROTECT, related_name="nominations"
    )
    seat = models.CharField(_("as"), max_length=10, choices=Seat.choices, default=Seat.MEMBER)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["application", "seat", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"], name="forums_nomination_once_per_person"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_seat_display()})"
