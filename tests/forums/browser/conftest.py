"""The browser fixtures of tests/browser, scoped to this package (see its conftest for why the
browser lives only as long as its package)."""

from tests.browser.conftest import (  # noqa: F401 - fixtures
    browser,
    context,
    page,
)
