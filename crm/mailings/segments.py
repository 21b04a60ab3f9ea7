"""The CRM's own mailing segment: people with a tag (staff tag a filtered list of people in
one step from the people list, then write to the tag)."""

from django.utils.translation import gettext_lazy as _

from ..models import Person, Tag
from ..registry import MailingSegment, mailing_segments


def _tags():
    return [(str(tag.pk), tag.name) for tag in Tag.objects.order_by("name")]


def _tagged(value: str):
    if not value.isdigit():
        return Person.objects.none()
    return Person.objects.filter(tags=int(value))


def register() -> None:
    mailing_segments.register(
        MailingSegment(
            "crm_tag",
            _("People with the tag"),
            "crm.view_person",
            _tagged,
            choices=_tags,
            order=90,
        )
    )
