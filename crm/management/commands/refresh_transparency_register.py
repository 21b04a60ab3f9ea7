from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from crm.register_refresh import apply_refresh, plan_refresh, read_export


class Command(BaseCommand):
    help = (
        "Refresh organisations from an EU Transparency Register export (XML, or the XLS saved "
        "as CSV): shows what would change, then applies it all at once unless --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the export file")
        parser.add_argument(
            "--full",
            action="store_true",
            help="the file is the whole register: flag organisations whose ID is not in it",
        )
        parser.add_argument("--dry-run", action="store_true", help="show, change nothing")

    def handle(self, *args, file, full, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {path}")
        try:
            records, export_date = read_export(path.read_bytes())
        except DomainError as error:
            raise CommandError(str(error)) from error
        plan = plan_refresh(records, export_date=export_date, full_export=full)
        for row in plan.changed:
            changes = "; ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in row.changes.items())
            self.stdout.write(f"{row.register_id} {changes}")
        for row in plan.refused:
            self.stdout.write(f"line {row.line} refused: {row.refused}")
        counts = plan.counts()
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
            return
        refresh = apply_refresh(actor=None, plan=plan, file_name=path.name)
        self.stdout.write(f"Applied (refresh {refresh.pk}).")
