from django.core.management.base import BaseCommand

from reports.services import scheduled_reports_send


class Command(BaseCommand):
    help = (
        "Render the monthly saved reports not yet sent this month and email their link to "
        "their recipients (also a periodic Celery task, daily)."
    )

    def handle(self, *args, **options):
        result = scheduled_reports_send()
        self.stdout.write(f"{result['sent']} sent, {result['skipped']} skipped.")
