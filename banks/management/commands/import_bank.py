"""`manage.py import_bank FILE.yaml`: load a bank version (format: banks/README.md)."""

from django.core.management.base import BaseCommand, CommandError

from banks.parse import BankFormatError
from banks.services import bank_import_file


class Command(BaseCommand):
    help = "Import a question bank version from a YAML file (nothing is written if it is invalid)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the bank's YAML file (or .xlsx Excel template).")

    def handle(self, *args, **options):
        try:
            version = bank_import_file(path=options["file"])
        except BankFormatError as exc:
            raise CommandError("The bank was not imported:\n  " + "\n  ".join(exc.errors)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {version.label} ({version.get_status_display().lower()})."
            )
        )
