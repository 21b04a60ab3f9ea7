import pytest
from django.core import mail

from core.email import email_enqueue


@pytest.mark.django_db(transaction=True)
def test_email_is_rendered_in_the_recipients_language_and_sent_after_commit(tmp_path, settings):
    templates = tmp_path / "templates" / "t"
    templates.mkdir(parents=True)
    (templates / "hello.subject.txt").write_text("{% load i18n %}{% translate 'Home' %}")
    (templates / "hello.txt").write_text("Hello {{ name }}")
    (templates / "hello.html").write_text("<p>Hello {{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]
    email_enqueue(
        to="ada@example.org",
        template="t/hello",
        context={"name": "Ada"},
        attachments=[("invite.ics", "BEGIN:VCALENDAR", "text/calendar")],
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert message.body == "Hello Ada"
    assert message.alternatives[0][0] == "<p>Hello Ada</p>"
    assert message.attachments[0][0] == "invite.ics"
