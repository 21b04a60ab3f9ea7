"""The staff JSON API: keys, permissions per role, pagination, filters, and what it never shows."""

import pytest
from django.utils import timezone

from crm import services
from crm.models import ApiToken
from tests.crm.factories import OrganisationFactory, PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


def _key(user, name="dashboard"):
    _token, secret = services.api_token_create(user=user, name=name)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_key_reads_organisations_filtered_and_paginated(client):
    officer = make_staff("Pact officer")
    for n in range(3):
        OrganisationFactory(name=f"Café {n}", country="FR")
    OrganisationFactory(name="Acme", country="BE")
    response = client.get("/api/organisations/", {"country": "FR", "page_size": 2}, **_key(officer))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2 and body["next"]
    assert body["results"][0]["country"] == "FR"
    accent_free = client.get("/api/organisations/", {"q": "cafe"}, **_key(officer)).json()
    assert accent_free["count"] == 3


def test_only_a_valid_key_opens_the_api(client):
    officer = make_staff("Pact officer")
    assert client.get("/api/organisations/").status_code == 401
    client.force_login(officer)  # a browser session is not enough
    assert client.get("/api/organisations/").status_code == 401
    client.logout()
    assert (
        client.get("/api/organisations/", HTTP_AUTHORIZATION="Bearer aio_wrong").status_code == 401
    )
    token, secret = services.api_token_create(user=officer, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert (
        client.get("/api/organisations/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )
    token, secret = services.api_token_create(user=officer, name="revoked")
    services.api_token_revoke(user=officer, token=token)
    assert (
        client.get("/api/organisations/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    )


def test_keys_are_stored_only_as_digests(client):
    token, secret = services.api_token_create(user=make_staff("Pact officer"), name="x")
    assert secret not in {token.digest, token.prefix}
    assert not ApiToken.objects.filter(digest=secret).exists()


def test_each_role_reads_only_what_it_may_see(client):
    manager = make_staff("Events manager")
    assert client.get("/api/registrations/", **_key(manager)).status_code == 200
    assert client.get("/api/pledges/", **_key(manager)).status_code == 403
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # only staff make keys
        _key(UserFactory())


def test_people_never_carry_gender_and_pledges_never_drafts(client):
    from pact.catalogue import catalogue_load
    from pact.models import Commitment
    from tests.crm.factories import make_representative
    from tests.pact.factories import make_pledge

    catalogue_load(Commitment)
    PersonFactory(gender="female")
    officer = make_staff("Pact officer")
    people = client.get("/api/people/", **_key(officer)).json()["results"]
    assert people and all("gender" not in person for person in people)
    organisation = OrganisationFactory()
    make_pledge(organisation, make_representative(organisation), status="draft")
    assert client.get("/api/pledges/", **_key(officer)).json()["count"] == 0


def test_the_schema_describes_every_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/organisations/",
        "/api/people/",
        "/api/pledges/",
        "/api/events/",
        "/api/registrations/",
    ):
        assert path in text


def test_staff_make_see_and_revoke_their_keys_from_the_back_office(client):
    officer = make_staff("Pact officer")
    client.force_login(officer)
    page = client.post("/crm/api-tokens/", {"name": "Dashboard", "days": 30})
    text = page.content.decode()
    assert "Copy the key now" in text
    token = ApiToken.objects.get(user=officer)
    assert token.prefix in text
    client.post("/crm/api-tokens/", {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    other = ApiToken.objects.create(
        user=make_staff("Pact officer"),
        name="theirs",
        prefix="x",
        digest="y" * 64,
        expires_at=timezone.now(),
    )
    assert client.post("/crm/api-tokens/", {"revoke": other.pk}).status_code == 404


def test_reading_people_through_the_api_is_in_the_access_log(client):
    from core.models import AccessLogEntry, AccessLogPerson

    officer = make_staff("Pact officer")
    people = [PersonFactory() for _ in range(3)]
    key = _key(officer)
    assert client.get("/api/people/", {"page_size": 2}, **key).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.actor == officer and entry.action == AccessLogEntry.Action.EXPORT
    assert entry.subject_type == "crm.person" and entry.people_count == 2
    assert client.get(f"/api/people/{people[2].pk}/", **key).status_code == 200
    detail = AccessLogEntry.objects.latest("pk")
    assert detail.subject_id == str(people[2].pk)
    assert list(
        AccessLogPerson.objects.filter(entry=detail).values_list("person_id", flat=True)
    ) == [people[2].pk]
    # Organisations are not personal data; a refused request logs nothing.
    client.get("/api/organisations/", **key)
    client.get("/api/people/", HTTP_AUTHORIZATION="Bearer aio_wrong")
    assert AccessLogEntry.objects.count() == 2
