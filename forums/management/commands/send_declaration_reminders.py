from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = (
        "Remind members in a personal capacity to renew their yearly declaration of interests, "
        "30 days before it is due (also a periodic Celery task)."
    )

    def handle(self, *args, **options):
        sent = services.declaration_reminders_send()
        self.stdout.write(f"{sent} declaration reminders sent.")
