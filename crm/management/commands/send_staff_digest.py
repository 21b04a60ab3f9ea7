from django.core.management.base import BaseCommand

from crm.alerts import staff_digest_send


class Command(BaseCommand):
    help = (
        "Email each staff member on the daily digest what waits for them (the same as the "
        "daily Celery task; a member gets at most one digest in 20 hours)."
    )

    def handle(self, *args, **options):
        sent = staff_digest_send()
        self.stdout.write(f"{sent} digests sent")
