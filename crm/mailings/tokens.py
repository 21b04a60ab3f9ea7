"""Signed links in emails, which work without signing in.

The confirmation link of a subscription expires; the preferences and unsubscribe links of a
mailing do not (people open old emails), and none of them carries an email address."""

from django.core import signing

CONFIRM_SALT = "crm.subscription.confirm"
PREFERENCES_SALT = "crm.mailing.preferences"
UNSUBSCRIBE_SALT = "crm.mailing.unsubscribe"
CONFIRM_MAX_AGE = 14 * 24 * 3600


def confirm_token(subscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.pk))


def preferences_token(person) -> str:
    return signing.Signer(salt=PREFERENCES_SALT).sign(str(person.pk))


def unsubscribe_token(recipient_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(recipient_id))


def _pk(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def read_confirm_token(token: str) -> tuple[int | None, bool]:
    """(subscription id, expired): (None, False) for a token that was never ours."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        return _pk(signer.unsign(token, max_age=CONFIRM_MAX_AGE)), False
    except signing.SignatureExpired:
        return _pk(signer.unsign(token)), True
    except signing.BadSignature:
        return None, False


def read_preferences_token(token: str) -> int | None:
    try:
        return _pk(signing.Signer(salt=PREFERENCES_SALT).unsign(token))
    except signing.BadSignature:
        return None


def read_unsubscribe_token(token: str) -> int | None:
    try:
        return _pk(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except signing.BadSignature:
        return None
