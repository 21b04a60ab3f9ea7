from django.core.management.base import BaseCommand

from core.privacy import retention_purge


class Command(BaseCommand):
    help = (
        "Delete or anonymise the personal data kept longer than its retention period "
        "(settings.RETENTION_DAYS) and report what was done per kind."
    )

    def handle(self, *args, **options):
        for kind, count in retention_purge().items():
            if count is None:
                self.stdout.write(f"{kind}: no retention period set, skipped")
            else:
                self.stdout.write(f"{kind}: {count}")
