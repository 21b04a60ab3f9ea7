from django.core.management.base import BaseCommand

from crm.mailings.tasks import send_due_mailings


class Command(BaseCommand):
    help = (
        "Start the mailings whose time has come and take up those a dead worker left "
        "(the same as the Celery task run every minute)."
    )

    def handle(self, *args, **options):
        count = send_due_mailings()
        self.stdout.write(f"{count} mailing(s) started or taken up.")
