"""The browser fixtures of tests/browser, scoped to this package (see its conftest for why the
browser lives only as long as its package)."""

from tests.browser.conftest import (  # noqa: F401 - fixtures
    _fast_password_hashing,
    browser,
    context,
    page,
)
from tests.pact.conftest import _catalogue  # noqa: F401 - fixture
