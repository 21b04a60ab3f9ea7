"""An event's agenda (sessions, speakers) and its materials: staff add them, the public page
shows them, and downloads check who asks."""

import io
import os
import zoneinfo
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.models import AuditEntry
from forums import services
from forums.models import AgendaItem, Material
from tests.crm.factories import PersonFactory, UserFactory, make_staff

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _local(event, hour, minute=0):
    """A time on the event's day, in the event's time zone, as the staff form takes it."""
    start = timezone.localtime(event.starts_at, timezone=event.starts_at.tzinfo)
    return start.replace(hour=hour, minute=minute)


def test_staff_add_a_session_with_a_crm_speaker_and_a_guest(client, events_manager):
    event = EventFactory(title="Pact webinar")
    speaker = PersonFactory(first_name="Lucia", last_name="Rossi", email="lucia@example.eu")
    client.force_login(events_manager)
    starts = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.time_zone))
    response = client.post(
        reverse("forums_staff:agenda_item_add", args=[event.pk]),
        {
            "starts_at": (starts + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(minutes=75)).strftime("%Y-%m-%dT%H:%M"),
            "title": "Mapping high-risk systems",
            "speaker_emails": "LUCIA@example.eu\n",
            "other_speakers": "Ana Silva (University of Porto)",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert list(item.speakers.all()) == [speaker]
    assert item.starts_at == (starts + timedelta(minutes=30)).replace(second=0, microsecond=0)
    assert AuditEntry.objects.filter(action="forums.event.agenda_item_added").exists()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Mapping high-risk systems" in page
    assert "Lucia Rossi; Ana Silva (University of Porto)" in page
    start, end = starts + timedelta(minutes=30), starts + timedelta(minutes=75)
    assert f"{start:%H:%M}</time>–{end:%H:%M}" in page  # in the event's time zone


def test_a_session_outside_the_event_or_with_an_unknown_speaker_is_refused(client, events_manager):
    event = EventFactory()
    client.force_login(events_manager)
    url = reverse("forums_staff:agenda_item_add", args=[event.pk])
    before = (event.starts_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"starts_at": before, "title": "Too early"})
    assert response.status_code == 400
    assert "A session starts within the event&#x27;s time." in response.content.decode()
    zone = zoneinfo.ZoneInfo(event.time_zone)
    inside = event.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"starts_at": inside, "title": "Talk", "speaker_emails": "nobody@example.org"}
    )
    assert response.status_code == 400
    assert "nobody@example.org" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_staff_edit_and_remove_a_session_after_confirming(client, events_manager):
    event = EventFactory()
    item = AgendaItem.objects.create(event=event, starts_at=event.starts_at, title="Opening")
    client.force_login(events_manager)
    edit = reverse("forums_staff:agenda_item_edit", args=[event.pk, item.pk])
    assert "Opening" in client.get(edit).content.decode()
    data = {"starts_at": "", "title": "Welcome"}
    zone = zoneinfo.ZoneInfo(event.time_zone)
    data["starts_at"] = event.starts_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    assert client.post(edit, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Welcome"
    remove = reverse("forums_staff:agenda_item_delete", args=[event.pk, item.pk])
    page = client.get(remove).content.decode()
    assert "Remove this session from the agenda?" in page
    assert AgendaItem.objects.exists()
    client.post(remove)
    assert not AgendaItem.objects.exists()


def _upload(name="slides.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_an_uploaded_file_is_kept_in_private_storage_under_a_random_name(
    events_manager, private_root
):
    event = EventFactory()
    material = services.material_add(
        user=events_manager,
        event=event,
        title="Slides",
        kind="slides",
        audience="public",
        release="now",
        file=_upload("Our secret plan.pdf"),
    )
    path = private_root / material.file.name
    assert path.exists() and path.read_bytes() == PDF
    assert "secret" not in material.file.name
    assert material.file_name == "Our secret plan.pdf" and material.file_size == len(PDF)
    with pytest.raises(ValueError):
        material.file.url  # noqa: B018 - private files have no public address


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "Upload a file of one of these types"),
        ("slides.pdf", b"MZ\x90\x00 not a pdf", "This file is not a valid .pdf file."),
        ("deck.pptx", b"%PDF-1.4", "This file is not a valid .pptx file."),
    ],
)
def test_files_of_the_wrong_type_are_refused(events_manager, name, content, message):
    event = EventFactory()
    with pytest.raises(DomainError) as refusal:
        services.material_add(
            user=events_manager,
            event=event,
            title="Bad",
            kind="other",
            audience="public",
            release="now",
            file=_upload(name, content),
        )
    assert message in str(refusal.value)
    assert not Material.objects.exists()


def test_a_file_too_large_is_refused(events_manager, settings, monkeypatch):
    monkeypatch.setattr("forums.services.programme.MATERIAL_MAX_BYTES", 10)
    with pytest.raises(DomainError) as refusal:
        services.material_add(
            user=events_manager,
            event=EventFactory(),
            title="Big",
            kind="recording",
            audience="public",
            release="now",
            file=_upload(),
        )
    assert "publish a link to it instead" in str(refusal.value)


def test_a_file_or_a_link_but_not_both_nor_neither(events_manager):
    for extra in ({}, {"file": _upload(), "url": "https://video.example.eu/1"}):
        with pytest.raises(DomainError):
            services.material_add(
                user=events_manager,
                event=EventFactory(),
                title="X",
                kind="other",
                audience="public",
                release="now",
                **extra,
            )


def test_only_the_events_team_may_add_materials_or_sessions(user):
    coordinator = make_staff("Data-protection coordinator")
    event = EventFactory()
    for who in (user, coordinator):
        with pytest.raises(PermissionDenied):
            services.material_add(
                user=who,
                event=event,
                title="X",
                kind="other",
                audience="public",
                release="now",
                url="https://video.example.eu/1",
            )
        with pytest.raises(PermissionDenied):
            services.agenda_item_save(user=who, event=event, starts_at=event.starts_at, title="X")


def _material(event, **kwargs):
    material = Material(event=event, title=kwargs.pop("title", "Slides"), **kwargs)
    if not material.url:
        material.file.save("slides.pdf", io.BytesIO(PDF), save=False)
        material.file_name = "slides.pdf"
        material.file_size = len(PDF)
    material.save()
    return material


def _download(client, material):
    return client.get(reverse("forums:material_download", args=[material.event_id, material.pk]))


def test_public_materials_are_offered_to_everyone_and_downloaded_as_attachments(client):
    event = EventFactory()
    material = _material(event, release="now", audience="public")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Slides, recordings and documents" in page and "PDF" in page
    response = _download(client, material)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="slides.pdf"' in response["Content-Disposition"]


def test_participant_materials_go_only_to_confirmed_participants(client, user):
    event = EventFactory()
    material = _material(event, release="now", audience="participants", title="Recording")
    link = _material(
        event,
        release="now",
        audience="participants",
        title="Video",
        url="https://video.example.eu/private-recording",
    )
    assert _download(client, material).status_code == 404
    client.force_login(user)
    assert _download(client, material).status_code == 404
    page = client.get(event.get_absolute_url()).content.decode()
    assert "private-recording" not in page and "Recording" not in page
    RegistrationFactory(event=event, person=PersonFactory(user=user, email=user.email))
    assert _download(client, material).status_code == 200
    page = client.get(event.get_absolute_url()).content.decode()
    assert link.url in page and "for participants" in page


def test_materials_published_after_the_event_stay_hidden_until_it_ends(client, events_manager):
    event = EventFactory()
    material = _material(event, release="after_event", audience="public")
    assert _download(client, material).status_code == 404
    assert "Slides, recordings" not in client.get(event.get_absolute_url()).content.decode()
    client.force_login(events_manager)
    assert _download(client, material).status_code == 200  # the events team checks it before
    client.logout()
    event.starts_at = timezone.now() - timedelta(hours=3)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save()
    assert _download(client, material).status_code == 200


def test_materials_of_an_event_one_may_not_see_are_not_served(client, user):
    hidden = EventFactory(audience="invited")
    material = _material(hidden, release="now", audience="public")
    client.force_login(user)
    assert _download(client, material).status_code == 404
    other = EventFactory()
    response = client.get(reverse("forums:material_download", args=[other.pk, material.pk]))
    assert response.status_code == 404


def test_staff_add_a_material_through_the_page_and_remove_it_after_confirming(
    client, events_manager, private_root, django_capture_on_commit_callbacks
):
    event = EventFactory()
    client.force_login(events_manager)
    response = client.post(
        reverse("forums_staff:material_add", args=[event.pk]),
        {
            "title": "Slides of the day",
            "kind": "slides",
            "audience": "participants",
            "release": "after_event",
            "file": _upload(),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    page = client.get(reverse("forums_staff:event_programme", args=[event.pk])).content.decode()
    assert "Slides of the day" in page and "Confirmed participants only" in page
    path = private_root / material.file.name
    remove = reverse("forums_staff:material_remove", args=[event.pk, material.pk])
    assert "Remove this material?" in client.get(remove).content.decode()
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove)
    assert response.status_code == 302
    assert not Material.objects.exists()
    assert not path.exists()


def test_a_bad_upload_through_the_page_says_why(client, events_manager, private_root):
    event = EventFactory()
    client.force_login(events_manager)
    response = client.post(
        reverse("forums_staff:material_add", args=[event.pk]),
        {
            "title": "Tool",
            "kind": "other",
            "audience": "public",
            "release": "now",
            "file": _upload("tool.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "Upload a file of one of these types" in response.content.decode()
    assert not Material.objects.exists()
    assert not any(os.scandir(private_root)) if private_root.exists() else True


def test_people_outside_the_events_team_cannot_reach_the_programme_pages(client, user):
    event = EventFactory()
    client.force_login(user)
    assert client.get(reverse("forums_staff:event_programme", args=[event.pk])).status_code in (
        403,
        404,
    )
    client.force_login(UserFactory())
    response = client.post(
        reverse("forums_staff:material_add", args=[event.pk]),
        {
            "title": "X",
            "kind": "other",
            "audience": "public",
            "release": "now",
            "url": "https://x.eu",
        },
    )
    assert response.status_code in (403, 404)
    assert not Material.objects.exists()
