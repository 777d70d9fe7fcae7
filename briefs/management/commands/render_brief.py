"""Render an alliance's brief now, through the worker's code path, for operators."""

from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from alliances.models import Alliance
from alliances.services import system_user
from briefs import services, worker


class Command(BaseCommand):
    help = (
        "Render the executive brief of the alliance SLUG from its current evidence "
        "(in this process, not on a worker) and optionally copy the PDF to FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--out", metavar="FILE", help="Also write the PDF to this file.")

    def handle(self, *args, slug, out=None, **options):
        alliance = Alliance.objects.select_related("partner").filter(slug=slug).first()
        if alliance is None:
            raise CommandError(f"No alliance has the slug “{slug}”.")
        try:
            # Commands act as the system user (named in the history).
            brief = services.brief_render_now(alliance=alliance, by=system_user())
        except worker.BriefBusy as busy:
            raise CommandError(f"A worker is rendering this brief now: {busy}") from busy
        except services.BriefNotRendered as failure:
            raise CommandError(f"Rendering failed: {failure}") from failure
        self.stdout.write(
            f"{brief.verdict}: brief {brief.pk} of {alliance.name} is ready "
            f"({brief.pdf.name}, sha256 {brief.pdf_sha256[:16]}…)."
        )
        if out:
            with default_storage.open(brief.pdf.name, "rb") as pdf:
                Path(out).write_bytes(pdf.read())
            self.stdout.write(f"Written to {out}.")
