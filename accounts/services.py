"""Writes of the user's own account: the two-factor flow (set up, confirm, recovery codes,
removal) and their language."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Profile
from accounts.policy import two_factor_state

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@transaction.atomic
def pending_device_get_or_create(*, by) -> TOTPDevice:
    """`by`'s unconfirmed authenticator shown on the set-up page; the same one on reload."""
    device = TOTPDevice.objects.filter(user=by, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=by, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def device_confirm(*, device: TOTPDevice) -> list[str]:
    """Turn two-factor on with `device` (its first code checked); return new recovery codes."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_regenerate(by=device.user)


@transaction.atomic
def recovery_codes_regenerate(*, by) -> list[str]:
    """Replace every recovery code of `by` with new single-use ones; return them."""
    StaticDevice.objects.filter(user=by).delete()
    device = StaticDevice.objects.create(user=by, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_remove(*, by) -> None:
    """Turn two-factor off for `by`, unless they must have it."""
    if two_factor_state(by).required:
        raise PermissionDenied(_("Your account must keep two-factor authentication."))
    TOTPDevice.objects.filter(user=by).delete()
    StaticDevice.objects.filter(user=by).delete()


@transaction.atomic
def language_choose(*, language: str, by) -> Profile:
    """Remember `by`'s language (one of settings.LANGUAGES) in their profile, so it follows
    them to another browser and writes their e-mails and briefs."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the languages offered."))
    profile, _created = Profile.objects.update_or_create(user=by, defaults={"language": language})
    return profile
