"""An event's agenda (sessions and their speakers) and its materials (slides, recordings,
documents), published before or after the event to everyone or to its participants only."""

import os
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crm.models import Person

from .applications import private_storage
from .events import Event

# What may be uploaded as a material: the extension, and the first bytes each such file starts
# with (so that a renamed executable is refused).
MATERIAL_TYPES = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "odp": ("application/vnd.oasis.opendocument.presentation", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "mp4": ("video/mp4", ()),  # checked below: "ftyp" at byte 4
    "mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
}
MATERIAL_MAX_BYTES = 200 * 1024 * 1024


def material_upload_to(instance, filename):
    """A random name: the uploaded name says nothing we need and may say what we should not."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    return f"event-materials/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class AgendaItem(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    speakers = models.ManyToManyField(
        Person, verbose_name=_("speakers"), blank=True, related_name="agenda_items"
    )
    other_speakers = models.CharField(
        _("other speakers"),
        max_length=500,
        blank=True,
        help_text=_("Speakers who are not in the CRM, e.g. “Ana Silva (University of Porto)”."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="forums_agenda_item_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("A session cannot end before it starts.")})


class Material(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        RECORDING = "recording", _("Recording")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        PARTICIPANTS = "participants", _("Confirmed participants only")

    class Release(models.TextChoices):
        NOW = "now", _("Now")
        AFTER_EVENT = "after_event", _("Once the event is over")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SLIDES)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=material_upload_to, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    audience = models.CharField(
        _("who may see it"), max_length=12, choices=Audience.choices, default=Audience.PUBLIC
    )
    release = models.CharField(
        _("published"), max_length=12, choices=Release.choices, default=Release.AFTER_EVENT
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="forums_material_file_or_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def extension(self) -> str:
        return os.path.splitext(self.file.name)[1].lstrip(".").lower() if self.file else ""

    @property
    def content_type(self) -> str:
        return MATERIAL_TYPES.get(self.extension, ("application/octet-stream",))[0]

    def is_released(self, now=None) -> bool:
        if self.release == self.Release.NOW:
            return True
        return self.event.ends_at <= (now or timezone.now())
