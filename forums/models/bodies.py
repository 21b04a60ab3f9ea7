"""Expert bodies (AI Act Art. 67-68 and the Commission's expert-group rules), the balance rules
their composition must meet, their calls for applications and their members."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.translations import validate_translated_texts
from crm.models import Organisation, Person


def validate_body_translations(value):
    """{"fr": {"name": "...", "description": "..."}, ...} for bodies;
    {"fr": {"title": "...", "text": "..."}} for calls."""
    validate_translated_texts(value, fields=("name", "description", "title", "text"))


class TranslatedMixin:
    def _translated(self, field: str) -> str:
        texts = self.translations.get(get_language() or "", {}) if self.translations else {}
        return texts.get(field) or getattr(self, field)


class Body(TranslatedMixin, models.Model):
    class Kind(models.TextChoices):
        SCIENTIFIC_PANEL = "scientific_panel", _("Scientific panel")
        ADVISORY_FORUM = "advisory_forum", _("Advisory forum")
        BOARD = "board", _("Board")
        PLENARY = "plenary", _("Plenary")
        WORKING_GROUP = "working_group", _("Working group")
        SUB_GROUP = "sub_group", _("Sub-group")
        OTHER = "other", _("Other expert group")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    description = models.TextField(_("mandate"), blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[validate_body_translations],
        help_text=_('Other languages, e.g. {"fr": {"name": "…", "description": "…"}}.'),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    max_members = models.PositiveIntegerField(
        _("maximum members"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    term_months = models.PositiveSmallIntegerField(_("term length (months)"), null=True, blank=True)
    max_service_months = models.PositiveSmallIntegerField(
        _("maximum total service (months)"),
        null=True,
        blank=True,
        help_text=_("Empty when terms may be renewed without limit."),
    )
    declarations_public = models.BooleanField(
        _("members' declarations of interest are public"), default=False
    )
    nominees_per_organisation = models.PositiveSmallIntegerField(
        _("nominees per organisation"),
        default=1,
        help_text=_(
            "How many people an organisation may nominate in one application (e.g. 2 for a "
            "member and an alternate)."
        ),
    )
    is_public = models.BooleanField(_("shown on the public site"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("expert body")
        verbose_name_plural = _("expert bodies")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_service_months__isnull=True)
                | Q(term_months__isnull=True)
                | Q(max_service_months__gte=models.F("term_months")),
                name="forums_body_service_covers_a_term",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:body_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A body cannot be part of itself.")})

    @property
    def local_name(self) -> str:
        return self._translated("name")

    @property
    def local_description(self) -> str:
        return self._translated("description")


class BalanceRule(models.Model):
    """One rule on the composition of a body, e.g. "at least 80 % EU/EEA nationals"."""

    class Dimension(models.TextChoices):
        GENDER = "gender", _("Gender")
        EU_EEA = "eu_eea", _("EU/EEA nationality")
        STAKEHOLDER = "stakeholder", _("Stakeholder category")
        COMMERCIAL = "commercial", _("Commercial interests")
        SME_OF_COMMERCIAL = "sme_of_commercial", _("SMEs among commercial members")
        COUNTRY = "country", _("Country")

    class Operator(models.TextChoices):
        MIN_SHARE = "min_share", _("at least (share)")
        MAX_SHARE = "max_share", _("at most (share)")
        MIN_COUNT = "min_count", _("at least (members)")

    class Stakeholder(models.TextChoices):
        INDUSTRY = "industry", _("Industry")
        STARTUP = "startup", _("Start-ups")
        SME = "sme", _("SMEs")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        ACADEMIA = "academia", _("Academia and research")
        TRADE_UNION = "trade_union", _("Trade unions")
        PUBLIC_BODY = "public_body", _("Public bodies")
        STANDARDISATION = "standardisation", _("Standardisation bodies")
        OTHER = "other", _("Other")

    # The groups a rule may name, per dimension ("" names every group of the dimension).
    VALUES = {
        Dimension.EU_EEA: {"eu_eea", "non_eu_eea"},
        Dimension.COMMERCIAL: {"commercial", "non_commercial"},
        Dimension.SME_OF_COMMERCIAL: {"sme", "other"},
        Dimension.STAKEHOLDER: set(Stakeholder.values),
    }

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="balance_rules"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    value = models.CharField(
        _("value"),
        max_length=40,
        blank=True,
        help_text=_(
            "The group the rule counts, e.g. 'eu_eea', 'commercial', 'academia'. Empty: the "
            "rule applies to every group of the dimension (e.g. no gender above 60 %)."
        ),
    )
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    threshold = models.DecimalField(
        _("threshold"),
        max_digits=6,
        decimal_places=2,
        help_text=_("A percentage for shares (e.g. 80), a number of members for counts."),
    )
    description = models.CharField(_("as written"), max_length=200)

    class Meta:
        verbose_name = _("balance rule")
        verbose_name_plural = _("balance rules")
        ordering = ["body", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & (Q(operator="min_count") | Q(threshold__lte=100)),
                name="forums_balancerule_threshold_in_range",
            ),
        ]

    def __str__(self):
        return self.description

    def clean(self):
        allowed = self.VALUES.get(self.dimension)
        if allowed is not None and self.value not in allowed | {""}:
            raise ValidationError(
                {"value": _("Name one of: %(values)s.") % {"values": ", ".join(sorted(allowed))}}
            )
        if self.dimension == self.Dimension.COUNTRY and self.value and len(self.value) != 2:
            raise ValidationError({"value": _("Give a two-letter country code, or nothing.")})
        if self.operator != self.Operator.MIN_COUNT and self.threshold is not None:
            if self.threshold > 100:
                raise ValidationError({"threshold": _("A share is at most 100 %.")})


class Call(TranslatedMixin, models.Model):
    class Applicants(models.TextChoices):
        INDIVIDUALS = "individuals", _("Individuals in a personal capacity")
        ORGANISATIONS = "organisations", _("Organisations")
        BOTH = "both", _("Individuals and organisations")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    ROLES = [
        ("member", _("Member")),
        ("chair", _("Chair")),
        ("vice_chair", _("Vice-chair")),
        ("observer", _("Observer")),
    ]

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, validators=[validate_body_translations]
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    applicants = models.CharField(
        _("who may apply"), max_length=15, choices=Applicants.choices, default=Applicants.BOTH
    )
    roles = models.JSONField(_("roles that can be sought"), default=list, blank=True)
    criteria = models.JSONField(_("selection criteria"), default=list, blank=True)
    eligibility_questions = models.JSONField(_("eligibility questions"), default=list, blank=True)
    one_per_organisation = models.BooleanField(_("one application per organisation"), default=True)
    register_id_required = models.BooleanField(
        _("organisations must be in the Transparency Register"), default=True
    )
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    declaration_required = models.BooleanField(
        _("applicants in a personal capacity file a declaration of interests"), default=True
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_(
            "Evaluators do not see the applicant's name, organisation, nationality or gender "
            "until they have scored the application."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="forums_call_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:call_detail", kwargs={"pk": self.pk})

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"time_zone": _("Unknown time zone.")}) from exc
        known = {code for code, _label in self.ROLES}
        if not isinstance(self.roles, list) or set(self.roles) - known:
            raise ValidationError(
                {"roles": _("Choose roles among member, chair, vice-chair and observer.")}
            )
        for name in ("criteria", "eligibility_questions"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError({name: _("Give a list of texts.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A call must close after it opens.")})

    @property
    def local_title(self) -> str:
        return self._translated("title")

    @property
    def local_text(self) -> str:
        return self._translated("text")

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.PUBLISHED and self.opens_at <= now < self.closes_at

    def role_names(self) -> list[str]:
        names = dict(self.ROLES)
        return [str(names[code]) for code in self.roles if code in names]

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)


class Membership(models.Model):
    class MemberType(models.TextChoices):
        PERSONAL = "personal", _("In a personal capacity")
        REPRESENTATIVE = "representative", _("Organisation representative")
        PERMANENT = "permanent", _("Permanent member")
        OBSERVER = "observer", _("Observer")
        ALTERNATE = "alternate", _("Alternate")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        RAPPORTEUR = "rapporteur", _("Rapporteur")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        RESIGNED = "resigned", _("Resigned")
        SUSPENDED = "suspended", _("Suspended")

    class Publication(models.TextChoices):
        LEGAL_BASIS = "legal_basis", _("Published under the body's legal basis")
        CONSENT = "consent", _("Published with the member's consent")
        NOT_PUBLISHED = "not_published", _("Not published")

    CHAIR_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.CO_CHAIR)

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("The organisation represented, for members who represent one."),
    )
    member_type = models.CharField(_("member type"), max_length=15, choices=MemberType.choices)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    # A chair, vice-chair or co-chair elected by the body holds the role for its own term,
    # within the membership's; the member keeps the membership when the role ends.
    role_since = models.DateField(_("role held since"), null=True, blank=True)
    role_until = models.DateField(_("role held until"), null=True, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    ceased_on = models.DateField(_("ceased"), null=True, blank=True)
    ceased_reason = models.CharField(_("reason"), max_length=200, blank=True)
    publication = models.CharField(
        _("publication"),
        max_length=15,
        choices=Publication.choices,
        default=Publication.NOT_PUBLISHED,
    )
    end_reminder_sent_at = models.DateTimeField(_("term-end reminder sent"), null=True, blank=True)
    declaration_reminder_sent_at = models.DateTimeField(
        _("declaration renewal reminder sent"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="forums_membership_has_member",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="forums_membership_term_ordered",
            ),
        ]
        indexes = [models.Index(fields=["body", "status"], name="forums_membership_body")]

    def __str__(self):
        return f"{self.person or self.organisation} — {self.body}"

    @property
    def is_chair(self) -> bool:
        return self.role in self.CHAIR_ROLES
