"""Keep the translation catalogues of the 24 official languages complete.

manage.py catalogue update          # collect the strings into every language's catalogue
manage.py catalogue status          # per language: entries, missing, fuzzy, bad placeholders
manage.py catalogue todo sv > a.json   # what Swedish still needs, for a translator
manage.py catalogue fill sv b.json  # {"key": "text" or [plural forms]} into the catalogue
"""

import json

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core import catalogues

IGNORED = [".venv", "node_modules", "vendor", "tests", "bench", "test-artifacts", "staticfiles"]


class Command(BaseCommand):
    help = "Update, inspect and fill the translation catalogues."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("update", help="Collect the marked strings into every catalogue.")
        sub.add_parser("status", help="How complete each catalogue is.")
        todo = sub.add_parser("todo", help="Untranslated and fuzzy entries of a language, as JSON.")
        todo.add_argument("code")
        fill = sub.add_parser("fill", help="Put a translator's JSON file into a catalogue.")
        fill.add_argument("code")
        fill.add_argument("files", nargs="+")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def _language(self, code):
        if code not in catalogues.translated_languages():
            raise CommandError(f"{code!r} is not one of {catalogues.translated_languages()}.")
        return code

    def handle_update(self, **options):
        codes = catalogues.translated_languages()
        call_command(
            "makemessages",
            locale=codes,
            ignore_patterns=IGNORED,
            add_location="file",
            no_obsolete=True,
            no_wrap=True,
            verbosity=0,
        )
        for code in codes:
            catalogue = catalogues.load(code)
            catalogues.set_header(catalogue, code)
            catalogue.save()
        self.handle_status()

    def handle_status(self, **options):
        incomplete = 0
        for code in catalogues.translated_languages():
            status = catalogues.status(code)
            incomplete += not status.complete
            self.stdout.write(
                f"{code}: {status.total} entries, {len(status.missing)} missing, "
                f"{len(status.fuzzy)} fuzzy, {len(status.wrong_placeholders)} wrong placeholders"
                + ("" if status.plural_forms_ok else ", wrong Plural-Forms header")
            )
        self.stdout.write(f"{incomplete} incomplete catalogue(s).")

    def handle_todo(self, code, **options):
        entries = catalogues.todo(self._language(code))
        self.stdout.write(json.dumps(entries, ensure_ascii=False, indent=0))

    def handle_fill(self, code, files, **options):
        code = self._language(code)
        translations = {}
        for name in files:
            with open(name, encoding="utf-8") as handle:
                translations.update(json.load(handle))
        result = catalogues.fill(code, translations)
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(f"{code}: {result.filled} filled, {len(result.problems)} refused.")
