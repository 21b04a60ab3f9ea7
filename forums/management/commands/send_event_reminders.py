from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = "Send the 24-hour reminders of upcoming events (also a periodic Celery task)."

    def handle(self, *args, **options):
        count = services.event_reminders_send()
        self.stdout.write(f"{count} reminders sent.")
