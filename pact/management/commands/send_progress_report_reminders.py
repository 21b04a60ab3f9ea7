from django.core.management.base import BaseCommand

from pact.services import progress_reminders_send


class Command(BaseCommand):
    help = (
        "Remind representatives 30 days before a progress report is due and when it is "
        "overdue (the same as the daily Celery task)."
    )

    def handle(self, *args, **options):
        sent = progress_reminders_send()
        self.stdout.write(f"{sent} reminders sent")
