import os
import socket

import pytest


def _redis_listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["broker"]["ok"] is True


@pytest.mark.skipif(
    not _redis_listening() and not os.environ.get("REQUIRE_CELERY_WORKER_TESTS"),
    reason="needs Redis on 127.0.0.1:6379",
)
@pytest.mark.django_db
def test_healthz_checks_a_real_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    data = client.get("/healthz/").json()
    assert data["broker"] == {"ok": True, "mode": "broker"}


@pytest.mark.django_db
def test_healthz_says_unavailable_when_broker_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/privacy/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b'<main id="main-content"' in response.content
    assert b'lang="en"' in response.content


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_language_switcher_offers_all_24_official_languages(client):
    response = client.get("/")
    assert response.content.count(b"<option value=") >= 24


@pytest.mark.django_db
def test_language_choice_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").content.count(b'lang="fr"') >= 1


@pytest.mark.django_db
def test_only_the_most_specific_navigation_item_is_current(client, representative):
    client.force_login(representative)
    response = client.get("/pact/pledges/")
    current = [
        entry["label"]
        for entries in response.context["nav"].values()
        for entry in entries
        if entry["current"]
    ]
    assert [str(label) for label in current] == ["My pledges"]


@pytest.mark.django_db
def test_status_page_says_in_words_that_everything_works(client):
    response = client.get("/status/")
    assert response.status_code == 200
    text = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert "Everything is working normally." in text
    for detail in ("sqlite", "postgresql", "redis", "error"):
        assert detail not in text.lower()


@pytest.mark.django_db
def test_status_page_says_what_is_down_without_naming_the_technology(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/status/")
    assert response.status_code == 503
    text = response.content.decode()
    assert "Part of the service is not working" in text
    assert "Not available" in text
    assert "redis" not in text.lower()


@pytest.mark.django_db
def test_footer_links_to_the_status_page_not_the_monitoring_endpoint(client):
    text = client.get("/").content.decode()
    assert 'href="/status/"' in text
    assert 'href="/healthz/"' not in text
