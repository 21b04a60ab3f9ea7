import json
from pathlib import Path

from django.db import migrations

# The topics the AI Office starts with, in the 24 official languages; staff add, rename and
# close topics in the back office.
TOPICS = Path(__file__).resolve().parent.parent / "data" / "default_topics.json"


def add_topics(apps, schema_editor):
    Topic = apps.get_model("crm", "Topic")
    for topic in json.loads(TOPICS.read_text(encoding="utf-8")):
        Topic.objects.get_or_create(
            code=topic["code"],
            defaults={
                "name": topic["name"],
                "description": topic["description"],
                "order": topic["order"],
                "translations": topic["translations"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0010_subscriptions_and_mailings")]

    operations = [migrations.RunPython(add_topics, migrations.RunPython.noop)]
