"""The CRM's share of the data-subject rights and of the retention purge.

The person record, the user account, affiliations, consents, staff notes and erasure
requests. Registered from `CrmConfig.ready()`; `pact` and `forums` add their own parts.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.models import AccountLanguage, AuditEntry

from .models import Note, Person
from .registry import person_data

# What an erased person's name becomes (not translated: it is stored).
ERASED_NAME = "[erased]"
# Addresses under the reserved .invalid domain replace erased ones (never deliverable).
ERASED_EMAIL_SUFFIX = "@erased.invalid"


def erased_email(person: Person) -> str:
    return f"erased-{person.pk}{ERASED_EMAIL_SUFFIX}"


def is_erased(person: Person) -> bool:
    return person.email.endswith(ERASED_EMAIL_SUFFIX)


def export_person(*, person: Person) -> dict:
    user = person.user
    account = None
    if user is not None:
        from allauth.account.models import EmailAddress

        account = {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "language": AccountLanguage.objects.filter(user=user)
            .values_list("language", flat=True)
            .first(),
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
            ),
            "activity": list(
                AuditEntry.objects.filter(actor=user)
                .order_by("created_at")
                .values("action", "created_at")
            ),
        }
    return {
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "phone": person.phone,
            "nationality": person.nationality.code if person.nationality else "",
            "gender": person.gender,
            "preferred_language": person.preferred_language,
            "tags": [tag.name for tag in person.tags.all()],
            "created_at": person.created_at,
            "updated_at": person.updated_at,
        },
        "account": account,
        "affiliations": [
            {
                "organisation": a.organisation.name,
                "position": a.position,
                "representative": a.is_representative,
                "status": a.status,
                "valid_from": a.valid_from,
                "valid_to": a.valid_to,
            }
            for a in person.affiliations.select_related("organisation")
        ],
        "consents": list(
            person.consents.values(
                "purpose", "privacy_notice", "notice_version", "given_at", "withdrawn_at"
            )
        ),
        "notes": list(person.notes.values("kind", "text", "created_at")),
        "erasure_requests": list(
            person.erasure_requests.values(
                "status", "reason", "requested_at", "due_on", "decided_at", "decision_note"
            )
        ),
        "subscription": _export_subscription(person),
        "mailings_received": list(
            person.mailings_received.order_by("pk").values(
                "mailing__subject", "email", "language", "status", "sent_at"
            )
        ),
    }


def _export_subscription(person: Person) -> dict | None:
    from .models import Subscription

    subscription = Subscription.objects.filter(person=person).first()
    if subscription is None:
        return None
    return {
        "email": subscription.email,
        "status": subscription.status,
        "topics": list(subscription.topics.values_list("code", flat=True)),
        "language": subscription.language,
        "privacy_notice_version": subscription.notice_version,
        "requested_at": subscription.requested_at,
        "confirmed_at": subscription.confirmed_at,
        "left_at": subscription.left_at,
    }


def erase_person(*, person: Person, actor) -> dict[str, int]:
    """Anonymise the person record in place (kept so that registrations, memberships and
    affiliations still count), delete staff notes, withdraw consents, deactivate the account."""
    now = timezone.now()
    today = timezone.localdate()
    counts = {
        "notes": person.notes.all().delete()[0],
        "consents": person.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now),
    }
    counts["affiliations"] = person.affiliations.update(position="", is_representative=False)
    # The subscription goes; the copies of mailings stay (a mailing's figures count them)
    # without the address. The suppression list keeps only a digest of it.
    from .models import Subscription

    counts["subscriptions"] = (
        Subscription.objects.filter(Q(person=person) | Q(email__iexact=person.email))
        .delete()[1]
        .get("crm.Subscription", 0)
    )
    counts["mailings_received"] = person.mailings_received.update(email=erased_email(person))
    person.affiliations.filter(valid_to__isnull=True, valid_from__lte=today).update(valid_to=today)
    person.affiliations.filter(valid_to__isnull=True, valid_from__isnull=True).update(
        valid_to=today
    )
    person.tags.clear()
    # Gender and nationality stay: without a name or contact they only feed the balance
    # figures of expert bodies, which must keep adding up.
    Person.objects.filter(pk=person.pk).update(
        first_name=ERASED_NAME,
        last_name="",
        email=erased_email(person),
        phone="",
        updated_at=now,
    )
    counts["people"] = 1
    counts["accounts"] = 0
    if person.user_id is not None:
        erase_account(user=person.user, placeholder=erased_email(person))
        counts["accounts"] = 1
    return counts


def erase_account(*, user, placeholder: str) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    AccountLanguage.objects.filter(user=user).delete()
    user.email = placeholder
    user.username = placeholder
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(
        update_fields=["email", "username", "first_name", "last_name", "is_active", "password"]
    )


def purge_unconfirmed_accounts(*, before, now) -> int:
    """Accounts whose email was never confirmed: the person made for the account is erased
    through every app, a contact that existed before the sign-up is only unlinked, and the
    account is deleted."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    users = list(
        User.objects.filter(
            date_joined__lt=before, is_staff=False, is_superuser=False, is_active=True
        )
        .exclude(Exists(verified))
        .select_related("person")
    )
    for user in users:
        person = getattr(user, "person", None)
        if person is not None and person.created_at >= user.date_joined:
            person_data.erase(person=person, actor=None)
        user.delete()
    return len(users)


def purge_staff_notes(*, before, now) -> int:
    return Note.objects.filter(person__isnull=False, created_at__lt=before).delete()[0]


def describe_person_edit(request, pk):
    """The staff form to correct a person shows their record."""
    return {"subject_type": "crm.person", "subject_id": pk, "person_ids": [pk]}
