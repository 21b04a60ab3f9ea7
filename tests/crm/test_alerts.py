"""Staff hear about new work at once, in a daily digest, or not at all, as they chose."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crm import services
from crm.alerts import staff_digest_send
from crm.models import StaffAlertSetting
from tests.crm.factories import OrganisationFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db


def test_officers_who_chose_immediate_alerts_hear_of_a_request_at_once(
    django_capture_on_commit_callbacks,
):
    immediate, daily = make_staff("Pact officer"), make_staff("Pact officer")
    events_manager = make_staff("Events manager")
    StaffAlertSetting.objects.create(user=immediate, frequency="immediate")
    StaffAlertSetting.objects.create(user=events_manager, frequency="immediate")
    organisation = OrganisationFactory(name="Nordic Vision AI")
    requester = UserFactory(first_name="Ines", last_name="Costa")
    with django_capture_on_commit_callbacks(execute=True):
        services.affiliation_request(user=requester, organisation=organisation)
    to_staff = [m for m in mail.outbox if m.to != [requester.email]]
    assert [m.to for m in to_staff] == [[immediate.email]]
    assert "Ines Costa asks to represent Nordic Vision AI" in to_staff[0].subject
    assert "/crm/representatives/" in to_staff[0].body
    assert daily.email not in {a for m in mail.outbox for a in m.to}


def test_the_daily_digest_lists_each_queue_a_member_may_work_on_once_a_day(
    django_capture_on_commit_callbacks,
):
    from crm.models import Affiliation
    from tests.crm.factories import AffiliationFactory

    officer = make_staff("Pact officer")
    make_staff("Events manager")  # no queue of theirs waits: no digest
    AffiliationFactory(status=Affiliation.Status.REQUESTED, is_representative=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_digest_send() == 1
    (digest,) = mail.outbox
    assert digest.to == [officer.email]
    assert "Representatives to confirm: 1" in digest.body
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_digest_send() == 0  # not twice the same day
        later = timezone.now() + datetime.timedelta(days=1)
        assert staff_digest_send(now=later) == 1


def test_staff_who_chose_no_emails_get_none(django_capture_on_commit_callbacks):
    from crm.models import Affiliation
    from tests.crm.factories import AffiliationFactory

    officer = make_staff("Pact officer")
    StaffAlertSetting.objects.create(user=officer, frequency="none")
    AffiliationFactory(status=Affiliation.Status.REQUESTED, is_representative=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_digest_send() == 0
    assert mail.outbox == []


def test_staff_choose_their_alerts_and_see_what_waits_on_the_dashboard(client):
    from crm.models import Affiliation
    from tests.crm.factories import AffiliationFactory

    officer = make_staff("Pact officer")
    AffiliationFactory(status=Affiliation.Status.REQUESTED, is_representative=True)
    client.force_login(officer)
    text = client.get("/crm/").content.decode()
    assert "Representatives to confirm" in text and "Pledges to review" in text
    response = client.post("/crm/alerts/", {"frequency": "immediate"})
    assert response.status_code == 302
    assert StaffAlertSetting.objects.get(user=officer).frequency == "immediate"
    assert client.post("/crm/alerts/", {"frequency": "hourly"}).status_code == 200
    assert StaffAlertSetting.objects.get(user=officer).frequency == "immediate"
