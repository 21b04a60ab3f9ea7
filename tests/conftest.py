import os
import time

import pytest
from django.db import connection
from django.test import Client

from tests.crm.factories import (
    OrganisationFactory,
    UserFactory,
    make_representative,
    make_staff,
)


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL or "none (tasks run in-process)"
    return [
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}",
        f"broker: {broker}",
    ]


def pytest_collection_modifyitems(config, items):
    """Tests that need PostgreSQL are skipped on other databases, saying why."""
    from django.conf import settings

    vendor_is_pg = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords and not vendor_is_pg:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters and allauth's used-code marks
    are keyed by user id, which a later test can reuse."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English. A request leaves its language active in the thread (the
    locale middleware does not reset it), and a later test's sign-in would record that
    language on its account."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing strength proves nothing here and costs a second per sign-up."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests, whatever broker the environment names."""
    from config.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


class SignInClient(Client):
    """`force_login` stands for a whole sign-in: for a user with an authenticator that
    includes the second factor, as the real sign-in does. `mfa=False` gives the session of
    someone who signed in by password alone (e.g. through a path that skipped the code)."""

    def force_login(self, user, backend=None, *, mfa=None):
        from allauth.account.internal.flows.login import (
            _AUTHENTICATION_METHODS_USER_SESSION_KEY,
            AUTHENTICATION_METHODS_SESSION_KEY,
        )

        from core.access import has_mfa

        super().force_login(user, backend)
        if mfa is None:
            mfa = user.is_staff and has_mfa(user)
        if mfa:
            session = self.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": time.time()},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
            session.save()


@pytest.fixture
def client():
    return SignInClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def unverified_user(db):
    return UserFactory(verified=False)


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def representative(db, organisation):
    return make_representative(organisation)


@pytest.fixture
def staff(db):
    """A superuser-less staff member with every staff role and MFA set up."""
    return make_staff(
        "Pact officer", "Body secretariat", "Events manager", "Data-protection coordinator"
    )


@pytest.fixture
def pact_officer(db):
    return make_staff("Pact officer")


@pytest.fixture
def events_manager(db):
    return make_staff("Events manager")


@pytest.fixture
def is_postgresql():
    return connection.vendor == "postgresql"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


def pytest_runtest_setup(item):
    """Browser and real-worker tests are skipped, saying why, when this machine cannot run
    them; CI sets REQUIRE_BROWSER_TESTS / REQUIRE_CELERY_WORKER_TESTS to make that a failure."""
    from tests.browser.support import browser_missing_reason
    from tests.worker_jobs import worker_missing_reason

    for marker, flag, missing in (
        ("browser", "REQUIRE_BROWSER_TESTS", browser_missing_reason),
        ("celery_worker", "REQUIRE_CELERY_WORKER_TESTS", worker_missing_reason),
    ):
        if item.get_closest_marker(marker) and (reason := missing()):
            if env_flag(flag):
                pytest.fail(f"{flag}=1 but this test cannot run: {reason}", pytrace=False)
            pytest.skip(reason)
