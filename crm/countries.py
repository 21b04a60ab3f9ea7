"""Country groupings used across the CRM (ISO 3166-1 alpha-2)."""

import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
EEA_COUNTRIES = EU_COUNTRIES | {"IS", "LI", "NO"}


class HQRegion(models.TextChoices):
    EU = "eu", _("European Union")
    US = "us", _("United States")
    OTHER = "other", _("Other")


def hq_region_for(country_code: str) -> str:
    """The region of a headquarters country; none ("not stated") when the country is not."""
    code = (country_code or "").upper()
    if not code:
        return ""
    if code in EU_COUNTRIES:
        return HQRegion.EU
    if code == "US":
        return HQRegion.US
    return HQRegion.OTHER


@functools.lru_cache(maxsize=32)
def _country_choices_in(language: str) -> tuple[tuple[str, str], ...]:
    from django_countries import countries

    with translation.override(language):
        return tuple((code, str(name)) for code, name in countries)


def country_choices() -> tuple[tuple[str, str], ...]:
    """(code, name) of every country, in the active language and its alphabetical order:
    translated and sorted once per language, not on every page that offers them."""
    return _country_choices_in(translation.get_language() or "en")
