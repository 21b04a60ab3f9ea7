from django.db import migrations

ROLES = ["Pact officer", "Body secretariat", "Events manager", "Data-protection coordinator"]

# The 14 industrial ecosystems of the EU industrial strategy (as used by GenAI4EU).
SECTORS = [
    ("aerospace-defence", "Aerospace and defence"),
    ("agri-food", "Agri-food"),
    ("construction", "Construction"),
    ("cultural-creative", "Cultural and creative industries"),
    ("digital", "Digital"),
    ("electronics", "Electronics"),
    ("energy-intensive", "Energy-intensive industries"),
    ("renewable-energy", "Renewable energy"),
    ("health", "Health"),
    ("mobility", "Mobility, transport and automotive"),
    ("proximity-social", "Proximity, social economy and civil security"),
    ("retail", "Retail"),
    ("textiles", "Textiles"),
    ("tourism", "Tourism"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Sector = apps.get_model("crm", "Sector")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    for code, name in SECTORS:
        Sector.objects.get_or_create(code=code, defaults={"name": name})


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, backwards)]
