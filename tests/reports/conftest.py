from tests.pact.conftest import _catalogue, pledge_factory  # noqa: F401 - shared fixtures
