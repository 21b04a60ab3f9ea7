import os

import pytest
from django.db import connection

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
def _eager_celery():
    """Tasks run in-process in tests, whatever broker the environment names."""
    from config.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


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
