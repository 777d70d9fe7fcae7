"""Print the current two-factor code of a demo user (the demo key is published)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.policy import current_code
from alliances.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (admin, bankadmin) for logging in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        # Only the demo key: a real user's code comes from their own phone, never from here.
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=DEMO_TOTP_KEY
        ).first()
        if device is None:
            raise CommandError(
                f"{username!r} has no demo authenticator (run `manage.py seed_demo` first)."
            )
        self.stdout.write(current_code(device))
