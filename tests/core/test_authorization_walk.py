"""Every URL pattern, walked as every role, with the ids of objects of organisation A and of
organisation B, for GET and POST: the answer is the one docs/security.md's role table gives.

The expected answer comes from two sources that must agree with the code:
- the view's own declaration (`core.access`: public, login, staff with permissions), and
- ROUTES below: for each URL name, the objects its path parameters point to and who owns them.

A URL name missing from ROUTES fails `test_every_url_is_in_the_walk`, so a new page cannot
escape the walk. POSTs are sent only by those who must be refused, and must change nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.access import PUBLIC, STAFF
from core.api import TOKEN
from tests.core.test_access import declared_access

THIRD_PARTY_PREFIXES = ("accounts/", "admin/", "i18n/")
OUR_APPS = ("core", "crm", "pact", "forums", "reports", "config")

ALLOW, DENY, LOGIN, SECOND_FACTOR = "allow", "deny", "login", "second factor"


@dataclass(frozen=True)
class Route:
    """What a URL's path parameters point to. `kwargs(world, side)` builds them for the object
    of organisation `side` ("a" or "b"); `owners` are the roles (by side) that may see the
    object besides staff; `staff_perm` a permission that lets staff see it through this
    (non-staff) URL."""

    kwargs: object = None
    owner: str = ""  # "representative" or "registrant": the person of that side owns it
    staff_perm: str = ""
    post_only: bool = False


ROUTES: dict[str, Route] = {
    "home": Route(),
    "healthz": Route(),
    "status": Route(),
    "privacy": Route(),
    "me:dashboard": Route(),
    "me:profile": Route(),
    "me:organisation_register": Route(),
    "me:organisation_join": Route(),
    "me:data": Route(),
    "me:data_download": Route(),
    "me:erasure_request": Route(),
    "me:consent_withdraw": Route(
        lambda w, s: {"pk": w[s].consent.pk}, owner="representative", post_only=True
    ),
    "crm:erasure_request_list": Route(),
    "crm:erasure_request_detail": Route(lambda w, s: {"pk": w[s].erasure_request.pk}),
    "crm:access_log": Route(),
    "pact_staff:pledge_queue": Route(),
    "pact_staff:pledge_detail": Route(lambda w, s: {"pk": w[s].pledge.pk}),
    "pact_staff:pledge_review": Route(
        lambda w, s: {"pk": w[s].submitted.pk, "decision": "publish"}, post_only=True
    ),
    "pact_staff:report_queue": Route(),
    "pact_staff:report_detail": Route(lambda w, s: {"pk": w[s].report.pk}),
    "pact_staff:catalogue": Route(),
    "pact_staff:commitment_create": Route(),
    "pact_staff:commitment_edit": Route(lambda w, s: {"pk": w.commitment.pk}),
    "pact_staff:network": Route(),
    "forums_staff:event_list": Route(),
    "forums_staff:event_create": Route(),
    "forums_staff:event_detail": Route(lambda w, s: {"pk": w.event.pk}),
    "forums_staff:event_edit": Route(lambda w, s: {"pk": w.event.pk}),
    "forums_staff:invitation_add": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums_staff:invitation_remove": Route(
        lambda w, s: {"pk": w.invited_event.pk, "invitation_pk": w[s].invitation.pk},
        post_only=True,
    ),
    "forums_staff:registrations_csv": Route(lambda w, s: {"pk": w.event.pk}),
    "forums_staff:attendance": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums_staff:no_shows": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums_staff:check_in": Route(lambda w, s: {"pk": w.event.pk}),
    "forums_staff:check_in_toggle": Route(
        lambda w, s: {"pk": w.event.pk, "registration_pk": w[s].registration.pk}, post_only=True
    ),
    "forums_staff:registration_cancel": Route(lambda w, s: {"pk": w[s].registration.pk}),
    "forums_staff:event_programme": Route(lambda w, s: {"pk": w.event.pk}),
    "forums_staff:agenda_item_add": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums_staff:agenda_item_edit": Route(
        lambda w, s: {"pk": w.event.pk, "item_pk": w.agenda_item.pk}
    ),
    "forums_staff:agenda_item_delete": Route(
        lambda w, s: {"pk": w.event.pk, "item_pk": w.agenda_item.pk}
    ),
    "forums_staff:material_add": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums_staff:material_remove": Route(
        lambda w, s: {"pk": w.event.pk, "material_pk": w.material.pk}
    ),
    "crm:dashboard": Route(),
    "crm:organisation_list": Route(),
    "crm:organisation_detail": Route(lambda w, s: {"pk": w[s].organisation.pk}),
    "crm:organisation_create": Route(),
    "crm:organisation_export": Route(),
    "crm:organisation_bulk": Route(post_only=True),
    "crm:import_start": Route(),
    "crm:alert_settings": Route(),
    "crm:mailing_list": Route(),
    "crm:mailing_create": Route(),
    "crm:mailing_detail": Route(lambda w, s: {"pk": w.mailing.pk}),
    "crm:mailing_edit": Route(lambda w, s: {"pk": w.mailing.pk}),
    "crm:mailing_preview": Route(lambda w, s: {"pk": w.mailing.pk}),
    "crm:mailing_test": Route(lambda w, s: {"pk": w.mailing.pk}, post_only=True),
    "crm:mailing_send": Route(lambda w, s: {"pk": w.mailing.pk}, post_only=True),
    "crm:mailing_cancel": Route(lambda w, s: {"pk": w.mailing.pk}, post_only=True),
    "crm:mailing_recipients": Route(lambda w, s: {"pk": w.mailing.pk}),
    "crm:topic_list": Route(),
    "crm:topic_create": Route(),
    "crm:topic_edit": Route(lambda w, s: {"pk": w.mailing.topic_id}),
    "me:updates": Route(),
    "updates:subscribe": Route(),
    "updates:requested": Route(),
    "updates:confirm": Route(lambda w, s: {"token": _confirm_token(w)}),
    "updates:preferences": Route(lambda w, s: {"token": _preferences_token(w[s].person)}),
    "updates:unsubscribe": Route(lambda w, s: {"token": _unsubscribe_token(w[s].recipient)}),
    "crm:api_tokens": Route(),
    "api:organisation-list": Route(),
    "api:organisation-detail": Route(lambda w, s: {"pk": w[s].organisation.pk}),
    "api:person-list": Route(),
    "api:person-detail": Route(lambda w, s: {"pk": w[s].person.pk}),
    "api:pledge-list": Route(),
    "api:pledge-detail": Route(lambda w, s: {"pk": w[s].pledge.pk}),
    "api:event-list": Route(),
    "api:event-detail": Route(lambda w, s: {"pk": w.event.pk}),
    "api:registration-list": Route(),
    "api:registration-detail": Route(lambda w, s: {"pk": w[s].registration.pk}),
    "crm:import_map": Route(),
    "crm:organisation_edit": Route(lambda w, s: {"pk": w[s].organisation.pk}),
    "crm:person_create": Route(),
    "crm:person_edit": Route(lambda w, s: {"pk": w[s].person.pk}),
    "crm:affiliation_add": Route(post_only=True),
    "crm:affiliation_end": Route(lambda w, s: {"pk": w[s].pending_affiliation.pk}),
    "crm:person_list": Route(),
    "crm:person_export": Route(),
    "crm:person_bulk": Route(post_only=True),
    "crm:duplicates": Route(),
    "crm:merge_organisations": Route(
        lambda w, s: {"a": w[s].organisation.pk, "b": w["b" if s == "a" else "a"].organisation.pk}
    ),
    "crm:merge_people": Route(
        lambda w, s: {"a": w[s].person.pk, "b": w["b" if s == "a" else "a"].person.pk}
    ),
    "crm:merge_list": Route(),
    "crm:merge_detail": Route(lambda w, s: {"pk": w.merge_record.pk}),
    "crm:merge_undo": Route(lambda w, s: {"pk": w.merge_record.pk}, post_only=True),
    "crm:register_refresh_start": Route(),
    "crm:register_refresh_preview": Route(),
    "crm:register_refresh_detail": Route(lambda w, s: {"pk": w.register_refresh.pk}),
    "crm:person_detail": Route(lambda w, s: {"pk": w[s].person.pk}),
    "crm:affiliation_queue": Route(),
    "crm:affiliation_decide": Route(
        lambda w, s: {"pk": w[s].pending_affiliation.pk, "decision": "confirm"}, post_only=True
    ),
    "pact:register": Route(),
    "pact:public_pledge": Route(lambda w, s: {"pk": w[s].pledge.pk}),
    "pact:signatories_csv": Route(),
    "pact:signatories_json": Route(),
    "pact:open_data": Route(),
    "pact:figures": Route(),
    "pact:pledge_list": Route(),
    "pact:pledge_start": Route(),
    "pact:pledge_detail": Route(lambda w, s: {"pk": w[s].pledge.pk}, owner="representative"),
    "pact:pledge_edit": Route(lambda w, s: {"pk": w[s].draft.pk}, owner="representative"),
    "pact:pledge_withdraw": Route(
        lambda w, s: {"pk": w[s].pledge.pk}, owner="representative", post_only=True
    ),
    "pact:report_start": Route(
        lambda w, s: {"pk": w[s].pledge.pk}, owner="representative", post_only=True
    ),
    "pact:report_detail": Route(lambda w, s: {"pk": w[s].report.pk}, owner="representative"),
    "pact:report_edit": Route(lambda w, s: {"pk": w[s].report.pk}, owner="representative"),
    "pact:network_join": Route(post_only=True),
    "pact:network_leave": Route(
        lambda w, s: {"pk": w[s].network.pk}, owner="representative", post_only=True
    ),
    "forums:event_list": Route(),
    "forums:event_detail": Route(lambda w, s: {"pk": w.event.pk}),
    "forums:event_register": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums:event_register_colleague": Route(lambda w, s: {"pk": w.event.pk}, post_only=True),
    "forums:event_calendar": Route(lambda w, s: {"pk": w.event.pk}),
    "forums:registration_cancel": Route(
        lambda w, s: {"pk": w[s].registration.pk}, owner="registrant"
    ),
    "forums:material_download": Route(
        lambda w, s: {"pk": w.event.pk, "material_pk": w.material.pk}
    ),
    "forums:registration_accept": Route(
        lambda w, s: {"pk": w[s].registration.pk}, owner="registrant", post_only=True
    ),
    "forums:body_list": Route(),
    "forums:body_detail": Route(lambda w, s: {"slug": w.call.body.slug}),
    "forums:call_detail": Route(lambda w, s: {"pk": w.call.pk}),
    "forums:call_apply": Route(lambda w, s: {"pk": w.call.pk}),
    "forums:application_detail": Route(
        lambda w, s: {"pk": w[s].application.pk}, owner="representative"
    ),
    "forums:application_withdraw": Route(
        lambda w, s: {"pk": w[s].application.pk}, owner="representative", post_only=True
    ),
    "forums:application_cv": Route(
        lambda w, s: {"pk": w[s].application.pk},
        owner="representative",
        staff_perm="forums.view_application",
    ),
    "forums:application_nominate": Route(
        lambda w, s: {"pk": w[s].application.pk}, owner="representative", post_only=True
    ),
    "forums:nomination_remove": Route(
        lambda w, s: {"pk": w[s].nomination.pk}, owner="representative", post_only=True
    ),
    "forums:declaration_list": Route(),
    "forums:declaration_new": Route(),
    "forums:body_declarations": Route(lambda w, s: {"slug": w.call.body.slug}),
    "forums_bodies_staff:call_edit": Route(lambda w, s: {"pk": w.call.pk}),
    "forums_bodies_staff:application_detail": Route(lambda w, s: {"pk": w[s].application.pk}),
    "forums_bodies_staff:application_eligibility": Route(
        lambda w, s: {"pk": w[s].application.pk}, post_only=True
    ),
    "forums_bodies_staff:evaluator_add": Route(
        lambda w, s: {"pk": w[s].application.pk}, post_only=True
    ),
    "forums_bodies_staff:evaluator_remove": Route(
        lambda w, s: {"pk": w.evaluation.pk}, post_only=True
    ),
    "forums_bodies_staff:body_list": Route(),
    "forums_bodies_staff:body_create": Route(),
    "forums_bodies_staff:body_detail": Route(lambda w, s: {"pk": w.call.body.pk}),
    "forums_bodies_staff:body_edit": Route(lambda w, s: {"pk": w.call.body.pk}),
    "forums_bodies_staff:call_create": Route(lambda w, s: {"pk": w.call.body.pk}),
    "forums_bodies_staff:membership_change": Route(lambda w, s: {"pk": w.membership.pk}),
    "forums_bodies_staff:declaration_queue": Route(),
    "forums_bodies_staff:declaration_detail": Route(lambda w, s: {"pk": w.declaration.pk}),
    "forums_bodies_staff:call_list": Route(),
    "forums_bodies_staff:call_selection": Route(lambda w, s: {"pk": w.call.pk}),
    "forums_bodies_staff:slate_suggest": Route(lambda w, s: {"pk": w.call.pk}, post_only=True),
    "forums_bodies_staff:slate_accept": Route(lambda w, s: {"pk": w.call.pk}, post_only=True),
    "forums_bodies_staff:evaluators_assign": Route(lambda w, s: {"pk": w.call.pk}, post_only=True),
    "forums_bodies_staff:decisions_commit": Route(lambda w, s: {"pk": w.call.pk}, post_only=True),
    "forums_bodies_staff:application_decision": Route(
        lambda w, s: {"pk": w[s].application.pk}, post_only=True
    ),
    "forums_bodies_staff:evaluation_list": Route(),
    "forums_bodies_staff:evaluation_detail": Route(lambda w, s: {"pk": w.evaluation.pk}),
    "reports:document_list": Route(),
    "reports:index": Route(),
    "reports:request_new": Route(lambda w, s: {"kind": "pact_overview"}),
    "reports:request_detail": Route(lambda w, s: {"pk": w.report_request.pk}),
    "reports:request_retry": Route(lambda w, s: {"pk": w.report_request.pk}, post_only=True),
    "reports:request_pdf": Route(lambda w, s: {"pk": w.report_request.pk}),
    "reports:request_csv": Route(lambda w, s: {"pk": w.report_request.pk}),
    "reports:saved_create": Route(lambda w, s: {"pk": w.report_request.pk}, post_only=True),
    "reports:saved_run": Route(lambda w, s: {"pk": w.saved_report.pk}, post_only=True),
    "reports:saved_delete": Route(lambda w, s: {"pk": w.saved_report.pk}, post_only=True),
    "reports:pledge_pdf": Route(
        lambda w, s: {"pk": w[s].pledge.pk}, owner="representative", staff_perm="pact.view_pledge"
    ),
    "reports:progress_report_pdf": Route(
        lambda w, s: {"pk": w[s].report.pk}, owner="representative", staff_perm="pact.view_pledge"
    ),
    "core:job_detail": Route(
        lambda w, s: {"job_id": w[s].job.pk}, owner="representative", staff_perm="pact.view_pledge"
    ),
    "core:job_status": Route(
        lambda w, s: {"job_id": w[s].job.pk}, owner="representative", staff_perm="pact.view_pledge"
    ),
    "core:job_download": Route(
        lambda w, s: {"job_id": w[s].job.pk}, owner="representative", staff_perm="pact.view_pledge"
    ),
}


@dataclass(frozen=True)
class Role:
    name: str
    signed_in: bool = True
    verified: bool = True
    side: str = ""  # the organisation this person represents and registered for events of
    groups: tuple = ()
    second_factor: bool = True  # this session completed it
    superuser: bool = False

    @property
    def staff(self):
        return bool(self.groups) or self.superuser


STAFF_GROUPS = ("Pact officer", "Body secretariat", "Events manager", "Data-protection coordinator")
ROLES = [
    Role("anonymous", signed_in=False),
    Role("unverified user", verified=False),
    Role("member"),
    Role("representative of A", side="a"),
    Role("representative of B", side="b"),
    *[Role(group, groups=(group,)) for group in STAFF_GROUPS],
    *[
        Role(f"{group} without second factor", groups=(group,), second_factor=False)
        for group in STAFF_GROUPS
    ],
    Role("superuser", superuser=True),
    Role("superuser without second factor", superuser=True, second_factor=False),
]


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), joined)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(entry.pattern), name, entry.callback


def our_urls():
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith(THIRD_PARTY_PREFIXES):
            continue
        if getattr(callback, "__module__", "").split(".")[0] in OUR_APPS:
            yield name, callback


def test_every_url_is_in_the_walk():
    names = {name for name, _callback in our_urls()}
    assert sorted(names - ROUTES.keys()) == [], "add the new URL to ROUTES (and the role table)"
    assert sorted(ROUTES.keys() - names) == [], "a URL in ROUTES no longer exists"


def _confirm_token(world) -> str:
    from crm.mailings.tokens import confirm_token

    return confirm_token(world.subscription)


def _preferences_token(person) -> str:
    from crm.mailings.tokens import preferences_token

    return preferences_token(person)


def _unsubscribe_token(recipient) -> str:
    from crm.mailings.tokens import unsubscribe_token

    return unsubscribe_token(recipient.pk)


def expected(role: Role, route: Route, callback, side: str) -> str:
    access = declared_access(callback)
    if access == PUBLIC:
        return ALLOW
    if access == TOKEN:
        return DENY  # the API answers keys only, never a browser session
    if not role.signed_in:
        return LOGIN
    if access == STAFF:
        if not role.staff:
            return DENY
        if not role.second_factor:
            return SECOND_FACTOR
        if role.superuser or set(callback.access_perms) <= set(_perms_of(role)):
            return ALLOW
        return DENY
    # Signed-in pages: one's own objects, or staff through the permission the route names.
    if route.kwargs is None or not route.owner:
        return ALLOW
    if role.side == side and role.verified:
        return ALLOW
    if route.staff_perm and role.staff and role.second_factor:
        if role.superuser or route.staff_perm in _perms_of(role):
            return ALLOW
    return DENY


def _perms_of(role: Role) -> set[str]:
    """The permissions the role's groups grant, as every app's `role_permissions` lists them."""
    perms = set()
    for config in apps.get_app_configs():
        for group in role.groups:
            perms |= set(getattr(config, "role_permissions", {}).get(group, ()))
    return perms


def outcome(response) -> str:
    status = response.status_code
    location = response.get("Location", "")
    if status == 500:
        return "500"
    if status in (401, 403, 404, 405):
        return DENY
    if status == 302 and location.startswith("/accounts/login/"):
        return LOGIN
    if status == 302 and location.startswith("/accounts/2fa/"):
        return SECOND_FACTOR
    return ALLOW


class Side(dict):
    __getattr__ = dict.__getitem__


class World(dict):
    """The objects of organisation A and of organisation B, and the shared ones."""

    __getattr__ = dict.__getitem__


def _make_side(officer, representative, organisation):
    from core.jobs import job_enqueue
    from crm.models import Affiliation
    from pact.models import NetworkMembership, ProgressReport
    from reports.kinds import PLEDGE_PDF
    from tests.crm.factories import AffiliationFactory, OrganisationFactory, UserFactory
    from tests.forums.factories import RegistrationFactory
    from tests.pact.factories import make_pledge

    pledge = make_pledge(organisation, representative, status="published", reviewer=officer)
    person = representative.person
    report = ProgressReport.objects.create(
        pledge=pledge,
        due_on=timezone.localdate() + timedelta(days=30),
        status=ProgressReport.Status.SUBMITTED,
        submitted_at=timezone.now(),
        created_by=representative,
    )
    other = OrganisationFactory()
    other_rep_user = UserFactory()
    from tests.crm.factories import PersonFactory

    other_person = PersonFactory(user=other_rep_user, email=other_rep_user.email)
    AffiliationFactory(person=other_person, organisation=other, is_representative=True)
    draft_owner = organisation
    draft_org = OrganisationFactory()
    AffiliationFactory(person=person, organisation=draft_org, is_representative=True)
    draft = make_pledge(draft_org, representative, status="draft")
    submitted_org = OrganisationFactory()
    AffiliationFactory(person=person, organisation=submitted_org, is_representative=True)
    submitted = make_pledge(submitted_org, representative, status="submitted")
    job = job_enqueue(
        kind=PLEDGE_PDF, user=representative, params={"pledge": pledge.pk}, subject=pledge
    )
    job.status = job.Status.DONE
    job.result_name = "pledge.pdf"
    job.result_content_type = "application/pdf"
    job.result_file.save("pledge.pdf", ContentFile(b"%PDF-1.4 walk"), save=False)
    job.save()
    network = NetworkMembership.objects.create(
        organisation=organisation, contact_email=representative.email, joined_by=representative
    )
    pending = AffiliationFactory(
        organisation=organisation, is_representative=True, status=Affiliation.Status.REQUESTED
    )
    from crm.models import ErasureRequest
    from crm.services import consent_give

    consent = consent_give(person=person, purpose="newsletter", privacy_notice="Newsletter")
    erasure_request = ErasureRequest.objects.create(
        person=other_person, due_on=ErasureRequest.due_for(timezone.now())
    )
    return Side(
        organisation=organisation,
        consent=consent,
        erasure_request=erasure_request,
        person=person,
        pledge=pledge,
        draft=draft,
        submitted=submitted,
        report=report,
        job=job,
        network=network,
        pending_affiliation=pending,
        registration=RegistrationFactory(person=person, organisation=draft_owner),
    )


def _report_objects(officer):
    """A staff report already rendered (its PDF and CSV stored) and a saved definition."""
    from core.models import Job
    from reports.models import ReportRequest, SavedReport

    report_request = ReportRequest.objects.create(
        kind="pact_overview", language="en", requested_by=officer
    )
    job = Job(
        kind="reports.staff_report",
        params={"request": report_request.pk},
        status=Job.Status.DONE,
        created_by=officer,
        result_name="report.pdf",
        result_content_type="application/pdf",
    )
    job.result_file.save("report.pdf", ContentFile(b"%PDF-1.4 walk"), save=False)
    job.save()
    report_request.job = job
    report_request.csv_name = "report.csv"
    report_request.csv_file.save("report.csv", ContentFile(b"a,b\n"), save=False)
    report_request.save()
    saved_report = SavedReport.objects.create(
        name="Overview", kind="pact_overview", language="en", created_by=officer
    )
    return report_request, saved_report


@pytest.fixture
def world(db, settings, tmp_path):
    return build_world(settings, tmp_path)


def build_world(settings, tmp_path):
    from forums.models import (
        AgendaItem,
        Application,
        Declaration,
        Evaluation,
        Event,
        Material,
        Nomination,
    )
    from pact.catalogue import catalogue_load
    from pact.models import Commitment
    from tests.crm.factories import OrganisationFactory, make_representative, make_staff
    from tests.forums.factories import (
        CallFactory,
        EventFactory,
        InvitationFactory,
        MembershipFactory,
    )

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    catalogue_load(Commitment)
    officer = make_staff("Pact officer")
    reps = {side: make_representative(OrganisationFactory(name=f"Org {side}")) for side in "ab"}
    sides = {
        side: _make_side(officer, reps[side], reps[side].person.affiliations.first().organisation)
        for side in "ab"
    }
    event = EventFactory()
    for side in "ab":
        sides[side]["registration"].event = event
        sides[side]["registration"].save()
    invited_event = EventFactory(audience=Event.Audience.INVITED)
    for side in "ab":
        sides[side]["invitation"] = InvitationFactory(
            event=invited_event, organisation=sides[side].organisation
        )
    agenda_item = AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Opening")
    material = Material(event=event, title="Slides", release=Material.Release.NOW)
    material.file.save("slides.pdf", ContentFile(b"%PDF-1.4 walk"), save=False)
    material.save()
    call = CallFactory()
    for side in "ab":
        application = Application(
            call=call,
            kind="individual",
            person=sides[side].person,
            role="member",
            status="submitted",
            submitted_by=reps[side],
        )
        application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 walk"), save=False)
        application.save()
        sides[side]["application"] = application
    evaluation = Evaluation.objects.create(
        application=sides["a"].application, evaluator=make_staff("Body secretariat")
    )
    from crm.models import MergeRecord, RegisterRefresh

    merge_record = MergeRecord.objects.create(
        kind="person",
        survivor_id=sides["a"].person.pk,
        loser_id=10**9,
        survivor_label="A",
        loser_label="A twin",
        loser_snapshot={"fields": {}, "links": {}},
    )
    register_refresh = RegisterRefresh.objects.create(file_name="register.csv")
    call.body.declarations_public = True
    call.body.save(update_fields=["declarations_public"])
    for side in "ab":
        sides[side]["nomination"] = Nomination.objects.create(
            application=sides[side].application, person=sides[side].person
        )
    declaration = Declaration.objects.create(
        person=sides["a"].person,
        version=1,
        no_interests=True,
        signed_name=sides["a"].person.full_name,
        signed_at=timezone.now(),
    )
    report_request, saved_report = _report_objects(officer)
    mailing, subscription = _mailing_objects(officer, sides)
    return World(
        mailing=mailing,
        subscription=subscription,
        report_request=report_request,
        saved_report=saved_report,
        a=sides["a"],
        b=sides["b"],
        merge_record=merge_record,
        register_refresh=register_refresh,
        reps=reps,
        call=call,
        evaluation=evaluation,
        membership=MembershipFactory(body=call.body, person=sides["a"].person),
        declaration=declaration,
        event=event,
        agenda_item=agenda_item,
        material=material,
        invited_event=invited_event,
        commitment=Commitment.objects.filter(is_current=True).first(),
    )


def _mailing_objects(officer, sides):
    """A mailing sent to each side's person (a recipient row each: their unsubscribe links)
    and a subscription waiting for confirmation."""
    from crm.mailings import services
    from crm.mailings.models import MailingRecipient, Topic

    services.topics_ensure_defaults()  # a transactional test before may have emptied them
    topic = Topic.objects.get(code="ai-pact")
    mailing = services.mailing_save(
        user=officer,
        name="Walk",
        subject="Walk",
        body="Walk",
        translations={},
        audience=f"topic:{topic.pk}",
    )
    for side in sides.values():
        side["recipient"] = MailingRecipient.objects.create(
            mailing=mailing, person=side.person, email=side.person.email, status="sent"
        )
    subscription = services.subscription_request(
        email="walker@example.eu", language="en", topics=[topic]
    )
    return mailing, subscription


def _user_for(role: Role, world):
    from tests.crm.factories import UserFactory, make_staff

    if not role.signed_in:
        return None
    if role.side:
        return world.reps[role.side]
    if role.staff:
        return make_staff(*role.groups, is_superuser=role.superuser)
    return UserFactory(verified=role.verified)


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("crm", "pact", "forums", "core", "reports")
        and model._meta.label
        not in ("core.AuditEntry", "core.AccessLogEntry", "core.AccessLogPerson")
    }


@pytest.mark.parametrize("role", ROLES, ids=[role.name for role in ROLES])
def test_every_url_answers_each_role_as_the_role_table_says(client, world, role):
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user, mfa=role.second_factor and role.staff)
    before = _row_counts()
    statuses = {side: (world[side].pledge.status, world[side].registration.status) for side in "ab"}
    wrong = []
    for name, callback in our_urls():
        route = ROUTES[name]
        for side in ("a", "b") if route.kwargs else ("a",):
            kwargs = route.kwargs(world, side) if route.kwargs else {}
            path = reverse(name, kwargs=kwargs)
            want = expected(role, route, callback, side)
            if not route.post_only:
                got = outcome(client.get(path))
                if got != want:
                    wrong.append(("GET", path, want, got))
            # Who may use a form is shown by the GETs and the feature tests; the walk posts
            # only as those who must be refused, and nothing may change.
            if want != ALLOW:
                got = outcome(client.post(path, {}))
                if got != want:
                    wrong.append(("POST", path, want, got))
    assert wrong == [], "\n".join(f"{m} {p}: expected {w}, got {g}" for m, p, w, g in wrong)
    assert _row_counts() == before
    for side in "ab":
        world[side].pledge.refresh_from_db()
        world[side].registration.refresh_from_db()
    assert statuses == {
        side: (world[side].pledge.status, world[side].registration.status) for side in "ab"
    }
