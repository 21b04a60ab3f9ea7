"""The real expert bodies in the 24 official languages: the data file, the bodies it seeds, and
the filling of bodies that exist without changing what staff wrote."""

import pytest
from django.conf import settings

from core.translations import translated
from forums.models import Body
from forums.real_bodies import (
    BODIES,
    WORKING_GROUPS,
    bodies_ensure,
    body_translations,
    body_translations_fill,
)

OTHER_LANGUAGES = sorted(code for code, _name in settings.LANGUAGES if code != "en")


def test_the_data_file_has_every_real_body_in_the_23_other_languages():
    translations = body_translations()
    slugs = [spec["slug"] for spec in BODIES] + [slug for slug, _name in WORKING_GROUPS]
    assert sorted(translations) == sorted(slugs)
    described = {spec["slug"] for spec in BODIES if spec["description"]}
    for slug in slugs:
        assert sorted(translations[slug]) == OTHER_LANGUAGES, slug
        for code, texts in translations[slug].items():
            expected = {"name", "description"} if slug in described else {"name"}
            assert set(texts) == expected, (slug, code)
            assert all(text.strip() == text and text for text in texts.values()), (slug, code)


@pytest.mark.django_db
def test_every_seeded_body_has_its_name_and_mandate_in_all_24_languages():
    bodies_ensure()
    bodies = Body.objects.all()
    assert bodies.count() == 7
    for body in bodies:
        names = {translated(body, "name", code) for code in ["en", *OTHER_LANGUAGES]}
        assert len(names) == 24, body.slug  # no language falls back to English
        if body.description:
            mandates = {translated(body, "description", code) for code in OTHER_LANGUAGES}
            assert body.description not in mandates, body.slug


@pytest.mark.django_db
def test_the_public_body_page_speaks_the_visitors_language(client):
    bodies_ensure()
    response = client.get("/bodies/advisory-forum/", HTTP_ACCEPT_LANGUAGE="hr")
    assert "Savjetodavni forum" in response.content.decode()


@pytest.mark.django_db
def test_filling_keeps_what_staff_wrote_and_skips_a_renamed_body():
    bodies_ensure()
    panel = Body.objects.get(slug="scientific-panel")
    panel.translations = {"fr": {"name": "Panel corrigé par le secrétariat"}}
    panel.save()
    renamed = Body.objects.get(slug="gpai-wg1")
    renamed.name = "Transparency working group"
    renamed.translations = {}
    renamed.save()
    assert body_translations_fill() == 1
    panel.refresh_from_db()
    renamed.refresh_from_db()
    assert panel.translations["fr"] == {"name": "Panel corrigé par le secrétariat"}
    assert panel.translations["sv"]["name"] == "Vetenskaplig panel av oberoende experter"
    assert renamed.translations == {}
