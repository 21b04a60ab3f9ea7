"""Terms of members: renewals within the limits, ending, the periodic end of expired terms and
the reminder 60 days before a term ends."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from forums import services
from forums.models import Membership
from tests.crm.factories import UserFactory, make_staff

from .factories import BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return make_staff("Body secretariat")


def test_a_term_is_renewed_until_the_maximum_total_service(secretariat):
    body = BodyFactory(term_months=24, max_service_months=48)
    membership = MembershipFactory(
        body=body, term_start=date(2025, 1, 1), term_end=date(2026, 12, 31)
    )
    renewed = services.membership_renew(user=secretariat, membership=membership)
    assert renewed.term_end == date(2028, 12, 31)
    with pytest.raises(DomainError) as info:
        services.membership_renew(user=secretariat, membership=renewed)
    assert info.value.code == "max_service"
    renewed.refresh_from_db()
    assert renewed.term_end == date(2028, 12, 31)


def test_earlier_memberships_count_towards_the_total_service(secretariat):
    body = BodyFactory(term_months=24, max_service_months=48)
    earlier = MembershipFactory(
        body=body,
        term_start=date(2020, 1, 1),
        term_end=date(2021, 12, 31),
        status="ended",
    )
    current = MembershipFactory(
        body=body, person=earlier.person, term_start=date(2025, 1, 1), term_end=date(2026, 12, 31)
    )
    with pytest.raises(DomainError):
        services.membership_renew(user=secretariat, membership=current)


def test_a_body_without_a_service_limit_renews_without_end(secretariat):
    body = BodyFactory(term_months=24, max_service_months=None)
    membership = MembershipFactory(
        body=body, term_start=date(2020, 1, 1), term_end=date(2021, 12, 31)
    )
    for _ in range(4):
        membership = services.membership_renew(user=secretariat, membership=membership)
    assert membership.term_end == date(2029, 12, 31)


def test_a_member_resigns_with_a_reason_and_the_membership_is_no_longer_active(secretariat):
    membership = MembershipFactory(term_end=timezone.localdate() + timedelta(days=300))
    ended = services.membership_end(
        user=secretariat, membership=membership, status="resigned", reason="New position"
    )
    assert (ended.status, ended.ceased_reason) == ("resigned", "New position")
    assert ended.ceased_on == timezone.localdate()
    with pytest.raises(DomainError):
        services.membership_renew(user=secretariat, membership=ended)
    with pytest.raises(DomainError):
        services.membership_end(user=secretariat, membership=ended, status="active")


def test_expired_terms_end_and_reminders_go_once_60_days_before(
    mailoutbox, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    expired = MembershipFactory(
        term_start=today - timedelta(days=800), term_end=today - timedelta(days=1)
    )
    ending = MembershipFactory(
        term_start=today - timedelta(days=600), term_end=today + timedelta(days=59)
    )
    later = MembershipFactory(term_start=today, term_end=today + timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("end_expired_memberships", stdout=io.StringIO())
    expired.refresh_from_db()
    assert (expired.status, expired.ceased_on) == ("ended", expired.term_end)
    assert [m.to for m in mailoutbox] == [[ending.person.email]]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.membership_term_reminders_send() == 0
    assert Membership.objects.get(pk=later.pk).status == "active"


def test_members_see_their_bodies_terms_and_meetings_on_me(client):
    from django.urls import reverse

    from forums.models import Event
    from tests.crm.factories import PersonFactory, UserFactory

    from .factories import EventFactory

    user = UserFactory()
    body = BodyFactory(name="Panel of experts")
    MembershipFactory(
        body=body,
        person=PersonFactory(user=user, email=user.email),
        term_end=timezone.localdate() + timedelta(days=300),
    )
    EventFactory(title="Panel meeting", programme=Event.Programme.EXPERT_BODY, body=body)
    client.force_login(user)
    page = client.get(reverse("me:dashboard")).content.decode()
    assert "Panel of experts" in page and "Panel meeting" in page


def test_only_the_secretariat_renews_or_ends_a_membership(client):
    membership = MembershipFactory(
        body=BodyFactory(term_months=24), term_end=timezone.localdate() + timedelta(days=30)
    )
    for user in (make_staff("Events manager"), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.membership_renew(user=user, membership=membership)
        with pytest.raises(PermissionDenied):
            services.membership_end(user=user, membership=membership, status="ended")
    membership.refresh_from_db()
    assert membership.status == "active"
    client.force_login(make_staff("Events manager"))
    url = reverse("forums_bodies_staff:membership_change", args=[membership.pk])
    assert client.post(url, {"action": "end", "status": "ended"}).status_code == 403


def test_the_secretariat_renews_and_ends_from_the_body_page(client, secretariat):
    body = BodyFactory(term_months=24)
    end = timezone.localdate() + timedelta(days=30)
    membership = MembershipFactory(body=body, term_end=end)
    client.force_login(secretariat)
    page = client.get(reverse("forums_bodies_staff:body_detail", args=[body.pk])).content.decode()
    url = reverse("forums_bodies_staff:membership_change", args=[membership.pk])
    assert url in page
    assert membership.person.full_name in client.get(url).content.decode()

    response = client.post(url, {"action": "renew"}, follow=True)
    membership.refresh_from_db()
    assert membership.term_end > end
    assert "renewed" in response.content.decode()

    response = client.post(url, {"action": "end", "status": "bogus"})
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.status == "active"

    client.post(url, {"action": "end", "status": "resigned", "reason": "New position"})
    membership.refresh_from_db()
    assert (membership.status, membership.ceased_reason) == ("resigned", "New position")
    assert client.get(url).status_code == 404  # no longer active


def test_the_body_elects_a_chair_for_a_term_of_their_own(client, secretariat):
    body = BodyFactory(term_months=24)
    today = timezone.localdate()
    chair = MembershipFactory(body=body, term_end=today + timedelta(days=700))
    other = MembershipFactory(body=body, term_end=today + timedelta(days=700))
    client.force_login(secretariat)
    url = reverse("forums_bodies_staff:membership_change", args=[chair.pk])
    until = today + timedelta(days=365)
    response = client.post(
        url, {"action": "role", "role": "chair", "role_until": until.isoformat()}
    )
    assert response.status_code == 302
    chair.refresh_from_db()
    assert (chair.role, chair.role_since, chair.role_until) == ("chair", today, until)

    # One chair at a time: the second is refused with the holder's name, and nothing changes.
    response = client.post(
        reverse("forums_bodies_staff:membership_change", args=[other.pk]),
        {"action": "role", "role": "chair"},
    )
    assert response.status_code == 400
    assert chair.person.full_name in response.content.decode()
    other.refresh_from_db()
    assert other.role == "member"

    # A role cannot outlast the membership's term, and a bad date is a message, not a 500.
    for bad in ((today + timedelta(days=800)).isoformat(), "31/02/2027"):
        response = client.post(url, {"action": "role", "role": "chair", "role_until": bad})
        assert response.status_code == 400
    chair.refresh_from_db()
    assert chair.role_until == until

    # When the role's own term is over, the member stays, as a member.
    services.memberships_expire(today=until + timedelta(days=1))
    chair.refresh_from_db()
    assert (chair.status, chair.role, chair.role_until) == ("active", "member", None)


def test_two_co_chairs_at_most_and_only_the_secretariat_records_roles(secretariat):
    body = BodyFactory()
    first, second, third = (MembershipFactory(body=body) for _ in range(3))
    for membership in (first, second):
        services.membership_role_set(user=secretariat, membership=membership, role="co_chair")
    with pytest.raises(DomainError) as refused:
        services.membership_role_set(user=secretariat, membership=third, role="co_chair")
    assert refused.value.code == "role_taken"
    with pytest.raises(PermissionDenied):
        services.membership_role_set(
            user=make_staff("Events manager"), membership=third, role="rapporteur"
        )
    third.refresh_from_db()
    assert third.role == "member"
