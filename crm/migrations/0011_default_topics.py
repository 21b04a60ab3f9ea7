from django.db import migrations

# The topics the AI Office starts with; staff add, rename and close topics in the back office.
TOPICS = [
    ("ai-pact", "The AI Pact", "Pledges, the AI Pact network, webinars for signatories.", 10),
    ("events", "Events and webinars", "Invitations to webinars, workshops and conferences.", 20),
    (
        "calls-for-experts",
        "Calls for experts",
        "Calls to join the Scientific Panel, the Advisory Forum and working groups.",
        30,
    ),
    (
        "codes-of-practice",
        "Codes of practice",
        "The drafting of codes of practice and guidelines under the AI Act.",
        40,
    ),
]


def add_topics(apps, schema_editor):
    Topic = apps.get_model("crm", "Topic")
    for code, name, description, order in TOPICS:
        Topic.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0010_subscriptions_and_mailings")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
