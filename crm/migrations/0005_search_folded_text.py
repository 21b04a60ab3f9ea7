"""Search without case or accents: a folded copy of the searched text (crm.text.fold), filled
for existing rows, trigram-indexed on PostgreSQL; it replaces the indexes on the raw columns."""

from django.db import migrations, models

from crm.text import fold

OLD_INDEXES = [
    "crm_org_name_trgm",
    "crm_org_acronym_trgm",
    "crm_person_last_name_trgm",
    "crm_person_first_name_trgm",
    "crm_person_email_trgm",
]


def fill(apps, schema_editor):
    Organisation = apps.get_model("crm", "Organisation")
    Person = apps.get_model("crm", "Person")
    batch = []
    for organisation in Organisation.objects.only("pk", "name", "acronym").iterator(2000):
        organisation.search_name = fold(f"{organisation.name} {organisation.acronym}")
        batch.append(organisation)
    Organisation.objects.bulk_update(batch, ["search_name"], batch_size=2000)
    batch = []
    for person in Person.objects.only("pk", "first_name", "last_name", "email").iterator(2000):
        person.search_text = fold(f"{person.first_name} {person.last_name} {person.email}")
        batch.append(person)
    Person.objects.bulk_update(batch, ["search_text"], batch_size=2000)


def index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS crm_org_search_trgm ON crm_organisation "
        "USING gin (search_name gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS crm_person_search_trgm ON crm_person "
        "USING gin (search_text gin_trgm_ops)"
    )


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS crm_org_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS crm_person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("crm", "0004_organisation_size_labels")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=320),
        ),
        migrations.AddField(
            model_name="person",
            name="search_text",
            field=models.CharField(blank=True, editable=False, max_length=460),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
