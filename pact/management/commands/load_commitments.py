from django.core.management.base import BaseCommand

from pact.catalogue import catalogue_load
from pact.models import Commitment


class Command(BaseCommand):
    help = (
        "Add the commitments of pact/data/ai_pact_commitments.json that are not in the catalogue."
    )

    def handle(self, *args, **options):
        created = catalogue_load(Commitment)
        self.stdout.write(f"{created} commitments added")
