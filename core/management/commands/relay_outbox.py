from django.core.management.base import BaseCommand

from core.outbox import outbox_relay


class Command(BaseCommand):
    help = (
        "Publish the Celery tasks that wait in the outbox because the broker was unreachable "
        "(also a periodic Celery task, and run at every worker start)."
    )

    def handle(self, *args, **options):
        result = outbox_relay()
        self.stdout.write(
            f"{result['sent']} sent, {result['pending']} still waiting, "
            f"{result['purged']} old records removed."
        )
