"""The calendar feed's address: made, rotated and revoked by its owner only."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.models import CalendarFeed
from kit.secret_links import new_secret, secret_hash

TOKEN_PREFIX = "cal_"


@dataclass(frozen=True)
class NewAddress:
    feed: CalendarFeed
    token: str  # shown once, never stored


@transaction.atomic
def feed_create(*, by) -> NewAddress:
    """A private feed for `by`, its token shown once."""
    if CalendarFeed.objects.select_for_update().filter(user=by).exists():
        raise ValidationError(
            _("You already have a calendar feed: rotate it to get a new address.")
        )
    token = new_secret(TOKEN_PREFIX)
    feed = CalendarFeed.objects.create(
        user=by, token_hash=secret_hash(token), address_since=timezone.now()
    )
    return NewAddress(feed=feed, token=token)


@transaction.atomic
def feed_rotate(*, by) -> NewAddress:
    """A new address for `by`'s feed; the old one is a 404 from now on."""
    feed = CalendarFeed.objects.select_for_update().filter(user=by).first()
    if feed is None:
        raise ValidationError(_("You have no calendar feed yet: create one first."))
    token = new_secret(TOKEN_PREFIX)
    feed.token_hash, feed.address_since = secret_hash(token), timezone.now()
    feed.save(update_fields=["token_hash", "address_since"])
    return NewAddress(feed=feed, token=token)


@transaction.atomic
def feed_revoke(*, by) -> None:
    """`by`'s feed stops working at once (its address is a 404)."""
    CalendarFeed.objects.filter(user=by).delete()
