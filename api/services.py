"""Personal API tokens: made and revoked by their owner, an alliance manager."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import can_register_alliances
from api.models import TOKEN_NAME_MAX, ApiToken
from kit.secret_links import new_secret, secret_hash

TOKEN_PREFIX = "ar_"
# A manager rarely needs more; a cap keeps a leaked session from minting thousands.
TOKENS_PER_USER_MAX = 20
# `last_used_at` is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=5)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once, never stored


def can_have_tokens(user) -> bool:
    """Alliance managers (and superusers) make personal API tokens."""
    return can_register_alliances(user)


@transaction.atomic
def token_create(*, name: str, by, scope: str = ApiToken.Scope.READ) -> NewToken:
    """A new personal token of `by`, its key shown once; `scope` says whether it may
    also post KPI actuals."""
    if not can_have_tokens(by):
        raise PermissionDenied(_("Only alliance managers can make API tokens."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, to recognise it later.")})
    if len(name) > TOKEN_NAME_MAX:
        raise ValidationError(
            {"name": _("Keep the name under %(max)d characters.") % {"max": TOKEN_NAME_MAX}}
        )
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": _("Choose one of the listed scopes.")})
    if ApiToken.objects.select_for_update().filter(user=by).count() >= TOKENS_PER_USER_MAX:
        raise ValidationError(
            _("You already have %(max)d tokens: revoke one you no longer use first.")
            % {"max": TOKENS_PER_USER_MAX}
        )
    key = new_secret(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=by, name=name, scope=scope, prefix=key[:10], key_hash=secret_hash(key)
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, token: ApiToken, by) -> None:
    """A token stops working at once; only its owner (or a superuser) revokes it."""
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied(_("This is not your token."))
    token.delete()


@transaction.atomic
def token_used(*, token: ApiToken) -> None:
    """Note that `token` authenticated a request now (to the nearest LAST_USED_PRECISION)."""
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
