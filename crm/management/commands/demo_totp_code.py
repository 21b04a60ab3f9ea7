from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from crm.demo import DEMO_STAFF_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff accounts (development only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo accounts do not exist in production.")
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        counter = next(iter(yield_hotp_counters_from_time()))
        self.stdout.write(format_hotp_value(hotp_value(DEMO_STAFF_TOTP_SECRET, counter)))
