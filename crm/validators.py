import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TRANSPARENCY_REGISTER_ID = re.compile(r"^\d{8,13}-\d{2}$")


def normalize_transparency_register_id(value: str | None) -> str | None:
    """Trim, drop spaces and an optional `REG` prefix people sometimes type. Empty -> None."""
    if value is None:
        return None
    cleaned = re.sub(r"\s+", "", str(value))
    cleaned = re.sub(r"^(?i:reg)[-:]?", "", cleaned)
    return cleaned or None


def validate_transparency_register_id(value: str):
    if value and not TRANSPARENCY_REGISTER_ID.match(value):
        raise ValidationError(
            _(
                "Enter an EU Transparency Register ID as 8 to 13 digits, a hyphen and two "
                "digits, for example 86045688255-44."
            ),
            code="invalid_transparency_register_id",
        )
