from django.db import migrations


def load(apps, schema_editor):
    from pact.catalogue import catalogue_load

    catalogue_load(apps.get_model("pact", "Commitment"))


class Migration(migrations.Migration):
    dependencies = [("pact", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
