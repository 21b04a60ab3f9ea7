"""Subscriptions to updates (double opt-in, preferences, one-click unsubscribe) and mailings
to topics and segments (consent, suppression, language, figures, timeline)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from crm.mailings import sending, services
from crm.mailings.models import Mailing, MailingRecipient, Subscription, Suppression, Topic
from crm.mailings.tokens import preferences_token, unsubscribe_token
from crm.models import Consent, Person, Tag
from crm.services import consent_give

from .factories import PersonFactory, make_staff

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<>]+")


def _links(message, fragment: str) -> list[str]:
    return [url for url in LINK.findall(message.body) if fragment in url]


@pytest.fixture(autouse=True)
def work_runs_at_once(monkeypatch):
    """The test's transaction never commits: run what waits for the commit at once (emails,
    the mailing's tasks, which run eagerly)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def topic():
    services.topics_ensure_defaults()
    return Topic.objects.get(code="ai-pact")


@pytest.fixture
def other_topic():
    services.topics_ensure_defaults()
    return Topic.objects.get(code="events")


def _subscriber(topic, *, email="ana@example.eu", language="en", **person) -> Person:
    subscription = services.subscription_request(email=email, language=language, topics=[topic])
    return services.subscription_confirm(subscription=subscription).person


def _topic_mailing(staff, topic, **texts) -> Mailing:
    return services.mailing_save(
        user=staff,
        name="December news",
        subject=texts.get("subject", "News of the AI Pact"),
        body=texts.get("body", "Hello,\n\n**Bold** news: [read](https://example.eu/news)."),
        translations=texts.get("translations", {}),
        audience=f"topic:{topic.pk}",
    )


def _send(staff, mailing) -> Mailing:
    services.mailing_schedule(user=staff, mailing=mailing)
    mailing.refresh_from_db()
    return mailing


# --- double opt-in -----------------------------------------------------------------------


def test_the_default_topics_are_there():
    services.topics_ensure_defaults()
    assert set(Topic.objects.values_list("code", flat=True)) >= {
        "ai-pact",
        "events",
        "calls-for-experts",
        "codes-of-practice",
    }


def test_subscribing_sends_a_confirmation_in_the_chosen_language_and_records_nothing_yet(
    client, topic
):
    response = client.post(
        reverse("updates:subscribe"),
        {"email": "Ana@Example.eu", "topics": [topic.pk], "language": "fr", "agree": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("updates:requested")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Ana@Example.eu"]
    assert "Confirmez" in message.subject or message.extra_headers.get("Content-Language") == "fr"
    assert not Person.objects.filter(email__iexact="ana@example.eu").exists()
    assert not Consent.objects.exists()
    subscription = Subscription.objects.get()
    assert subscription.status == Subscription.Status.PENDING

    link = _links(message, "/updates/confirm/")[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert not Consent.objects.exists()  # opening the page alone confirms nothing (link scanners)
    confirmed = client.post("/" + path)
    assert confirmed.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    person = subscription.person
    assert person.email == "Ana@Example.eu" and person.preferred_language == "fr"
    consent = Consent.objects.get(person=person)
    assert consent.purpose == Consent.Purpose.NEWSLETTER
    assert consent.notice_version and consent.withdrawn_at is None
    assert AuditEntry.objects.filter(action="crm.subscription.confirmed").exists()


def test_the_form_refuses_bad_input_and_changes_nothing(client, topic):
    response = client.post(
        reverse("updates:subscribe"), {"email": "not-an-email", "language": "en"}
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists() and not mail.outbox
    response = client.post(
        reverse("updates:subscribe"),
        {"email": "a@example.eu", "topics": [topic.pk], "language": "en"},
    )
    assert response.status_code == 400  # no agreement ticked
    assert not Subscription.objects.exists()


def test_asking_again_soon_sends_no_second_email_and_an_active_address_only_gets_a_link(
    topic, other_topic
):
    services.subscription_request(email="b@example.eu", language="en", topics=[topic])
    services.subscription_request(email="b@example.eu", language="en", topics=[topic])
    assert len(mail.outbox) == 1
    person = services.subscription_confirm(subscription=Subscription.objects.get()).person
    mail.outbox.clear()
    Subscription.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=1))
    services.subscription_request(email="B@example.eu", language="de", topics=[other_topic])
    subscription = Subscription.objects.get()
    assert list(subscription.topics.all()) == [topic]  # a stranger cannot change it
    assert len(mail.outbox) == 1 and "/updates/preferences/" in mail.outbox[0].body
    assert person.preferred_language == "en"


def test_a_confirmation_link_that_was_tampered_with_or_expired_is_refused(
    client, topic, monkeypatch
):
    import time

    from crm.mailings import tokens

    subscription = services.subscription_request(
        email="c@example.eu", language="en", topics=[topic]
    )
    assert client.get(reverse("updates:confirm", kwargs={"token": "12:nope"})).status_code == 404
    token = tokens.confirm_token(subscription)
    later = time.time() + 15 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = client.post(reverse("updates:confirm", kwargs={"token": token}))
    assert response.status_code == 404
    assert "expired" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING


# --- preferences and unsubscribing without signing in -------------------------------------


def test_the_preferences_link_changes_topics_and_language_without_signing_in(
    client, topic, other_topic
):
    person = _subscriber(topic)
    url = reverse("updates:preferences", kwargs={"token": preferences_token(person)})
    assert client.get(url).status_code == 200
    response = client.post(url, {"topics": [other_topic.pk], "language": "de"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.preferred_language == "de"
    assert list(person.subscription.topics.all()) == [other_topic]
    forged = url.replace(preferences_token(person), f"{person.pk}:forged")
    assert client.get(forged).status_code == 404


def test_leaving_from_the_preferences_page_stops_every_mailing(client, topic):
    person = _subscriber(topic)
    url = reverse("updates:preferences", kwargs={"token": preferences_token(person)})
    client.post(url, {"leave": "1"})
    person.subscription.refresh_from_db()
    assert person.subscription.status == Subscription.Status.LEFT
    assert not Consent.objects.filter(person=person, withdrawn_at__isnull=True).exists()
    assert services.is_suppressed(person.email)


def test_signed_in_people_manage_their_updates_on_their_account(client, representative, topic):
    client.force_login(representative)
    response = client.get(reverse("me:updates"))
    assert response.status_code == 200
    client.post(reverse("me:updates"), {"topics": [topic.pk], "language": "it"})
    person = representative.person
    person.refresh_from_db()
    assert person.subscription.status == Subscription.Status.ACTIVE
    assert person.preferred_language == "it"
    assert Consent.objects.filter(person=person, purpose="newsletter", withdrawn_at=None).exists()


# --- mailings: audience, consent, suppression, language ----------------------------------


@pytest.fixture
def officer(db):
    return make_staff("Pact officer")


def test_a_topic_mailing_reaches_confirmed_subscribers_with_consent_only(officer, topic):
    reached = _subscriber(topic, email="reached@example.eu")
    withdrawn = _subscriber(topic, email="withdrawn@example.eu")
    Consent.objects.filter(person=withdrawn).update(withdrawn_at=timezone.now())
    services.subscription_request(email="pending@example.eu", language="en", topics=[topic])
    suppressed = _subscriber(topic, email="suppressed@example.eu")
    Suppression.objects.create(
        email_hash=sending.email_digest(suppressed.email), reason=Suppression.Reason.HARD_FAILURE
    )
    mailing = _topic_mailing(officer, topic)
    assert sending.audience_preview(mailing)["count"] == 1
    mail.outbox.clear()
    mailing = _send(officer, mailing)
    assert mailing.status == Mailing.Status.SENT
    assert [m.to for m in mail.outbox] == [[reached.email]]
    assert list(mailing.recipients.values_list("person", flat=True)) == [reached.pk]


def test_each_recipient_gets_their_language_and_english_where_none_is_given(officer, topic):
    french = _subscriber(topic, email="fr@example.eu", language="fr")
    finnish = _subscriber(topic, email="fi@example.eu", language="fi")
    mailing = _topic_mailing(
        officer,
        topic,
        translations={"fr": {"subject": "Nouvelles du pacte", "body": "Bonjour, **nouvelles**."}},
    )
    mail.outbox.clear()
    _send(officer, mailing)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[french.email].subject.endswith("Nouvelles du pacte")
    assert "<strong>nouvelles</strong>" in by_address[french.email].alternatives[0][0]
    assert by_address[french.email].extra_headers["Content-Language"] == "fr"
    assert by_address[finnish.email].subject.endswith("News of the AI Pact")
    assert by_address[finnish.email].extra_headers["Content-Language"] == "fi"
    # The layout around the text is in the person's language.
    from django.utils import translation

    with translation.override("fi"):
        footer = translation.gettext("Change what you receive")
    assert footer != "Change what you receive"
    assert footer in by_address[finnish.email].body


def test_every_email_carries_one_click_unsubscribe_headers_that_work_without_signing_in(
    client, officer, topic
):
    person = _subscriber(topic)
    mailing = _topic_mailing(officer, topic)
    mail.outbox.clear()
    _send(officer, mailing)
    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = header.strip("<>")
    assert url in message.body
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    # RFC 8058: the mail program POSTs this body, with no cookie and no CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert services.is_suppressed(person.email)
    assert Subscription.objects.get(person=person).status == Subscription.Status.LEFT
    assert sending.mailing_figures(mailing)["unsubscribed_after"] == 1
    # A second mailing skips them.
    _subscriber(topic, email="other@example.eu")
    mail.outbox.clear()
    _send(officer, _topic_mailing(officer, topic))
    assert [m.to for m in mail.outbox] == [["other@example.eu"]]


def test_the_unsubscribe_page_asks_before_it_acts(client, officer, topic):
    person = _subscriber(topic)
    mailing = _send(officer, _topic_mailing(officer, topic))
    recipient = mailing.recipients.get()
    url = reverse("updates:unsubscribe", kwargs={"token": unsubscribe_token(recipient.pk)})
    page = client.get(url)
    assert page.status_code == 200 and not services.is_suppressed(person.email)
    assert "example.eu" in page.content.decode() and person.email not in page.content.decode()
    done = client.post(url)
    assert done.status_code == 200 and services.is_suppressed(person.email)
    bad = reverse("updates:unsubscribe", kwargs={"token": f"{recipient.pk}:forged"})
    assert client.post(bad, {"List-Unsubscribe": "One-Click"}).status_code == 404


def test_subscribing_again_lifts_the_unsubscription(officer, topic):
    person = _subscriber(topic)
    services.subscription_leave(person=person)
    assert services.is_suppressed(person.email)
    _subscriber(topic, email=person.email)
    assert not services.is_suppressed(person.email)


def test_a_segment_mailing_needs_the_consent_its_purpose_needs(officer):
    tag = Tag.objects.create(name="Webinar speakers")
    with_consent, without = PersonFactory(), PersonFactory()
    for person in (with_consent, without):
        person.tags.add(tag)
    consent_give(person=with_consent, purpose="pact_network", privacy_notice="AI Pact network")
    network = services.mailing_save(
        user=officer,
        name="Network news",
        subject="News",
        body="Hello",
        translations={},
        audience=f"segment:crm_tag:{tag.pk}",
        purpose=Mailing.Purpose.PACT_NETWORK,
    )
    assert sending.audience_preview(network)["count"] == 1
    mail.outbox.clear()
    _send(officer, network)
    assert [m.to for m in mail.outbox] == [[with_consent.email]]
    participation = services.mailing_save(
        user=officer,
        name="Practical details",
        subject="Details",
        body="Hello",
        translations={},
        audience=f"segment:crm_tag:{tag.pk}",
        purpose=Mailing.Purpose.PARTICIPATION,
    )
    assert sending.audience_preview(participation)["count"] == 2


def test_a_segment_the_role_may_not_use_is_refused(topic):
    from core.errors import DomainError

    events_manager = make_staff("Events manager")
    with pytest.raises(DomainError):
        services.mailing_save(
            user=events_manager,
            name="x",
            subject="x",
            body="x",
            translations={},
            audience="segment:pact_overdue:",
            purpose=Mailing.Purpose.PARTICIPATION,
        )
    assert not Mailing.objects.exists()


def test_each_mailing_is_in_every_recipients_timeline_and_the_audit(client, officer, topic):
    person = _subscriber(topic)
    mailing = _send(officer, _topic_mailing(officer, topic))
    entry = AuditEntry.objects.get(action="crm.mailing.received", subject_id=str(person.pk))
    assert entry.actor == officer and entry.data["mailing"] == mailing.pk
    for action in ("crm.mailing.scheduled", "crm.mailing.started", "crm.mailing.sent"):
        assert AuditEntry.objects.filter(action=action, subject_id=str(mailing.pk)).exists()
    client.force_login(officer)
    page = client.get(reverse("crm:person_detail", kwargs={"pk": person.pk})).content.decode()
    assert (
        "News of the AI Pact" in page
        and reverse("crm:mailing_detail", kwargs={"pk": mailing.pk}) in page
    )


def test_a_scheduled_mailing_waits_for_its_time(officer, topic):
    from crm.mailings.tasks import send_due_mailings

    _subscriber(topic)
    mailing = _topic_mailing(officer, topic)
    services.mailing_schedule(
        user=officer, mailing=mailing, send_at=timezone.now() + timedelta(hours=1)
    )
    mail.outbox.clear()
    send_due_mailings()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SCHEDULED and not mail.outbox
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    send_due_mailings()
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT and len(mail.outbox) == 1


def test_cancelling_a_scheduled_mailing_makes_it_a_draft_again(officer, topic):
    mailing = _topic_mailing(officer, topic)
    services.mailing_schedule(
        user=officer, mailing=mailing, send_at=timezone.now() + timedelta(hours=1)
    )
    mailing = services.mailing_cancel(user=officer, mailing=mailing)
    assert mailing.status == Mailing.Status.DRAFT and mailing.send_at is None


# --- a worker that dies mid-batch -------------------------------------------------------


def test_rows_of_a_dead_worker_are_sent_once_and_the_one_in_flight_never_twice(officer, topic):
    """What a worker killed mid-batch leaves: rows it claimed but never reached, and the one
    it was handing to the mail server. Once the lease runs out, the next worker sends the
    first kind and fails the second; nobody is sent the mailing twice."""
    people = [_subscriber(topic, email=f"p{n}@example.eu") for n in range(5)]
    mailing = _topic_mailing(officer, topic)
    services.mailing_schedule(user=officer, mailing=mailing)
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SCHEDULED)
    MailingRecipient.objects.all().delete()
    assert sending.mailing_start(mailing_id=mailing.pk)
    rows = list(mailing.recipients.order_by("pk"))
    past = timezone.now() - timedelta(seconds=1)
    # The dead worker: sent rows[0], was handing over rows[1], had claimed rows[2:4].
    MailingRecipient.objects.filter(pk=rows[0].pk).update(status="sent", sent_at=past)
    MailingRecipient.objects.filter(pk=rows[1].pk).update(status="handing_over", lease_until=past)
    MailingRecipient.objects.filter(pk__in=[r.pk for r in rows[2:4]]).update(
        status="claimed", lease_until=past
    )
    mail.outbox.clear()
    sending.mailing_send_batches(mailing_id=mailing.pk)
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted(p.email for p in people[2:])
    statuses = dict(mailing.recipients.values_list("person_id", "status"))
    assert statuses[people[1].pk] == "failed"
    assert mailing.recipients.get(person=people[1]).error.startswith(sending.INTERRUPTED)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    # Running the batches again sends nothing more.
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING)
    mail.outbox.clear()
    sending.mailing_send_batches(mailing_id=mailing.pk)
    assert mail.outbox == []


def test_a_refusal_by_the_mail_server_fails_the_row_and_suppresses_the_address(
    officer, topic, monkeypatch
):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    refused = _subscriber(topic, email="gone@example.eu")
    fine = _subscriber(topic, email="fine@example.eu")
    original = EmailBackend.send_messages

    def send_messages(self, messages):
        if messages[0].to == [refused.email]:
            raise smtplib.SMTPRecipientsRefused({refused.email: (550, b"No such user")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    mail.outbox.clear()
    mailing = _send(officer, _topic_mailing(officer, topic))
    assert [m.to for m in mail.outbox] == [[fine.email]]
    row = mailing.recipients.get(person=refused)
    assert row.status == "failed" and "550" in row.error
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_FAILURE
    assert sending.mailing_figures(mailing)["failed"] == 1


# --- the back office --------------------------------------------------------------------


def test_staff_compose_preview_test_and_send_through_the_pages(client, officer, topic):
    _subscriber(topic, email="reader@example.eu", language="de")
    client.force_login(officer)
    assert client.get(reverse("crm:mailing_list")).status_code == 200
    form = {
        "name": "Launch",
        "audience": f"topic:{topic.pk}",
        "texts-en-subject": "The launch",
        "texts-en-body": "## Big news\n\n- one\n- two",
        "texts-de-subject": "Der Start",
        "texts-de-body": "Große Neuigkeiten",
    }
    response = client.post(reverse("crm:mailing_create"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    mailing = Mailing.objects.get()
    assert mailing.translations["de"]["subject"] == "Der Start"
    detail = client.get(reverse("crm:mailing_detail", kwargs={"pk": mailing.pk}))
    page = detail.content.decode()
    assert "reader@example.eu" in page  # the sample
    assert (
        client.get(reverse("crm:mailing_detail", kwargs={"pk": mailing.pk}) + "?language=de")
        .content.decode()
        .count("Der Start")
    )
    preview = client.get(reverse("crm:mailing_preview", kwargs={"pk": mailing.pk}) + "?language=de")
    assert "Große Neuigkeiten" in preview.content.decode()
    mail.outbox.clear()
    client.post(reverse("crm:mailing_test", kwargs={"pk": mailing.pk}), {"language": "de"})
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert "[Test]" in mail.outbox[0].subject
    mail.outbox.clear()
    response = client.post(reverse("crm:mailing_send", kwargs={"pk": mailing.pk}), {"when": "now"})
    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert [m.to for m in mail.outbox] == [["reader@example.eu"]]
    recipients = client.get(reverse("crm:mailing_recipients", kwargs={"pk": mailing.pk}))
    assert "reader@example.eu" in recipients.content.decode()


def test_the_compose_form_refuses_what_it_cannot_send(client, officer, topic):
    client.force_login(officer)
    response = client.post(
        reverse("crm:mailing_create"),
        {"name": "x", "audience": "segment:no_such:", "texts-en-subject": "", "texts-en-body": ""},
    )
    assert response.status_code == 400
    assert not Mailing.objects.exists()


def test_scheduling_in_the_past_is_refused(client, officer, topic):
    client.force_login(officer)
    mailing = _topic_mailing(officer, topic)
    client.post(
        reverse("crm:mailing_send", kwargs={"pk": mailing.pk}),
        {"when": "later", "send_at": "2020-01-01T10:00"},
    )
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_people_without_the_role_cannot_reach_mailings(client, representative, topic):
    officer = make_staff("Pact officer")
    mailing = _topic_mailing(officer, topic)
    client.force_login(representative)
    for name in ("crm:mailing_list", "crm:mailing_create"):
        assert client.get(reverse(name)).status_code in (302, 403)
    response = client.post(reverse("crm:mailing_send", kwargs={"pk": mailing.pk}), {"when": "now"})
    assert response.status_code in (302, 403)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


# --- personal data ----------------------------------------------------------------------


def test_export_and_erasure_cover_subscriptions_and_mailings_received(officer, topic):
    from crm.registry import person_data

    person = _subscriber(topic)
    _send(officer, _topic_mailing(officer, topic))
    exported = person_data.export(person=person)["crm"]
    assert exported["subscription"]["topics"] == ["ai-pact"]
    assert exported["mailings_received"][0]["mailing__subject"] == "News of the AI Pact"
    coordinator = make_staff("Data-protection coordinator")
    person_data.erase(person=person, actor=coordinator)
    assert not Subscription.objects.exists()
    assert not MailingRecipient.objects.filter(email="ana@example.eu").exists()
    assert MailingRecipient.objects.count() == 1  # still counted in the mailing's figures
    assert services.is_suppressed("ana@example.eu") is False


def test_the_cron_command_starts_due_mailings(officer, topic):
    from django.core.management import call_command

    _subscriber(topic)
    mailing = _topic_mailing(officer, topic)
    services.mailing_schedule(
        user=officer, mailing=mailing, send_at=timezone.now() + timedelta(hours=1)
    )
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    mail.outbox.clear()
    call_command("send_due_mailings")
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT and len(mail.outbox) == 1


def test_one_network_cannot_flood_addresses_with_confirmation_requests(client, topic, settings):
    from crm.mailings.views import REQUESTS_PER_HOUR

    for n in range(REQUESTS_PER_HOUR):
        client.post(
            reverse("updates:subscribe"),
            {"email": f"v{n}@example.eu", "topics": [topic.pk], "language": "en", "agree": "on"},
        )
    response = client.post(
        reverse("updates:subscribe"),
        {"email": "one-more@example.eu", "topics": [topic.pk], "language": "en", "agree": "on"},
    )
    assert response.status_code == 429
    assert not Subscription.objects.filter(email="one-more@example.eu").exists()


def test_the_formatted_text_escapes_html_and_keeps_links_and_emphasis():
    from crm.mailings.text import to_html, to_plain

    text = "## Title\n\n<script>x</script> **bold** *it* [site](https://example.eu)\n\n- a\n- b"
    html = to_html(text)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Title</h2>" in html and "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert (
        '<a href="https://example.eu">site</a>' in html and "<ul><li>a</li><li>b</li></ul>" in html
    )
    assert "[site](javascript:alert(1))" in to_html("[site](javascript:alert(1))")
    assert "site <https://example.eu>" in to_plain(text)
