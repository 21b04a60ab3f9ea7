"""The CRM's person record follows the language of its user account (core.languages)."""

from core.audit import audit_log

from .models import Person


def person_language_read(user) -> str | None:
    return Person.objects.filter(user=user).values_list("preferred_language", flat=True).first()


def person_language_write(user, language: str) -> None:
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None or person.preferred_language == language:
        return
    person.preferred_language = language
    person.save(update_fields=["preferred_language", "updated_at"])
    audit_log(
        actor=user,
        action="crm.person.language_changed",
        subject=person,
        data={"language": language},
    )
