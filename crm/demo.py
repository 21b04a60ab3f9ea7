"""Demo data for the CRM: accounts, organisations from the EU Transparency Register sample, people.

Idempotent: records are looked up by a natural key before they are created.
"""

import csv
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from .models import Affiliation, Consent, Organisation, Person, Sector, Tag
from .roles import ROLES
from .services import consent_give
from .validators import TRANSPARENCY_REGISTER_ID

DATA_DIR = Path(__file__).resolve().parent / "data"

DEMO_PASSWORD = "demo-pass-2026"
# Base32 TOTP secret of the demo staff account, documented in the README so that anyone can
# add it to an authenticator app (or run `manage.py demo_totp_code`). Demo only.
DEMO_STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ACCOUNTS = [
    # email, first name, last name, staff, superuser
    ("staff@example.eu", "Sofia", "Lindqvist", True, True),
    ("officer@example.eu", "Pieter", "Janssens", True, False),
    ("rep@example.eu", "Marta", "Kowalska", False, False),
    ("member@example.eu", "Elena", "Papadopoulou", False, False),
    ("newcomer@example.eu", "Jonas", "Weber", False, False),
]

# Transparency Register category -> organisation type.
CATEGORY_TYPES = {
    "Professional consultancies": Organisation.Type.COMPANY,
    "Law firms": Organisation.Type.COMPANY,
    "Organisations representing churches and religious communities": Organisation.Type.NGO,
    "Companies & groups": Organisation.Type.COMPANY,
    "Companies  groups": Organisation.Type.COMPANY,
    "Trade and business associations": Organisation.Type.INDUSTRY_ASSOCIATION,
    "Trade unions and professional associations": Organisation.Type.TRADE_UNION,
    "Non-governmental organisations, platforms and networks and similar": Organisation.Type.NGO,
    "Think tanks and research institutions": Organisation.Type.ACADEMIA,
    "Academic institutions": Organisation.Type.ACADEMIA,
    "Associations and networks of public authorities": Organisation.Type.PUBLIC_AUTHORITY,
    "Other organisations, public or mixed entities": Organisation.Type.PUBLIC_AUTHORITY,
}

# Invented organisations carry the invented detail of the demo (people, pledges under review,
# progress reports, network memberships); "Demo …" names and example.eu websites keep them
# apart from the real organisations of the Transparency Register sample and the 2024 list.
FICTITIOUS_WORDS = [
    "Analytics",
    "Robotics",
    "Health",
    "Mobility",
    "Energy",
    "Logistics",
    "Vision",
    "Insurance",
    "Media",
    "Foods",
    "Telecom",
    "Security",
]
FICTITIOUS_FORMS = ["Labs", "Systems", "Group"]
FICTITIOUS_COUNTRIES = [
    "BE",
    "DE",
    "FR",
    "IT",
    "ES",
    "NL",
    "PL",
    "SE",
    "IE",
    "PT",
    "AT",
    "US",
    "GB",
]

FIRST_NAMES = [
    "Anna",
    "Luca",
    "Marie",
    "Jan",
    "Sofia",
    "Mateo",
    "Eva",
    "Nikos",
    "Ines",
    "Tomas",
    "Aoife",
    "Mihai",
    "Katarzyna",
    "Lars",
    "Chiara",
    "Pedro",
    "Zsofia",
    "Jakub",
    "Elina",
    "Dimitar",
    "Laura",
    "Andrej",
    "Helena",
    "Joao",
]
LAST_NAMES = [
    "Novak",
    "Rossi",
    "Dubois",
    "Nielsen",
    "García",
    "Horvat",
    "Murphy",
    "Popescu",
    "Virtanen",
    "Schmidt",
    "Kovács",
    "Silva",
    "Jansen",
    "Borg",
    "Ozola",
    "Kask",
    "Dimitrov",
    "Papadakis",
    "Nowak",
    "Berg",
    "Martin",
    "Kazlauskas",
    "Svoboda",
    "Ferrari",
]


def _ensure_accounts():
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    User = get_user_model()
    people = {}
    for email, first, last, staff, superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(
                username=email,
                email=email,
                first_name=first,
                last_name=last,
                is_staff=staff,
                is_superuser=superuser,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        person, _ = Person.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "user": user}
        )
        if (
            staff
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_STAFF_TOTP_SECRET)
        people[email] = (user, person)
    staff_user = people["staff@example.eu"][0]
    staff_user.groups.set(Group.objects.filter(name__in=ROLES))
    officer = people["officer@example.eu"][0]
    officer.groups.set(Group.objects.filter(name="Pact officer"))
    return people


def _import_register_sample() -> int:
    """The sample's real organisations with what the register says of them (name, acronym,
    category, country, website) and nothing invented: size, sectors and AI role are not in
    the register, so they stay unknown."""
    from .register_refresh import row_values

    created = 0
    with open(DATA_DIR / "transparency_register_sample.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            tr_id = row["Identification Number"].strip()
            values, refused = row_values(
                {
                    "name": row["Name"],
                    "acronym": row["Acronym"],
                    "category": row["Category of registration"],
                    "country": row["Head office country"],
                    "website": row["Website URL"],
                }
            )
            if refused or not TRANSPARENCY_REGISTER_ID.match(tr_id):
                continue
            org_type = CATEGORY_TYPES.get(values.get("category", ""))
            if org_type is None:
                continue
            _org, was_created = Organisation.objects.get_or_create(
                transparency_register_id=tr_id,
                defaults={
                    "name": values["name"],
                    "acronym": values.get("acronym", ""),
                    "country": values.get("country", ""),
                    "type": org_type,
                    "website": values.get("website", ""),
                    "transparency_register_category": values.get("category", ""),
                    "transparency_register_verified_at": timezone.now(),
                },
            )
            created += was_created
    return created


def fictitious_organisations() -> list[Organisation]:
    """The invented organisations, created the first time (the same on every machine)."""
    rng = random.Random(2027)
    organisations = []
    for word in FICTITIOUS_WORDS:
        for form in FICTITIOUS_FORMS:
            values = {
                "country": rng.choice(FICTITIOUS_COUNTRIES),
                "type": rng.choice([Organisation.Type.COMPANY] * 3 + [Organisation.Type.STARTUP]),
                "size": rng.choice(list(Organisation.Size.values)),
                "ai_role": rng.choice(
                    [Organisation.AIRole.BOTH] * 4
                    + [Organisation.AIRole.PROVIDER, Organisation.AIRole.DEPLOYER]
                ),
                "website": f"https://{word.lower()}-{form.lower()}.example.eu",
            }
            sector_count = rng.randint(1, 2)
            organisation, created = Organisation.objects.get_or_create(
                name=f"Demo {word} {form}", defaults=values
            )
            if created:
                sectors = list(Sector.objects.order_by("code"))
                organisation.sectors.set(rng.sample(sectors, k=min(len(sectors), sector_count)))
            organisations.append(organisation)
    return organisations


def _ensure_people(rng: random.Random, count: int = 120) -> int:
    """Invented people, each at an invented organisation."""
    organisations = fictitious_organisations()
    created = 0
    for index in range(count):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
        email = f"{first}.{last}.{index}@example.org".lower().replace("á", "a").replace("í", "i")
        person, was_created = Person.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "nationality": rng.choice(
                    [
                        "BE",
                        "DE",
                        "FR",
                        "IT",
                        "ES",
                        "PL",
                        "NL",
                        "SE",
                        "IE",
                        "PT",
                        "CZ",
                        "GR",
                        "US",
                        "GB",
                        "CH",
                    ]
                ),
                "gender": rng.choice(list(Person.Gender.values) + [""]),
                "preferred_language": rng.choice(["en", "en", "fr", "de", "it", "es", "pl", "nl"]),
            },
        )
        if was_created and organisations:
            created += 1
            Affiliation.objects.create(
                person=person,
                organisation=organisations[index % len(organisations)],
                position=rng.choice(
                    [
                        "Head of AI policy",
                        "Chief Technology Officer",
                        "Legal counsel",
                        "Compliance manager",
                        "Researcher",
                        "Public affairs officer",
                    ]
                ),
                is_representative=index % 3 == 0,
                status=Affiliation.Status.CONFIRMED,
            )
    return created


def seed():
    rng = random.Random(2026)  # the same demo data on every machine
    people = _ensure_accounts()
    created_orgs = _import_register_sample()
    for name in ["AI Pact network", "Code of practice", "SME", "Start-up", "Priority contact"]:
        Tag.objects.get_or_create(name=name)

    # The demo representative acts for a real AI company of the sample.
    rep_person = people["rep@example.eu"][1]
    org, _ = Organisation.objects.get_or_create(
        name="Demo AI Solutions",
        defaults={
            "acronym": "DAIS",
            "country": "BE",
            "type": Organisation.Type.STARTUP,
            "size": Organisation.Size.SMALL,
            "ai_role": Organisation.AIRole.BOTH,
            "website": "https://demo-ai.example.eu",
            "transparency_register_id": "123456789012-34",
        },
    )
    org.sectors.set(Sector.objects.filter(code__in=["digital", "health"]))
    Affiliation.objects.get_or_create(
        person=rep_person,
        organisation=org,
        defaults={"position": "Chief Executive Officer", "is_representative": True},
    )
    created_people = _ensure_people(rng)
    subscribers = _ensure_subscribers(people)
    return (
        f"{created_orgs} organisations, {created_people} people and "
        f"{subscribers} subscribers to updates added"
    )


def _ensure_subscribers(people) -> int:
    """Subscribers to updates (confirmed, in their languages) and a draft mailing, so that the
    back office's mailings have someone to write to."""
    from .mailings.models import Mailing, Subscription, Topic
    from .mailings.services import topics_ensure_defaults

    topics_ensure_defaults()
    topics = list(Topic.objects.filter(is_active=True))
    if not topics or Subscription.objects.exists():
        return 0
    member = people["member@example.eu"][1]
    subscribers = [
        member,
        *Person.objects.filter(email__endswith="@example.org").order_by("pk")[:40],
    ]
    for index, person in enumerate(subscribers):
        chosen = [topic for n, topic in enumerate(topics) if (index + n) % 2 == 0] or topics[:1]
        # Confirmed directly: the demo sends no confirmation emails.
        subscription = Subscription.objects.create(
            email=person.email,
            person=person,
            language=person.preferred_language,
            status=Subscription.Status.ACTIVE,
            notice_version=settings.PRIVACY_NOTICE_VERSION,
            confirmed_at=timezone.now(),
        )
        subscription.topics.set(chosen)
        consent_give(
            person=person,
            purpose=Consent.Purpose.NEWSLETTER,
            privacy_notice=settings.PRIVACY_NOTICE_NAME,
        )
    officer = people["officer@example.eu"][0]
    Mailing.objects.get_or_create(
        name="AI Pact news, December",
        defaults={
            "subject": "AI Pact: new pledges and the next webinar",
            "body": (
                "Dear reader,\n\n**Twelve** organisations published their AI Pact pledges this "
                "month.\n\n## The next webinar\n\n- AI literacy in practice\n- Questions "
                "from signatories\n\nRead the register: [AI Pact](https://digital-strategy.ec."
                "europa.eu/en/policies/ai-pact)"
            ),
            "translations": {
                "fr": {
                    "subject": "Pacte sur l'IA : nouveaux engagements et prochain webinaire",
                    "body": "Madame, Monsieur,\n\n**Douze** organisations ont publié leurs "
                    "engagements ce mois-ci.",
                }
            },
            "purpose": Mailing.Purpose.UPDATES,
            "topic": topics[0],
            "segment_label": f"Subscribers to “{topics[0].name}”",
            "created_by": officer,
        },
    )
    return len(subscribers)
