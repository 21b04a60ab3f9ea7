from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.registry import registry


class Command(BaseCommand):
    help = "Load demo data for every app. Safe to run again: existing records are kept."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # The demo accounts have a published password and second-factor secret.
            raise CommandError("Demo data is refused in production (DJANGO_ENV=production).")
        for _order, name, seeder in registry.demo_seeders:
            with transaction.atomic():
                summary = seeder()
            self.stdout.write(f"{name}: {summary or 'ok'}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
