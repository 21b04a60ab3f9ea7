from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = (
        "Let lapsed waiting-list offers pass on to the next person (also a periodic Celery task)."
    )

    def handle(self, *args, **options):
        count = services.waitlist_offers_expire()
        self.stdout.write(f"{count} offers expired.")
