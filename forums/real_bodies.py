"""The expert bodies of the AI Office as the AI Act and the Commission's decisions set them up,
with their composition rules. `bodies_ensure()` creates what is missing and changes nothing that
exists, so it can run at every deployment (`manage.py create_expert_bodies`) and in the demo."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from crm.models import Organisation

from .models import BalanceRule, Body, Membership

MIN_SHARE = BalanceRule.Operator.MIN_SHARE
MAX_SHARE = BalanceRule.Operator.MAX_SHARE
MIN_COUNT = BalanceRule.Operator.MIN_COUNT
D = BalanceRule.Dimension

TRANSLATIONS_FILE = Path(__file__).parent / "data" / "body_translations.json"

SCIENTIFIC_PANEL = "scientific-panel"
ADVISORY_FORUM = "advisory-forum"
GPAI_PLENARY = "gpai-code-of-practice"

BODIES = [
    {
        "slug": SCIENTIFIC_PANEL,
        "name": "Scientific Panel of independent experts",
        "kind": Body.Kind.SCIENTIFIC_PANEL,
        "description": (
            "Independent experts who support the enforcement of the AI Act, in particular on "
            "general-purpose AI models and systems: they alert the AI Office to systemic risks, "
            "contribute to evaluation tools and methodologies, and advise on the classification "
            "of models. Experts serve in a personal capacity, independently of any provider."
        ),
        "legal_basis": (
            "Regulation (EU) 2024/1689, Article 68; Commission Implementing Regulation "
            "(EU) 2025/454"
        ),
        "max_members": 60,
        "term_months": 24,
        "max_service_months": None,
        "declarations_public": True,
        "order": 10,
        "rules": [
            (D.EU_EEA, "eu_eea", MIN_SHARE, 80, "At least 80 % nationals of EU or EEA-EFTA states"),
            (D.GENDER, "", MAX_SHARE, 60, "Gender balance: no gender above 60 % of members"),
            (D.COUNTRY, "", MAX_SHARE, 10, "Geographic balance: no country above 10 % of members"),
        ],
    },
    {
        "slug": ADVISORY_FORUM,
        "name": "Advisory Forum",
        "kind": Body.Kind.ADVISORY_FORUM,
        "description": (
            "Technical expertise and advice to the AI Board and the Commission from a balanced "
            "selection of stakeholders: industry, start-ups, SMEs, civil society and academia, "
            "with commercial and non-commercial interests balanced, and within commercial "
            "interests SMEs and other undertakings."
        ),
        "legal_basis": "Regulation (EU) 2024/1689, Article 67",
        "max_members": None,
        "term_months": 24,
        "max_service_months": 48,
        "declarations_public": False,
        # A seat per organisation: its member and an alternate.
        "nominees_per_organisation": 2,
        "order": 20,
        "rules": [
            (D.COMMERCIAL, "commercial", MIN_SHARE, 40, "Commercial interests: at least 40 %"),
            (D.COMMERCIAL, "commercial", MAX_SHARE, 60, "Commercial interests: at most 60 %"),
            (
                D.SME_OF_COMMERCIAL,
                "sme",
                MIN_SHARE,
                Decimal("33.33"),
                "SMEs and start-ups: at least a third of the commercial members",
            ),
            (D.STAKEHOLDER, "civil_society", MIN_COUNT, 20, "Civil society: at least 20 members"),
            (D.STAKEHOLDER, "academia", MIN_COUNT, 20, "Academia: at least 20 members"),
            (D.GENDER, "", MAX_SHARE, 60, "Gender balance: no gender above 60 % of members"),
        ],
        "permanent": [
            ("European Union Agency for Fundamental Rights", "FRA", Organisation.Type.EU_AGENCY),
            ("European Union Agency for Cybersecurity", "ENISA", Organisation.Type.EU_AGENCY),
            (
                "European Committee for Standardization",
                "CEN",
                Organisation.Type.STANDARDISATION_BODY,
            ),
            (
                "European Committee for Electrotechnical Standardization",
                "CENELEC",
                Organisation.Type.STANDARDISATION_BODY,
            ),
            (
                "European Telecommunications Standards Institute",
                "ETSI",
                Organisation.Type.STANDARDISATION_BODY,
            ),
        ],
    },
    {
        "slug": GPAI_PLENARY,
        "name": "General-purpose AI code of practice: plenary",
        "kind": Body.Kind.PLENARY,
        "description": (
            "The plenary that drew up the code of practice for providers of general-purpose AI "
            "models, in four working groups led by chairs and vice-chairs. One application per "
            "organisation; nobody could be both a participant and a chair."
        ),
        "legal_basis": "Regulation (EU) 2024/1689, Article 56",
        "max_members": None,
        "term_months": None,
        "max_service_months": None,
        "declarations_public": False,
        "order": 30,
        "rules": [],
    },
]

WORKING_GROUPS = [
    ("gpai-wg1", "Working group 1: transparency and copyright-related rules"),
    ("gpai-wg2", "Working group 2: risk identification and assessment for systemic risk"),
    ("gpai-wg3", "Working group 3: technical risk mitigation for systemic risk"),
    ("gpai-wg4", "Working group 4: internal risk management and governance of providers"),
]


@transaction.atomic
def bodies_ensure() -> int:
    """Create the real bodies, their rules and the Advisory Forum's permanent members when
    missing. Returns how many bodies were created."""
    from django.utils import timezone

    translations = body_translations()
    created = 0
    for spec in BODIES:
        body, was_created = Body.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                key: spec[key]
                for key in (
                    "name",
                    "kind",
                    "description",
                    "legal_basis",
                    "max_members",
                    "term_months",
                    "max_service_months",
                    "declarations_public",
                    "order",
                )
            }
            | {
                "nominees_per_organisation": spec.get("nominees_per_organisation", 1),
                "translations": translations.get(spec["slug"], {}),
            },
        )
        if not was_created:
            continue
        created += 1
        BalanceRule.objects.bulk_create(
            BalanceRule(
                body=body,
                dimension=dimension,
                value=value,
                operator=operator,
                threshold=Decimal(threshold),
                description=text,
            )
            for dimension, value, operator, threshold, text in spec["rules"]
        )
        for name, acronym, kind in spec.get("permanent", []):
            organisation = Organisation.objects.filter(acronym=acronym, type=kind).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=name, acronym=acronym, type=kind, status=Organisation.Status.ACTIVE
                )
            Membership.objects.create(
                body=body,
                organisation=organisation,
                member_type=Membership.MemberType.PERMANENT,
                term_start=timezone.localdate(),
                publication=Membership.Publication.LEGAL_BASIS,
            )
    plenary = Body.objects.get(slug=GPAI_PLENARY)
    for order, (slug, name) in enumerate(WORKING_GROUPS, start=31):
        _, was_created = Body.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": Body.Kind.WORKING_GROUP,
                "parent": plenary,
                "order": order,
                "translations": translations.get(slug, {}),
            },
        )
        created += was_created
    body_translations_fill()
    return created


def body_translations() -> dict[str, dict]:
    """{slug: {language: {"name": …, "description": …}}} of the real bodies in the 23 official
    languages other than English."""
    with open(TRANSLATIONS_FILE, encoding="utf-8") as handle:
        return {slug: texts for slug, texts in json.load(handle).items() if slug != "_note"}


def body_translations_fill() -> int:
    """Give each real body the languages it lacks; returns how many bodies gained one.

    Only while its English name is still ours (a body staff renamed is not what the file
    translates), and a language it already has, perhaps corrected by staff, is kept."""
    english = {spec["slug"]: spec["name"] for spec in BODIES} | dict(WORKING_GROUPS)
    translations = body_translations()
    updated = 0
    for body in Body.objects.filter(slug__in=list(english)):
        if body.name != english[body.slug]:
            continue
        current = dict(body.translations or {})
        missing = {
            code: texts
            for code, texts in translations.get(body.slug, {}).items()
            if not (current.get(code) or {}).get("name")
        }
        if missing:
            body.translations = current | missing
            body.save(update_fields=["translations"])
            updated += 1
    return updated
