from django.core.management.base import BaseCommand

from forums import services


class Command(BaseCommand):
    help = (
        "End the memberships of expert bodies whose term is over, and send the reminders due "
        "60 days before a term ends (also periodic Celery tasks)."
    )

    def handle(self, *args, **options):
        ended = services.memberships_expire()
        reminded = services.membership_term_reminders_send()
        self.stdout.write(f"{ended} memberships ended, {reminded} term-end reminders sent.")
