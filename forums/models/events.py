from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.translations import validate_translated_texts
from crm.models import Organisation, Person

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def validate_language_list(value):
    if not isinstance(value, list) or any(code not in LANGUAGE_CODES for code in value):
        raise ValidationError(_("Choose languages among the official EU languages."))


def validate_translations(value):
    """{"fr": {"title": "...", "description": "..."}, ...}"""
    validate_translated_texts(
        value,
        fields=("title", "description"),
        message=_("Each translation has only a title and a description."),
    )


def current_privacy_notice_version() -> str:
    return settings.PRIVACY_NOTICE_VERSION


class Event(models.Model):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        WORKSHOP = "workshop", _("Workshop")
        PLENARY = "plenary", _("Plenary")
        FORUM_MEETING = "forum_meeting", _("Forum meeting")
        SIGNING_CEREMONY = "signing_ceremony", _("Signing ceremony")
        CONFERENCE = "conference", _("Conference")

    class Programme(models.TextChoices):
        AI_PACT = "ai_pact", _("AI Pact")
        AI_OFFICE = "ai_office", _("AI Office")
        EXPERT_BODY = "expert_body", _("Expert body")

    class Format(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Anyone with an account")
        INVITED = "invited", _("Invited people and organisations only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text=_('Other languages, e.g. {"fr": {"title": "…", "description": "…"}}.'),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WEBINAR)
    programme = models.CharField(
        _("programme"), max_length=20, choices=Programme.choices, default=Programme.AI_PACT
    )
    body = models.ForeignKey(
        "forums.Body",
        verbose_name=_("expert body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("For meetings of an expert body: the body whose programme this is."),
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.ONLINE
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        help_text=_("The time zone the event is announced in (IANA name)."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    stream_url = models.URLField(
        _("stream link"),
        blank=True,
        help_text=_("Shown only to confirmed participants who attend online."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Empty for no limit. For a hybrid event: the places in the room."),
    )
    online_capacity = models.PositiveIntegerField(
        _("online places"),
        null=True,
        blank=True,
        help_text=_("For a hybrid event: the places online. Empty for no limit."),
    )
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        editable=False,
        help_text=_("Raised whenever the date, place or link changes, so calendars update."),
    )
    waitlist_enabled = models.BooleanField(_("waiting list"), default=True)
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed place"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: the first person on the waiting list is confirmed at once. Otherwise they "
            "are offered the place and have this many hours to accept before it passes on."
        ),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    max_per_organisation = models.PositiveIntegerField(
        _("places per organisation"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_language_list]
    )
    privacy_notice = models.CharField(
        _("privacy notice"), max_length=100, default="Events and meetings of the AI Office"
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, default=current_privacy_notice_version
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="forums_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__gte=models.F("registration_opens_at")),
                name="forums_event_registration_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:event_detail", kwargs={"pk": self.pk})

    def clean(self):
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError({"time_zone": _("Unknown time zone.")}) from exc
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})
        if self.format != self.Format.HYBRID:
            # Online places are a hybrid event's second capacity; one format has one.
            self.online_capacity = None
        if (self.programme == self.Programme.EXPERT_BODY) != (self.body_id is not None):
            raise ValidationError(
                {"body": _("Choose the expert body for an event of the expert bodies' programme.")}
            )

    @property
    def programme_name(self) -> str:
        if self.programme == self.Programme.EXPERT_BODY and self.body_id:
            return self.body.local_name
        return self.get_programme_display()

    def _translated(self, field: str) -> str:
        texts = self.translations.get(get_language() or "", {}) if self.translations else {}
        return texts.get(field) or getattr(self, field)

    @property
    def local_title(self) -> str:
        return self._translated("title")

    @property
    def local_description(self) -> str:
        return self._translated("description")

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def has_capacity_limit(self) -> bool:
        return self.capacity is not None

    @property
    def is_hybrid(self) -> bool:
        return self.format == self.Format.HYBRID

    @property
    def modes(self) -> list[str]:
        """How one may attend: a hybrid event offers both ways, the others one."""
        if self.format == self.Format.HYBRID:
            return [Registration.Mode.IN_PERSON, Registration.Mode.ONLINE]
        if self.format == self.Format.ONLINE:
            return [Registration.Mode.ONLINE]
        return [Registration.Mode.IN_PERSON]

    def capacity_for(self, mode: str) -> int | None:
        """The places for one way of attending (None: no limit). A hybrid event has a capacity
        for the room and one online; an event of one format has its `capacity`."""
        if self.format == self.Format.HYBRID and mode == Registration.Mode.ONLINE:
            return self.online_capacity
        return self.capacity

    def _left(self, capacity, taken_attribute) -> int | None:
        if capacity is None or not hasattr(self, taken_attribute):
            return None
        return max(0, capacity - getattr(self, taken_attribute))

    @property
    def places_left(self) -> int | None:
        """Free places (in the room, for a hybrid event), when the event was loaded with
        `places_taken` (see the selectors)."""
        return self._left(self.capacity, "places_taken")

    @property
    def online_places_left(self) -> int | None:
        """Free places online for a hybrid event, when loaded with `online_places_taken`."""
        if not self.is_hybrid:
            return None
        return self._left(self.online_capacity, "online_places_taken")

    @property
    def mode_places(self) -> list[tuple[str, str, int | None, int | None]]:
        """(mode, label, capacity, places left) for each way of attending."""
        labels = dict(Registration.Mode.choices)
        rows = []
        for mode in self.modes:
            if self.is_hybrid and mode == Registration.Mode.ONLINE:
                left = self.online_places_left
            else:
                left = self.places_left
            rows.append((mode, labels[mode], self.capacity_for(mode), left))
        return rows

    @property
    def is_full(self) -> bool:
        """Every way of attending is full (for the button: join the waiting list)."""
        return all(cap is not None and left == 0 for _m, _l, cap, left in self.mode_places)

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        closes = self.registration_closes_at or self.starts_at
        return (
            self.status == self.Status.PUBLISHED
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and now < closes
        )

    def language_names(self) -> list[str]:
        names = dict(settings.LANGUAGES)
        return [names[code] for code in self.languages if code in names]


class EventInvitation(models.Model):
    """Who may register for an event whose audience is by invitation.

    One row names a person, an organisation (whose affiliated people may register) or an expert
    body (whose active members may register).
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )

    body = models.ForeignKey(
        "forums.Body",
        verbose_name=_("members of the body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organisation__isnull=True, body__isnull=True)
                | Q(person__isnull=True, organisation__isnull=False, body__isnull=True)
                | Q(person__isnull=True, organisation__isnull=True, body__isnull=False),
                name="forums_invitation_one_target",
            ),
            models.UniqueConstraint(
                fields=["event", "body"],
                condition=Q(body__isnull=False),
                name="forums_invitation_unique_body",
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="forums_invitation_unique_person",
            ),
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(organisation__isnull=False),
                name="forums_invitation_unique_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.person or self.organisation or self.body}"


class Registration(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        OFFERED = "offered", _("Place offered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")

    # Statuses that hold (or wait for) a place; one such registration per person and event.
    ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)
    # Statuses that take a place out of the capacity.
    HOLDING = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    mode = models.CharField(
        _("attends"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON
    )
    waitlisted_at = models.DateTimeField(_("joined the waiting list"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by_staff = models.BooleanField(_("cancelled by staff"), default=False)
    photo_opt_out = models.BooleanField(_("no photos or recordings of me"), default=False)
    on_participant_list = models.BooleanField(_("on the participant list"), default=False)
    special_requirements = models.TextField(_("special requirements"), blank=True)
    special_requirements_purged_at = models.DateTimeField(
        _("special requirements deleted"), null=True, blank=True
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        permissions = [
            ("check_in", _("Can check in participants and record attendance")),
            ("view_special_requirements", _("Can see participants' special requirements")),
        ]
        indexes = [
            # Serves the capacity, waiting-list and per-organisation counts under the event lock.
            models.Index(
                fields=["event", "status", "organisation"], name="forums_reg_event_status"
            ),
            models.Index(
                fields=["event", "mode", "status", "waitlisted_at"], name="forums_reg_mode_waitlist"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=["confirmed", "offered", "waitlisted"]),
                name="forums_registration_one_active_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="forums_registration_offer_has_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def attends_online(self) -> bool:
        return self.mode == self.Mode.ONLINE

    @property
    def may_join_online(self) -> bool:
        """The stream link is for confirmed participants who attend online."""
        return self.status == self.Status.CONFIRMED and self.mode == self.Mode.ONLINE
