"""Writes of the user's own account: the two-factor flow (set up, confirm, recovery codes,
removal), their language, and the account single sign-on signs in to."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Profile, SingleSignOnIdentity
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


@transaction.atomic
def sso_sign_in(
    *,
    issuer: str,
    subject: str,
    email: str,
    email_verified: bool,
    names: tuple[str, str],
    groups: list[str] | None,
    group_map: dict[str, str],
):
    """The account the provider's person (`subject` at `issuer`) signs in to, from claims
    already verified (accounts/sso.py). Refused with PermissionDenied and the reason.

    The account linked to the subject; else the one account with `email`, linked only if
    the provider verified the address (an unverified one could be anybody's); else a new
    account without a password. Then, when `groups` is given, the role groups named in
    `group_map` follow them (groups outside the map are left as they are)."""
    identity = (
        SingleSignOnIdentity.objects.select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        account = identity.user
    else:
        account = _account_to_link(issuer=issuer, email=email, verified=email_verified)
        if account is None:
            account = _account_create(email=email, names=names)
        SingleSignOnIdentity.objects.create(user=account, issuer=issuer, subject=subject)
    if not account.is_active:
        raise PermissionDenied(_("Your account here is disabled: ask an administrator."))
    if groups is not None:
        _role_groups_follow(account, groups=groups, group_map=group_map)
    return account


def _account_to_link(*, issuer: str, email: str, verified: bool):
    if not email:
        raise PermissionDenied(
            _("Your identity provider sent no e-mail address, so no account could be found.")
        )
    matches = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if not matches:
        return None
    if len(matches) > 1:
        raise PermissionDenied(
            _(
                "Several accounts here have the e-mail address %(email)s: ask an "
                "administrator to give each its own address."
            )
            % {"email": email}
        )
    if not verified:
        raise PermissionDenied(
            _(
                "An account with the e-mail address %(email)s exists here, but your identity "
                "provider has not verified that address, so it was not linked to you. Verify "
                "the address with your identity provider, or ask an administrator."
            )
            % {"email": email}
        )
    account = matches[0]
    if account.sso_identities.filter(issuer=issuer).exists():
        raise PermissionDenied(
            _(
                "The account with the e-mail address %(email)s is already linked to another "
                "person of your identity provider: ask an administrator."
            )
            % {"email": email}
        )
    return account


def _account_create(*, email: str, names: tuple[str, str]):
    """A new account named after the address (`ada.lovelace`, else `ada.lovelace-2` …);
    no usable password: it signs in through the provider (or after a password reset)."""
    users = get_user_model().objects
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "user"
    username, number = base, 1
    while users.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}-{number}"
    first_name, last_name = (name[:150] for name in names)
    return users.create_user(username, email=email, first_name=first_name, last_name=last_name)


def _role_groups_follow(account, *, groups: list[str], group_map: dict[str, str]) -> None:
    managed = set(group_map.values())
    wanted = {group_map[group] for group in groups if group in group_map}
    by_name = {name: Group.objects.get_or_create(name=name)[0] for name in managed}
    account.groups.remove(*(by_name[name] for name in managed - wanted))
    account.groups.add(*(by_name[name] for name in wanted))
