from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = "Delete special requirements 30 days after each event (also a periodic Celery task)."

    def handle(self, *args, **options):
        count = services.special_requirements_purge()
        self.stdout.write(f"{count} registrations purged.")
