from django.core.management.base import BaseCommand

from core.jobs import jobs_reap_expired


class Command(BaseCommand):
    help = (
        "Hand the jobs whose worker died (running, lease run out) to a new attempt, or report "
        "them failed after the last attempt (also a periodic Celery task, every minute)."
    )

    def handle(self, *args, **options):
        result = jobs_reap_expired()
        self.stdout.write(f"{result['requeued']} started again, {result['failed']} failed.")
