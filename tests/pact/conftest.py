import pytest

from pact.catalogue import catalogue_load
from pact.models import Commitment
from tests.crm.factories import OrganisationFactory, make_representative

from .factories import make_pledge


@pytest.fixture
def pledge_factory(pact_officer, django_capture_on_commit_callbacks):
    """Makes a pledge of a new organisation in a given status, with its representative; the
    emails of each step are sent."""

    def make(status="draft", organisation=None, **kwargs):
        organisation = organisation or OrganisationFactory()
        representative = make_representative(organisation)
        with django_capture_on_commit_callbacks(execute=True):
            pledge = make_pledge(
                organisation, representative, status=status, reviewer=pact_officer, **kwargs
            )
        pledge.refresh_from_db()
        return pledge, representative

    return make


@pytest.fixture(autouse=True)
def _catalogue(request):
    """The catalogue comes from a data migration, which a transactional test's flush empties."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        catalogue_load(Commitment)
