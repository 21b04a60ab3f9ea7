from django.core.management.base import BaseCommand

from forums.real_bodies import bodies_ensure


class Command(BaseCommand):
    help = (
        "Create the AI Office's expert bodies (Scientific Panel, Advisory Forum and its "
        "permanent members, GPAI code of practice plenary and working groups) with their "
        "composition rules, where missing. Safe to run at every deployment."
    )

    def handle(self, *args, **options):
        created = bodies_ensure()
        self.stdout.write(f"{created} expert bodies created.")
