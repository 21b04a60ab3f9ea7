"""Trigram indexes for the CRM's name and email search (`icontains`) on PostgreSQL.

Other databases do without them; the migration does nothing there.
"""

from django.db import migrations

INDEXES = [
    ("crm_org_name_trgm", "crm_organisation", "name"),
    ("crm_org_acronym_trgm", "crm_organisation", "acronym"),
    ("crm_person_last_name_trgm", "crm_person", "last_name"),
    ("crm_person_first_name_trgm", "crm_person", "first_name"),
    ("crm_person_email_trgm", "crm_person", "email"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("crm", "0002_roles_and_sectors")]

    operations = [migrations.RunPython(forwards, backwards)]
