"""Print an alliance's go / no-go decision with every reason behind it."""

import json
from dataclasses import asdict
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from alliances.models import Alliance
from decisions.selectors import alliance_decision


def as_json(value):
    """Dataclasses and dates as JSON-ready values."""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "__dataclass_fields__"):
        return as_json(asdict(value))
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


class Command(BaseCommand):
    help = "Print the go / no-go decision of the alliance SLUG (--json for scripts)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, slug, **options):
        alliance = Alliance.objects.select_related("partner").filter(slug=slug).first()
        if alliance is None:
            raise CommandError(f"No alliance has the slug “{slug}”.")
        decision = alliance_decision(alliance)
        if options["json"]:
            data = {"alliance": alliance.slug, **as_json(decision)}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{alliance.name} (with {alliance.partner.name})")
        self.stdout.write(self.style.MIGRATE_HEADING(decision.verdict.value))
        self.stdout.write(decision.rationale)
        self.stdout.write("\nReasons:")
        for reason in decision.reasons:
            marker = "*" if reason.decisive else "-"
            self.stdout.write(f"  {marker} [{reason.rule}] {reason.text}")
        if decision.conditions:
            self.stdout.write("\nConditions to proceed:")
            for n, condition in enumerate(decision.conditions, 1):
                extra = ", ".join(
                    part
                    for part in (
                        condition.owner and f"owner {condition.owner}",
                        condition.due and f"due {condition.due:%Y-%m-%d}",
                    )
                    if part
                )
                self.stdout.write(f"  {n}. {condition.text}" + (f" ({extra})" if extra else ""))
