"""With the database unreachable, pages answer 503 with a page in words and /healthz/ says
which part is down."""

from unittest import mock

import pytest
from django.db import OperationalError, connections

from tests.conftest import SignInClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down():
    """Every new cursor fails as it does when the server refuses connections."""
    refused = OperationalError(
        'connection to server at "127.0.0.1", port 1 failed: Connection refused'
    )
    with mock.patch.object(connections["default"], "_cursor", side_effect=refused):
        yield


def _is_the_unavailable_page(response) -> bool:
    return (
        response.status_code == 503
        and response["Retry-After"] == "60"
        and b"The service is temporarily unavailable" in response.content
        and b"nothing you sent has been saved" in response.content
    )


def test_a_page_that_reads_the_database_answers_503_in_words(client, database_down):
    assert _is_the_unavailable_page(client.get("/events/"))


def test_a_signed_in_visitor_whose_session_cannot_load_gets_the_same_page(user):
    # The session and the user are read in middleware, before any view; the test client
    # would otherwise re-raise what the error handler reports.
    client = SignInClient(raise_request_exception=False)
    client.force_login(user)
    with mock.patch.object(
        connections["default"], "_cursor", side_effect=OperationalError("server closed")
    ):
        assert _is_the_unavailable_page(client.get("/me/"))
        assert _is_the_unavailable_page(client.post("/events/1/register/", {}))


def test_healthz_says_the_database_is_unreachable(client, database_down):
    response = client.get("/healthz/")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "unavailable"
    assert data["database"]["ok"] is False
    assert data["database"]["error"] == "OperationalError"
    assert "cannot be reached" in data["database"]["message"]
    assert "outbox" not in data


def test_healthz_counts_the_tasks_waiting_in_the_outbox(client):
    from core.models import OutboxTask

    OutboxTask.objects.create(task_name="core.tasks.send_email")
    data = client.get("/healthz/").json()
    assert data["outbox"]["pending"] == 1
    assert data["outbox"]["oldest_pending_seconds"] >= 0


def test_other_errors_are_still_a_500(rf):
    from core.views import error_500

    try:
        raise RuntimeError("bug")
    except RuntimeError:
        response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
