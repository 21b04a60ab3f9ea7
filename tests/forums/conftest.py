import pytest

from forums import services
from tests.crm.factories import AffiliationFactory, PersonFactory, UserFactory


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Register a user for an event and run what waits for the commit (emails)."""

    def _register(user, event, **choices):
        with django_capture_on_commit_callbacks(execute=True):
            return services.registration_create(user=user, event=event, **choices)

    return _register


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a service and what waits for its commit: commit(services.x, user=..., ...)."""

    def _run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _run


def member_of(organisation, **user_kwargs):
    """A signed-up user with a confirmed (non-representative) affiliation to `organisation`."""
    user = UserFactory(**user_kwargs)
    person = PersonFactory(
        user=user, email=user.email, first_name=user.first_name, last_name=user.last_name
    )
    AffiliationFactory(person=person, organisation=organisation)
    return user
