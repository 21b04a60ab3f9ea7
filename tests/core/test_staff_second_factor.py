"""Staff powers need a session that completed the second factor; the admin is for superusers
and has no login of its own."""

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import override_settings

from tests.crm.factories import make_staff

PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _current_code(secret=SECRET):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


@pytest.mark.django_db
def test_admin_login_page_sends_to_the_site_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_admin_login_post_with_a_staff_password_signs_nobody_in(client):
    officer = make_staff("Pact officer", is_superuser=True)
    response = client.post(
        "/admin/login/", {"username": officer.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_password_only_staff_session_is_asked_for_the_code_everywhere(client):
    officer = make_staff("Pact officer", "Events manager")
    client.force_login(officer, mfa=False)
    for path in ("/crm/", "/crm/pact/", "/crm/events/", "/reports/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/"), path


@pytest.mark.django_db
def test_password_only_staff_session_holds_no_staff_permission(client, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from core.access import is_staff_user, restrict_pending_staff

    officer = make_staff("Pact officer")
    request = rf.get("/")
    request.session = SessionStore()
    restricted = restrict_pending_staff(request, officer)
    assert not restricted.has_perm("pact.view_pledge")
    assert not restricted.has_perms(["pact.view_pledge"])
    assert restricted.get_all_permissions() == set()
    assert not is_staff_user(restricted)
    officer.refresh_from_db()
    assert officer.is_staff  # nothing was saved


@pytest.mark.django_db
def test_staff_sign_in_with_password_then_code_reaches_the_back_office(client):
    officer = make_staff("Pact officer")
    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert client.get("/crm/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": _current_code()})
    assert response.status_code == 302
    assert client.get("/crm/").status_code == 200


@pytest.mark.django_db
def test_reauthenticating_with_the_code_restores_staff_powers(client):
    officer = make_staff("Pact officer")
    client.force_login(officer, mfa=False)
    response = client.post(
        "/accounts/2fa/reauthenticate/?next=/crm/pact/", {"code": _current_code()}
    )
    assert response.status_code == 302
    assert client.get("/crm/pact/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_setting_up_the_authenticator_counts_as_the_second_factor(client):
    from allauth.mfa.models import Authenticator

    officer = make_staff("Pact officer", mfa=False)
    client.force_login(officer)
    assert client.get("/crm/")["Location"].startswith("/accounts/2fa/totp/activate")
    # allauth asks for the password again before activation; this sign-in just gave it.
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=officer, type="totp").exists()
    assert client.get("/crm/").status_code == 200


@pytest.mark.django_db
def test_admin_refuses_staff_who_are_not_superusers(client):
    client.force_login(make_staff("Pact officer", "Events manager"))
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/admin/crm/organisation/").status_code in (302, 403)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_superuser_without_the_second_factor_is_asked_for_it_by_the_admin(client):
    superuser = make_staff(is_superuser=True)
    client.force_login(superuser, mfa=False)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/2fa/reauthenticate/")


@pytest.mark.django_db
def test_admin_shows_crm_records_to_superusers_but_never_changes_them(client, organisation):
    superuser = make_staff(is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    page = client.get(f"/admin/crm/organisation/{organisation.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(
        f"/admin/crm/organisation/{organisation.pk}/change/", {"name": "Renamed"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name != "Renamed"
    assert client.get("/admin/crm/organisation/add/").status_code == 403


@pytest.mark.django_db
@override_settings(DEBUG=False, ALLOWED_HOSTS=["crm.example.eu"])
def test_unknown_host_header_gets_400_not_500(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_one_sign_in_is_throttled_after_repeated_wrong_passwords(client):
    officer = make_staff("Pact officer", is_superuser=True)
    for _attempt in range(25):
        client.post("/accounts/login/", {"login": officer.email, "password": "wrong"})
    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    # The admin has no other door.
    client.post("/admin/login/", {"username": officer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
