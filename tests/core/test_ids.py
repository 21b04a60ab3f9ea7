"""Ids no database holds (30 digits, beyond 64 bits) are refused with a form error or a 404,
the same on SQLite and PostgreSQL, instead of failing in the database."""

import pytest
from django.urls import reverse

from core.converters import parse_id
from crm.models import Organisation
from forums.models import Registration
from pact.models import Pledge
from tests.crm.factories import make_staff
from tests.forums.factories import EventFactory

pytestmark = pytest.mark.django_db

HUGE_ID = "9" * 30


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (HUGE_ID, None),
        (str(2**63), None),
        ("-1", None),
        ("0", None),
        ("1e3", None),
        ("", None),
        (None, None),
        ("٣", 3),
        (str(2**63 - 1), 2**63 - 1),
    ],
)
def test_parse_id_accepts_only_ids_a_key_can_hold(value, expected):
    assert parse_id(value) == expected


def test_a_thirty_digit_id_in_a_path_is_a_404(client, representative):
    client.force_login(representative)
    assert client.get(f"/pact/pledges/{HUGE_ID}/").status_code == 404
    assert client.post(f"/events/{HUGE_ID}/register/").status_code == 404


def test_organisation_registration_refuses_a_thirty_digit_sector(client, user):
    client.force_login(user)
    response = client.post(
        reverse("me:organisation_register"),
        {"name": "Acme", "country": "BE", "type": "company", "sectors": [HUGE_ID]},
    )
    assert response.status_code == 200
    assert "sectors" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Acme").exists()


def test_starting_a_pledge_refuses_a_thirty_digit_organisation(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("pact:pledge_start"),
        {"organisation": HUGE_ID, "ai_role": "both", "language": "en"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Pledge.objects.exists()


def test_attendance_refuses_a_thirty_digit_registration(client):
    event = EventFactory()
    client.force_login(make_staff("Events manager"))
    response = client.post(
        reverse("forums_staff:attendance", args=[event.pk]),
        {"registrations": [HUGE_ID], "attendance": "attended"},
    )
    assert response.status_code == 302
    assert not Registration.objects.exclude(attendance="").exists()


def test_every_model_choice_field_of_our_forms_checks_the_range():
    import importlib

    from django import forms

    from core.forms import ModelChoiceField, ModelMultipleChoiceField

    unchecked = []
    for app in ("core", "crm", "pact", "forums", "reports"):
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for form in vars(module).values():
            for name, field in getattr(form, "base_fields", {}).items():
                if isinstance(field, forms.ModelChoiceField) and not isinstance(
                    field, (ModelChoiceField, ModelMultipleChoiceField)
                ):
                    unchecked.append(f"{module.__name__}.{form.__name__}.{name}")
    assert unchecked == []
