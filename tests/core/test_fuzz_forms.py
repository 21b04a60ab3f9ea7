"""Hostile values in every form: no 500, and nothing changes unless the form succeeded.

Walks every URL pattern of the project (the resolver's list, as tests/core/test_access.py
does, so a new URL is walked too) that accepts POST, as a user who may use it, with the ids in
the URL pointing at real seeded objects, and posts random and hostile values (huge strings,
NUL bytes, any Unicode, 30-digit and negative numbers, formulas, markup, wrong types, missing
fields) drawn by hypothesis. Then every GET page answers 30-digit ids in its path and query
with a 404 or a form error.
"""

import importlib
import re

import pytest
from django import forms
from django.apps import apps
from django.urls import URLPattern
from django.utils.text import slugify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.access import LOGIN, PUBLIC, STAFF
from core.jobs import job_enqueue
from crm.models import Affiliation, Person
from forums import services as forum_services
from forums.models import Event, EventInvitation
from pact import services as pact_services
from pact.models import Commitment, NetworkMembership
from tests.conftest import SignInClient
from tests.core.test_access import _our_patterns
from tests.crm.factories import (
    AffiliationFactory,
    OrganisationFactory,
    UserFactory,
    make_representative,
    make_staff,
)
from tests.forums.factories import EventFactory
from tests.pact.factories import make_pledge

pytestmark = pytest.mark.django_db

HUGE_ID = "9" * 30
# Written when a page is read, not by the form: the session of a sign-in, and the access log
# of who viewed whose personal data (a refused form re-displays the record it belongs to).
READ_SIDE_MODELS = {"sessions.Session", "core.AccessLogEntry", "core.AccessLogPerson"}
DECISIONS = ["publish", "return", "reject", "confirm", "refuse", "accept", "example"]
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    HUGE_ID,
    "-" + HUGE_ID,
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "1e309",
    "NaN",
    "-inf",
    "0x1F",
    '=HYPERLINK("https://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "../../../etc/passwd",
    "x" * 100_000,
    "Ω≈ç√∫ 漢字 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e\u200b",
    "\r\n\t",
    "2026-02-30",
    "31/12/2026",
    "99999-12-31",
    "on",
    "true",
    "[]",
    "{}",
    "https://evil.example/",
    "javascript:alert(1)",
    "not-an-email@",
]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
scalar = st.one_of(
    st.sampled_from(HOSTILE),
    text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
SWEEP = [HUGE_ID, "-" + HUGE_ID, "9223372036854775808", "\x00", "x" * 5_000, "=1+1"]
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))


def _declared_field_names() -> set[str]:
    """Names of every field of every form the project declares."""
    names = set()
    for app in ("core", "crm", "pact", "forums", "reports"):
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, forms.BaseForm):
                names.update(getattr(item, "base_fields", {}))
    return names


@pytest.fixture
def world(client):
    """Organisations A and B with a representative (acting for both), a member, staff with
    every role, and an object of every kind that URLs name."""
    staff = make_staff(
        "Pact officer", "Body secretariat", "Events manager", "Data-protection coordinator"
    )
    organisation_a, organisation_b, organisation_c = (OrganisationFactory() for _ in range(3))
    representative = make_representative(organisation_a)
    person = Person.objects.get(user=representative)
    for organisation in (organisation_b, organisation_c):
        AffiliationFactory(person=person, organisation=organisation, is_representative=True)
    member = UserFactory()
    AffiliationFactory(
        person=Person.objects.create(
            user=member, email=member.email, first_name="Mia", last_name="Member"
        ),
        organisation=organisation_a,
    )
    requested = AffiliationFactory(
        organisation=organisation_a,
        is_representative=True,
        status=Affiliation.Status.REQUESTED,
    )

    draft = make_pledge(organisation_a, representative)
    published = make_pledge(organisation_b, representative, status="published", reviewer=staff)
    submitted = make_pledge(organisation_c, representative, status="submitted")
    report = pact_services.progress_report_start(
        user=representative, pledge=published, today=published.next_report_due
    )
    membership = pact_services.network_join(
        user=representative,
        organisation=organisation_a,
        interests=[NetworkMembership.Interest.values[0]],
        contact_email="network@example.org",
    )

    event = EventFactory()
    invitation_only = EventFactory(audience=Event.Audience.INVITED)
    registrations = [
        forum_services.registration_create(user=user, event=event)
        for user in (representative, member)
    ]
    invitation = EventInvitation.objects.create(event=invitation_only or event, person=person)
    from forums.models import AgendaItem, Material

    agenda_item = AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Talk")
    material = Material.objects.create(
        event=event, title="Recording", url="https://video.example.eu/1", release="now"
    )

    from tests.forums.factories import MembershipFactory

    body_membership = MembershipFactory(person=person)

    job = job_enqueue(kind="reports.pledge_pdf", user=representative, subject=published)
    from reports.models import ReportRequest, SavedReport

    report_request = ReportRequest.objects.create(kind="pact_overview", language="en")
    saved_report = SavedReport.objects.create(name="Overview", kind="pact_overview", language="en")

    from crm.models import MergeRecord, RegisterRefresh

    merge_record = MergeRecord.objects.create(
        kind="person",
        survivor_id=person.pk,
        loser_id=10**9,
        survivor_label="A",
        loser_label="A twin",
        loser_snapshot={"fields": {}, "links": {}},
    )
    register_refresh = RegisterRefresh.objects.create(file_name="register.csv")

    by_segment = {
        "merges": [merge_record.pk],
        "register": [register_refresh.pk],
        "pledges": [draft.pk, published.pk, submitted.pk],
        "signatories": [published.pk],
        "reports": [report.pk],
        "progress-reports": [report.pk],
        "catalogue": list(Commitment.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "events": [event.pk, invitation_only.pk],
        "invitations": [invitation.pk],
        "agenda": [agenda_item.pk],
        "materials": [material.pk],
        "registrations": [registration.pk for registration in registrations],
        "check-in": [registration.pk for registration in registrations],
        "organisations": [organisation_a.pk, organisation_b.pk],
        "organisation": [organisation_a.pk, organisation_b.pk],  # a pair to merge
        "person": [person.pk, requested.person_id],
        "people": [person.pk, requested.person_id],
        "representatives": [requested.pk],
        "network": [membership.pk],
        "jobs": [str(job.pk)],
        "requests": [report_request.pk],
        "saved": [saved_report.pk],
        "new": ["event_participation", "pact_overview"],
        "bodies": ["scientific-panel", "no-such-body"],
        "members": [body_membership.pk],
    }
    return {
        "users": {PUBLIC: [None], LOGIN: [representative, member], STAFF: [staff]},
        "by_segment": by_segment,
    }


def _segment_before(route: str, parameter: str) -> str:
    """`crm/events/<int:pk>/invitations/<int:invitation_pk>/` -> "invitations" for
    invitation_pk: the collection the id belongs to."""
    before = route.split(parameter, 1)[0]
    parts = [
        part
        for part in before.split("/")
        if part and not part.startswith("<") and not part.isdigit()  # an id already put in
    ]
    return parts[-1] if parts else ""


def _ids_for(route: str, parameter: str, by_segment: dict) -> list:
    segment = _segment_before(route, parameter)
    if segment in by_segment:
        return by_segment[segment]
    for model in apps.get_models():
        names = {model._meta.model_name + "s", slugify(str(model._meta.verbose_name_plural))}
        if segment in names:
            return list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:3])
    raise AssertionError(
        f"{route}: no seeded objects for the ids of {segment!r}; add them to the `world` fixture"
    )


def _path_strategy(route: str, by_segment: dict):
    """Paths to `route` with each id drawn from real seeded objects."""
    parts = re.split(r"(<[^>]+>)", route)
    strategies = []
    for part in parts:
        match = re.fullmatch(r"<(?:(\w+):)?(\w+)>", part)
        if not match:
            strategies.append(st.just(part))
        elif match.group(1) == "str" or (match.group(1) is None and "decision" in part):
            strategies.append(st.sampled_from(DECISIONS))
        else:
            ids = _ids_for(route, part, by_segment) or [1]
            strategies.append(st.sampled_from([str(pk) for pk in ids]))
    return st.tuples(*strategies).map(lambda pieces: "/" + "".join(pieces))


def _example_path(route: str, by_segment: dict) -> str:
    def first(match):
        if match.group(1) == "str":
            return DECISIONS[0]
        ids = _ids_for(route, match.group(0), by_segment) or [1]
        return str(ids[0])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", first, route)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in READ_SIDE_MODELS
    }


def _is_success(response) -> bool:
    """A redirect after an accepted form (not to the sign-in), or a file handed over (e.g.
    the download of my data, which records that it happened)."""
    if "attachment" in response.get("Content-Disposition", ""):
        return response.status_code == 200
    return response.status_code in (301, 302, 303) and not any(
        part in response["Location"] for part in ("/accounts/login/", "/accounts/reauthenticate")
    )


def _client_for(user) -> SignInClient:
    # A 500 is reported as a failure with its path (its traceback is in the captured log).
    client = SignInClient(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _posting_patterns(world) -> list[tuple[str, URLPattern, object]]:
    """(route, pattern, user) for every pattern that takes a POST from a user who may use it."""
    found = []
    for route, pattern in _our_patterns():
        for user in world["users"].get(getattr(pattern.callback, "access", None), []):
            path = _example_path(route, world["by_segment"])
            if _client_for(user).generic("POST", path, b"x", "text/plain").status_code == 405:
                continue
            found.append((route, pattern, user))
    return found


def _form_field_names(client, path: str) -> set[str]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    return set(re.findall(r'name="([^"]+)"', response.content.decode()))


def _hostile_posts(client, route: str, names: list[str], by_segment: dict):
    """A hypothesis test posting drawn values for `names` to `route` as `client`'s user."""

    @settings(max_examples=3, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(
        path=_path_strategy(route, by_segment),
        data=st.fixed_dictionaries({}, optional=dict.fromkeys(names, value)),
    )
    def post_hostile(path, data):
        before = _row_counts()
        response = client.post(path, data)
        assert response.status_code < 500, (path, data)
        if not _is_success(response):
            after = _row_counts()
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            assert changed == {}, (path, response.status_code, data)

    return post_hostile


def _post_and_check(client, path: str, data: dict) -> list:
    """Post; return what went wrong (a 500, or a change after a refusal)."""
    before = _row_counts()
    response = client.post(path, data)
    if response.status_code >= 500:
        return [(path, response.status_code, sorted(data)[:5])]
    if not _is_success(response):
        after = _row_counts()
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if changed:
            return [(path, response.status_code, changed)]
    return []


def test_hostile_values_in_every_form_give_no_500_and_change_nothing_unless_accepted(world):
    declared = _declared_field_names()
    walked, failures = [], []
    for route, _pattern, user in _posting_patterns(world):
        client = _client_for(user)
        # The page's own form when it shows one, else every field any form declares.
        names = sorted(
            (_form_field_names(client, _example_path(route, world["by_segment"])) or declared)
            - {"csrfmiddlewaretoken"}
        )
        walked.append(route)

        # Every field at once with each of the worst values, then random mixtures.
        path = _example_path(route, world["by_segment"])
        for worst in SWEEP:
            failures += _post_and_check(client, path, dict.fromkeys(names, worst))
        _hostile_posts(client, route, names, world["by_segment"])()
    assert failures == []
    assert len(walked) >= 20, walked


def _get_patterns(world):
    for route, pattern in _our_patterns():
        for user in world["users"].get(getattr(pattern.callback, "access", None), [])[:1]:
            yield route, user


def test_ids_in_our_url_patterns_use_the_id_converter():
    """`<int:...>` passes a 30-digit id to the database; `<id:...>` answers 404."""
    assert [route for route, _pattern in _our_patterns() if "<int:" in route] == []


def test_thirty_digit_ids_in_paths_answer_404(world):
    failures = []
    for route, user in _get_patterns(world):
        client = _client_for(user)
        for parameter in re.findall(r"<(?:int|id):\w+>", route):
            path = _example_path(route.replace(parameter, HUGE_ID), world["by_segment"])
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                if status not in (404, 405):
                    failures.append((method, path, status))
    assert failures == []


def test_out_of_range_ids_in_queries_answer_a_form_error_or_404(world):
    """Every name a page's forms send (filters, choices) and `page`, with ids no database
    holds: a form error or a 404, never a 500."""
    failures = []
    for route, user in _get_patterns(world):
        client = _client_for(user)
        path = _example_path(route, world["by_segment"])
        names = (_form_field_names(client, path) | {"page"}) - {"csrfmiddlewaretoken"}
        queries = [{name: HUGE_ID} for name in sorted(names)]
        queries += [dict.fromkeys(names, "-" + HUGE_ID), dict.fromkeys(names, str(2**63))]
        for query in queries:
            status = client.get(path, query).status_code
            if status >= 500:
                failures.append((path, query, status))
    assert failures == []
