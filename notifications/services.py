"""Writes for notifications: one way to tell people, whoever tells them.

`notify` is the only way an app creates notifications: it keeps them from leaking (only
people who may see the alliance hear of it), de-duplicates by key, and queues the
immediate e-mails once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliances.models import Alliance, Membership
from notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    DeliveryPreference,
    Kind,
    Notification,
)

TITLE_MAX = Notification._meta.get_field("title").max_length
BODY_MAX = Notification._meta.get_field("body").max_length


def _may_see(alliance: Alliance | None, users: list) -> list:
    """The users who may know the alliance exists (alliances.access.can_see, for many
    users in one query): superusers, everyone for an open alliance, the team for a
    confidential one. Inactive users hear nothing."""
    users = [u for u in users if u.is_active]
    if alliance is None or not alliance.is_confidential:
        return users
    team = set(
        Membership.objects.filter(alliance=alliance, user__in=[u.pk for u in users]).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in users if u.is_superuser or u.pk in team]


def deliveries(kind: str, user_ids: Iterable[int]) -> dict[int, str]:
    """How each user wants to hear of `kind`: their choice, or the default."""
    user_ids = list(user_ids)
    chosen = dict(
        DeliveryPreference.objects.filter(kind=kind, user_id__in=user_ids).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY[kind]) for pk in user_ids}


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notify(
    kind: str,
    *,
    alliance: Alliance | None,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    actor=None,
    key: str | None = None,
) -> list[Notification]:
    """Tell `recipients` (users) about an event of `kind` on `alliance`; return what was
    created. Skips the actor (nobody hears of what they did themselves), anyone who may
    not see the alliance, and anyone who already has a notification with `key`."""
    Kind(kind)  # refuse a kind nobody can choose a delivery for
    unique = {u.pk: u for u in recipients if u is not None}
    if actor is not None:
        unique.pop(actor.pk, None)
    users = _may_see(alliance, list(unique.values()))
    if not users:
        return []
    rows = [
        Notification(
            recipient=user,
            alliance=alliance,
            kind=kind,
            title=_clip(title, TITLE_MAX),
            body=_clip(body, BODY_MAX),
            url=url,
            actor=actor,
            key=key or None,
        )
        for user in users
    ]
    if key:
        created = []
        for row in rows:
            # A savepoint each: a duplicate (another beat, another worker) is skipped
            # without spoiling the caller's transaction.
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue
            created.append(row)
    else:
        created = Notification.objects.bulk_create(rows)
    _queue_immediate_emails(kind, created)
    return created


def _queue_immediate_emails(kind: str, created: list[Notification]) -> None:
    if not created:
        return
    wanted = deliveries(kind, [n.recipient_id for n in created])
    ids = [n.pk for n in created if wanted[n.recipient_id] == Delivery.IMMEDIATELY]
    if not ids:
        return
    from notifications import tasks  # tasks imports the e-mail side, which imports this

    transaction.on_commit(lambda: tasks.send_notification_emails.delay(ids))


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read (someone else's does not exist)."""
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store the user's delivery for each kind given (a choice equal to the default is
    stored too: the user chose it)."""
    for kind, delivery in choices.items():
        Kind(kind)
        Delivery(delivery)
        DeliveryPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
