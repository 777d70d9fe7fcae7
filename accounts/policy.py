"""Who must use two-factor authentication, and who has it: the reads of the 2FA flow.

Superusers and question-bank admins must; everyone else may, unless
`OTP_REQUIRED_FOR_ALL` is on.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliances.access import BANK_ADMINS_GROUP, GROUP_FLAGS, group_flags

# The user (pk) whose single sign-on passed the provider's own second factor, trusted in
# place of ours (OIDC_TRUST_MFA, accounts/sso.py); the session ends with the log-out.
PROVIDER_MFA_SESSION_KEY = "accounts_provider_mfa_user"


def second_step_done(request) -> bool:
    """This session entered our code, or signed in through the provider's trusted MFA."""
    user = request.user
    if user.is_verified():
        return True
    return settings.OIDC_TRUST_MFA and request.session.get(PROVIDER_MFA_SESSION_KEY) == user.pk


@dataclass(frozen=True)
class TwoFactorState:
    has_device: bool
    required: bool


def two_factor_annotations() -> dict:
    """Query expressions for a User queryset: has an authenticator, and the group flags
    (a bank admin must have one)."""
    return dict(
        otp_has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        **group_flags(),
    )


def two_factor_state(user) -> TwoFactorState:
    """Whether `user` has a confirmed authenticator and whether they must have one.

    The signed-in user comes with the answer (accounts/backends.py); any other user
    costs one query.
    """
    flag = GROUP_FLAGS[BANK_ADMINS_GROUP]
    if hasattr(user, "otp_has_device"):
        has_device, bank_admin = user.otp_has_device, getattr(user, flag)
    else:
        row = get_user_model().objects.filter(pk=user.pk).values(**two_factor_annotations()).get()
        has_device, bank_admin = row["otp_has_device"], row[flag]
    required = settings.OTP_REQUIRED_FOR_ALL or user.is_superuser or bank_admin
    return TwoFactorState(has_device=has_device, required=required)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def current_code(device: TOTPDevice) -> str:
    """The code `device` accepts now: the next time step it has not seen yet.

    A TOTP code is refused once used, so a second log-in within the same 30 s needs the
    next step's code (the device accepts one step of clock drift). For the demo command
    and the tests; a real user reads the code from their app.
    """
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"
