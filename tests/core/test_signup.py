"""Sign-up answers the same whether or not an address is registered."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

NEW_PASSWORD = "Sturdy-pass-4821"


def _sign_up(client, email):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


@pytest.mark.django_db
def test_signup_with_a_registered_address_looks_like_any_other(client, user):
    fresh = _sign_up(client, "someone.new@example.org")
    client.logout()
    taken = _sign_up(client, user.email.upper())

    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"] == "/accounts/confirm-email/"
    assert get_user_model().objects.filter(email__iexact=user.email).count() == 1
    # The owner of the registered address is told, by email, that someone tried.
    assert [m.to for m in mail.outbox] == [["someone.new@example.org"], [user.email]]


@pytest.mark.django_db
def test_new_account_signs_in_only_after_confirming_the_address(client):
    _sign_up(client, "careful@example.org")
    assert client.get("/me/").status_code == 302
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/confirm-email/" in w)
    client.post(link.split("testserver", 1)[1])
    assert client.get("/me/").status_code == 200
