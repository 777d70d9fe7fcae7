"""`manage.py export_bank SLUG [--version N] [-o FILE]`: write a bank version as YAML, or
as the Excel template when FILE ends in .xlsx."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from banks.excel import bank_workbook
from banks.export import export_bank
from banks.models import BankVersion
from banks.services import version_data


class Command(BaseCommand):
    help = "Export a question bank version as YAML (the format import_bank reads)."

    def add_base_argument(self, parser, *args, **kwargs):
        # `--version N` picks the bank version, as documented; Django's own --version goes.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The bank's slug, e.g. strategic-fit.")
        parser.add_argument(
            "--version",
            dest="number",
            type=int,
            help="Version number (default: the published one, else the latest).",
        )
        parser.add_argument("-o", "--output", help="Write to this file instead of the screen.")

    def handle(self, *args, **options):
        versions = BankVersion.objects.filter(bank__slug=options["slug"]).select_related("bank")
        if not versions.exists():
            raise CommandError(f"No question bank has the slug “{options['slug']}”.")
        if options["number"] is not None:
            version = versions.filter(number=options["number"]).first()
            if version is None:
                raise CommandError(f"Bank “{options['slug']}” has no version {options['number']}.")
        else:
            version = (
                versions.filter(status=BankVersion.Status.PUBLISHED).first()
                or versions.order_by("-number").first()
            )
        if options["output"] and options["output"].lower().endswith(".xlsx"):
            bank_workbook(version_data(version), options["output"])
            self.stderr.write(f"Wrote {version.label} to {options['output']} (Excel template).")
            return
        text = export_bank(version_data(version))
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {version.label} to {options['output']}.")
        else:
            self.stdout.write(text, ending="")
