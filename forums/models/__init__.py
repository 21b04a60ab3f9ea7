"""Models of the forums module: events and their registrations, expert bodies and their calls."""

from .applications import Application, EligibilityFinding, Evaluation, Nomination, private_storage
from .bodies import BalanceRule, Body, Call, Membership, validate_body_translations
from .declarations import Declaration, DeclaredInterest
from .events import (
    LANGUAGE_CODES,
    Event,
    EventInvitation,
    Registration,
    current_privacy_notice_version,
    validate_language_list,
    validate_translations,
)
from .programme import MATERIAL_MAX_BYTES, MATERIAL_TYPES, AgendaItem, Material

__all__ = [
    "AgendaItem",
    "MATERIAL_MAX_BYTES",
    "MATERIAL_TYPES",
    "Material",
    "Application",
    "private_storage",
    "LANGUAGE_CODES",
    "BalanceRule",
    "Body",
    "Call",
    "Declaration",
    "DeclaredInterest",
    "EligibilityFinding",
    "Nomination",
    "Evaluation",
    "Event",
    "EventInvitation",
    "Membership",
    "Registration",
    "current_privacy_notice_version",
    "validate_body_translations",
    "validate_language_list",
    "validate_translations",
]
