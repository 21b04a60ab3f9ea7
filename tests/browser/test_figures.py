"""The AI Pact in figures and the back office's dashboard in a real browser: charts drawn at
both widths, nothing wider than the screen, no serious accessibility violation."""

from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from .support import ARTIFACTS, axe_violations, force_sign_in, screenshot, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def demo(db):
    from pact.catalogue import catalogue_load
    from pact.models import Commitment

    import_module("crm.migrations.0002_roles_and_sectors").forwards(apps, None)
    catalogue_load(Commitment)
    call_command("seed_demo", verbosity=0)


def _charts(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].map(svg => {
            const box = svg.getBoundingClientRect();
            return {width: box.width, height: box.height,
                    bars: svg.querySelectorAll('.chart-bar, .chart-point').length};
        })"""
    )


def _look(browser, live_server, path, name, *, client=None, user=None):
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, locale="en", bypass_csp=True
        )
        if user is not None:
            force_sign_in(context, live_server, client, user)
        page = context.new_page()
        response = page.goto(url(live_server, path))
        assert response.status == 200, path
        screenshot(page, f"{name}-{width}")
        for index, figure in enumerate(page.locator("figure.chart-figure").all()[:2]):
            figure.screenshot(path=str(ARTIFACTS / f"{name}-{width}-chart-{index}.png"))
        charts = _charts(page)
        assert charts, f"no chart on {path}"
        for chart in charts:
            assert min(width - 90, 360) <= chart["width"] <= width, (path, width, chart)
            assert chart["height"] > 30
        assert any(chart["bars"] for chart in charts)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == [], (path, width)
        context.close()


def test_figures_page_draws_its_charts_at_both_widths(browser, live_server, demo):
    _look(browser, live_server, "/pact/figures/", "pact-figures")


def test_dashboard_draws_its_charts_at_both_widths(browser, live_server, client, demo):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(email="staff@example.eu")
    _look(browser, live_server, "/crm/", "crm-dashboard", client=client, user=staff)
