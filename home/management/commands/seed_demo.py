"""Load demo users and data so every page has content; safe to run again.

Each app seeds its own part (`<app>/demo.py`, `seed(demo) -> lines`), in the order the
apps depend on each other: home sits above them all, so it calls each one directly.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from alliances import demo as alliance_demo
from assessments import demo as assessment_demo
from banks import demo as bank_demo
from briefs import demo as brief_demo
from decisions import demo as decision_demo
from meetings import demo as meeting_demo
from signoffs import demo as signoff_demo
from sponsors import demo as sponsor_demo
from webhooks import demo as webhook_demo

# After the alliances' users, organisations and alliances, in this order.
SEEDS = (
    sponsor_demo.seed,
    bank_demo.seed,
    assessment_demo.seed,
    decision_demo.seed,
    signoff_demo.seed,
    meeting_demo.seed,
    brief_demo.seed,
    webhook_demo.seed,
)


class Command(BaseCommand):
    help = "Create (or refresh) the demo users, organisations, alliances, banks and assessments."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    def handle(self, *args, **options):
        # The demo's notifications stay in the app: their e-mails would bury the logins.
        dummy = "django.core.mail.backends.dummy.EmailBackend"
        with override_settings(EMAIL_BACKEND=dummy), transaction.atomic():
            self.seed()
        if not options["quiet_logins"]:
            self.print_logins()

    def seed(self):
        demo = alliance_demo.seed()
        for seed in SEEDS:
            for line in seed(demo):
                self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def print_logins(self):
        self.stdout.write("\nDemo logins (username / password — who):")
        for demo in alliance_demo.DEMO_USERS:
            self.stdout.write(f"  {demo.username:<12} {demo.password:<18} {demo.role}")
        two_factor = [demo.username for demo in alliance_demo.DEMO_USERS if demo.needs_two_factor]
        self.stdout.write(
            f"\n{' and '.join(two_factor)} then enter a two-factor code:\n"
            f"  .venv/bin/python manage.py two_factor_code {two_factor[-1]}   prints the "
            f"current one ({' or '.join(two_factor)}),\n"
            f"  or add the demo key {alliance_demo.DEMO_TOTP_KEY_BASE32} to an "
            "authenticator app."
        )
