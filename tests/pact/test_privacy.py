"""The AI Pact's forms name the privacy notice they collect under."""

import pytest
from django.urls import reverse

from tests.pact.factories import make_pledge

pytestmark = pytest.mark.django_db


def test_the_pledge_signing_form_names_the_privacy_notice(
    client, organisation, representative, settings
):
    pledge = make_pledge(organisation, representative)
    client.force_login(representative)
    content = client.get(reverse("pact:pledge_edit", args=[pledge.pk])).content.decode()
    assert settings.PRIVACY_NOTICE_NAME in content
    assert f"version {settings.PRIVACY_NOTICE_VERSION}" in content


def test_the_network_join_form_names_the_privacy_notice(client, representative, settings):
    client.force_login(representative)
    response = client.get(reverse("pact:pledge_list"))
    assert response.context["network_form"] is not None
    assert f"version {settings.PRIVACY_NOTICE_VERSION}" in response.content.decode()
