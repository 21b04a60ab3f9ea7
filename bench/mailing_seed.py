"""Seed for bench/mailing.py (run by it with DATABASE_URL set): RECIPIENTS confirmed
subscribers to one topic, spread over the 24 official languages, each with the newsletter
consent, and one mailing written in all 24 languages, scheduled for now. Prints the mailing's
id as JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402

from crm.mailings.models import Mailing, Subscription, Topic  # noqa: E402
from crm.models import Consent, Person  # noqa: E402

RECIPIENTS = int(sys.argv[1])
LANGUAGES = [code for code, _name in settings.LANGUAGES]
BATCH = 5000


def main() -> None:
    topic = Topic.objects.get(code="events")
    now = timezone.now()
    people = []
    for n in range(RECIPIENTS):
        person = Person(
            first_name=f"Reader{n}",
            last_name="Bench",
            email=f"reader{n}@bench.example.eu",
            preferred_language=LANGUAGES[n % len(LANGUAGES)],
        )
        person.prepare_derived_fields()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=BATCH)
    people = list(
        Person.objects.filter(last_name="Bench").only("pk", "email", "preferred_language")
    )
    subscriptions = Subscription.objects.bulk_create(
        [
            Subscription(
                email=p.email,
                person=p,
                language=p.preferred_language,
                status=Subscription.Status.ACTIVE,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
                confirmed_at=now,
            )
            for p in people
        ],
        batch_size=BATCH,
    )
    Through = Subscription.topics.through
    Through.objects.bulk_create(
        [Through(subscription_id=s.pk, topic_id=topic.pk) for s in subscriptions], batch_size=BATCH
    )
    Consent.objects.bulk_create(
        [
            Consent(
                person=p,
                purpose=Consent.Purpose.NEWSLETTER,
                privacy_notice=settings.PRIVACY_NOTICE_NAME,
                notice_version=settings.PRIVACY_NOTICE_VERSION,
            )
            for p in people
        ],
        batch_size=BATCH,
    )
    staff = get_user_model().objects.create_user(
        username="bench-officer", email="officer@bench.example.eu", is_staff=True
    )
    body = (
        "## {lang}: the next webinar\n\nDear reader,\n\nthe AI Office invites you to a "
        "**webinar** on the AI Act on Tuesday. [Register](https://example.eu/events/1/).\n\n"
        "- the agenda\n- the speakers\n- the documents"
    )
    mailing = Mailing.objects.create(
        name="Bench mailing",
        subject="The next webinar",
        body=body.format(lang="en"),
        translations={
            code: {"subject": f"[{code}] The next webinar", "body": body.format(lang=code)}
            for code in LANGUAGES
            if code != "en"
        },
        purpose=Mailing.Purpose.UPDATES,
        topic=topic,
        segment_label="Subscribers to “Events and webinars”",
        status=Mailing.Status.SCHEDULED,
        send_at=now,
        created_by=staff,
        sent_by=staff,
    )
    print(json.dumps({"mailing": mailing.pk, "people": len(people)}))


main()
