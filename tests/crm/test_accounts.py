"""What allauth does in this product: landing pages and the emails' greeting and signature."""

import pytest
from django.core import mail

from tests.crm.factories import make_staff


@pytest.mark.django_db
def test_staff_land_in_the_back_office_after_signing_in(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    officer = make_staff("Pact officer", mfa=False)
    response = client.post(
        "/accounts/login/", {"login": officer.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == "/crm/"


@pytest.mark.django_db
def test_other_people_land_on_their_own_page(client, user):
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response["Location"] == "/me/"


@pytest.mark.django_db
def test_account_emails_greet_and_sign_as_the_service(client, user, settings):
    settings.SITE_URL = "https://crm.example.eu"
    client.post("/accounts/password/reset/", {"email": user.email})
    body = mail.outbox[-1].body
    assert body.startswith("Hello,")
    assert "Hello from" not in body
    assert "username" not in body
    assert "The AI Office stakeholder engagement team" in body
    assert body.rstrip().endswith("https://crm.example.eu")


@pytest.mark.django_db
def test_password_reset_page_names_a_contact(client, settings):
    settings.SUPPORT_EMAIL = "help@crm.example.eu"
    text = client.get("/accounts/password/reset/").content.decode()
    assert 'href="mailto:help@crm.example.eu"' in text


@pytest.mark.django_db
def test_signed_in_people_are_named_by_name_or_email_not_username(client):
    from tests.crm.factories import UserFactory

    user = UserFactory(username="nina.novak", first_name="Nina", last_name="Novak")
    client.force_login(user)
    text = client.get("/accounts/password/reset/").content.decode()
    assert "nina.novak" not in text
    assert "Nina Novak" in text


@pytest.mark.django_db
def test_menu_offers_my_pledges_only_to_people_who_act_for_an_organisation(
    client, user, representative
):
    client.force_login(user)
    assert "My pledges" not in client.get("/me/").content.decode()
    client.force_login(representative)
    assert "My pledges" in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_staff_menu_names_each_page_once_and_offers_the_representatives_queue(client, staff):
    client.force_login(staff)
    text = client.get("/crm/").content.decode()
    assert text.count(">Events<") == 1
    assert "Event management" in text
    assert 'href="/crm/representatives/"' in text
