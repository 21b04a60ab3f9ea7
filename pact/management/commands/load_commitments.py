from django.core.management.base import BaseCommand

from pact.catalogue import catalogue_load, catalogue_translations_fill
from pact.models import Commitment


class Command(BaseCommand):
    help = (
        "Add the commitments of pact/data/ai_pact_commitments.json that are not in the "
        "catalogue, and the languages that commitments lack from "
        "pact/data/commitment_translations.json."
    )

    def handle(self, *args, **options):
        created = catalogue_load(Commitment)
        translated = catalogue_translations_fill(Commitment)
        self.stdout.write(
            f"{created} commitments added, {translated} commitments given more languages"
        )
