"""The person's language: chosen once with the switcher, remembered on the account and on the
CRM person record, and used for what is sent to them, from periodic jobs too."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core.datetimes import format_date
from core.languages import language_of_user
from core.models import AccountLanguage
from crm.models import Person
from forums.models import Event, Registration
from tests.crm.factories import PersonFactory, UserFactory
from tests.forums.factories import EventFactory, RegistrationFactory

GREEK_TITLE = "Διαδικτυακό σεμινάριο για την πράξη για την τεχνητή νοημοσύνη"


def _greek(text: str) -> bool:
    return bool(re.search(r"[\u0370-\u03ff]", text))


@pytest.fixture
def member(db):
    user = UserFactory(email="eleni@example.gr")
    PersonFactory(user=user, email=user.email, first_name="Eleni", preferred_language="en")
    return user


def test_switching_language_while_signed_in_saves_it_on_the_account_and_the_person(client, member):
    client.force_login(member)
    response = client.post(
        reverse("set_language"), {"language": "el", "next": "/events/?kind=webinar"}
    )
    assert response.status_code == 302 and response.url == "/events/?kind=webinar"
    assert AccountLanguage.objects.get(user=member).language == "el"
    assert Person.objects.get(user=member).preferred_language == "el"
    # The next pages are in Greek, whatever the browser asks for.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="el"' in page.content.decode()


def test_the_account_language_wins_at_sign_in_on_another_browser(client, member):
    AccountLanguage.objects.create(user=member, language="sv")
    client.cookies.load({"django_language": "fr"})
    client.force_login(member)
    response = client.get("/")
    assert '<html lang="sv"' in response.content.decode()
    # The cookie follows the account, so pages stay in Swedish after signing out.
    assert response.cookies["django_language"].value == "sv"


def test_a_new_account_keeps_the_language_it_was_using(client, db):
    user = UserFactory(email="new@example.fi")
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert AccountLanguage.objects.get(user=user).language == "fi"
    assert language_of_user(user) == "fi"


def test_an_account_without_a_choice_takes_the_crm_language_and_does_not_overwrite_it(client, db):
    user = UserFactory(email="old@example.de")
    PersonFactory(user=user, email=user.email, preferred_language="de")
    client.post(reverse("set_language"), {"language": "it", "next": "/"})  # before signing in
    client.force_login(user)
    assert Person.objects.get(user=user).preferred_language == "de"
    assert '<html lang="de"' in client.get("/").content.decode()


def test_the_switcher_refuses_to_send_anyone_elsewhere(client, member):
    client.force_login(member)
    response = client.post(
        reverse("set_language"), {"language": "pl", "next": "https://attacker.example/"}
    )
    assert response.status_code == 302 and response.url == "/"
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert not AccountLanguage.objects.filter(user=member, language="xx").exists()


def test_the_switcher_comes_back_to_the_page_without_its_lang_parameter(client, db):
    html = client.get("/events/?lang=da&kind=webinar").content.decode()
    assert '<html lang="da"' in html
    assert 'name="next" type="hidden" value="/events/?kind=webinar"' in html


def test_public_pages_name_their_alternates_in_every_language(client, db, member):
    html = client.get("/pact/").content.decode()
    alternates = re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)"', html)
    assert len(alternates) == 25
    assert ("sv", "http://127.0.0.1:8000/pact/?lang=sv") in alternates
    assert ("x-default", "http://127.0.0.1:8000/pact/") in alternates
    assert '<html lang="sv"' in client.get("/pact/?lang=sv").content.decode()
    # ?lang= shows one page: it changes nobody's choice.
    assert '<html lang="en"' in client.get("/pact/").content.decode()
    client.force_login(member)
    assert "hreflang" not in client.get("/me/").content.decode()


def test_the_profile_language_becomes_the_account_language(client, member):
    client.force_login(member)
    response = client.post(
        reverse("me:profile"),
        {"first_name": "Eleni", "last_name": "P", "preferred_language": "el"},
    )
    assert response.status_code == 302
    assert AccountLanguage.objects.get(user=member).language == "el"
    assert '<html lang="el"' in client.get("/me/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_greek_member_gets_the_event_reminder_in_greek_from_the_periodic_job():
    from forums.tasks import send_event_reminders

    person = PersonFactory(preferred_language="el", first_name="Ελένη")
    starts = timezone.now() + timedelta(hours=20)
    event = EventFactory(
        title="Webinar on the AI Act",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        translations={"el": {"title": GREEK_TITLE, "description": "Για τους παρόχους."}},
    )
    RegistrationFactory(event=event, person=person, status=Registration.Status.CONFIRMED)

    with translation.override("en"):  # a worker's default, whoever asked before
        assert send_event_reminders.apply().get() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert GREEK_TITLE in message.subject and GREEK_TITLE in message.body
    assert message.extra_headers["Content-Language"] == "el"
    assert html.startswith('<!DOCTYPE html><html lang="el"')
    with translation.override("el"):
        weekday_and_month = format_date(starts, event.time_zone, weekday=True)
    assert _greek(weekday_and_month) and weekday_and_month in message.body
    assert starts.date().isoformat() not in message.body  # no ISO date in the message
    assert Event.objects.get(pk=event.pk).registrations.get().reminder_sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_greek_member_gets_the_reminder_calendar_file_in_greek():
    from forums.tasks import send_event_reminders

    person = PersonFactory(preferred_language="el")
    starts = timezone.now() + timedelta(hours=20)
    event = EventFactory(
        title="Webinar on the AI Act",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        translations={"el": {"title": GREEK_TITLE, "description": "Για τους παρόχους."}},
    )
    RegistrationFactory(event=event, person=person, status=Registration.Status.CONFIRMED)
    with translation.override("en"):  # a worker's default, whoever asked before
        send_event_reminders.apply()
    filename, ics, mimetype = mail.outbox[0].attachments[0]
    assert mimetype.startswith("text/calendar")
    unfolded = ics.replace("\r\n ", "")
    assert f"SUMMARY:{GREEK_TITLE}" in unfolded
    assert "Webinar on the AI Act" not in unfolded
