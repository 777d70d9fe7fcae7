"""Writes of the webhooks room: a superuser registers, edits, re-keys and deletes an
endpoint and replays a delivery; an event published by another room (kit/events.py)
becomes one delivery per endpoint allowed to hear of it, each sent by a Celery task
(webhooks/tasks.py) once the transaction commits."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance
from kit.events import Event
from webhooks import signing, tasks
from webhooks.addresses import NO_HOST, NOT_HTTPS, PRIVATE, UNKNOWN_HOST, UnsafeURL, check_url
from webhooks.models import EVENT_LABELS, Delivery, Endpoint


def may_manage_webhooks(user) -> bool:
    """Webhooks carry what happens on every alliance to another system: superusers only."""
    return bool(user.is_authenticated and user.is_superuser)


def _ensure_may_manage(by) -> None:
    if not may_manage_webhooks(by):
        raise PermissionDenied(_("Only superusers manage webhooks."))


def url_problem(url: str) -> str | None:
    """Why `url` may not receive webhooks, in the user's words; None when it may."""
    try:
        check_url(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE)
    except UnsafeURL as exc:
        return {
            NOT_HTTPS: _("Webhooks go only to https:// addresses."),
            NO_HOST: _("This address names no host."),
            UNKNOWN_HOST: _("The host “%(host)s” could not be found."),
            PRIVATE: _(
                "This address leads to a private or local network (%(host)s): webhooks go "
                "only to public addresses."
            ),
        }[exc.reason] % {"host": exc.detail}
    return None


@transaction.atomic
def endpoint_save(*, endpoint: Endpoint, alliances, by) -> Endpoint:
    """Register or change an endpoint: its address must be safe (webhooks/addresses.py);
    a new one gets its secret; an endpoint for listed alliances needs at least one."""
    _ensure_may_manage(by)
    problem = url_problem(endpoint.url)
    if problem:
        raise ValidationError({"url": problem})
    alliances = list(alliances or [])
    if endpoint.scope == Endpoint.Scope.LISTED and not alliances:
        raise ValidationError({"alliances": _("Choose the alliances it may hear of.")})
    if endpoint.scope == Endpoint.Scope.ALL:
        alliances = []
    if endpoint.pk is None:
        endpoint.secret = signing.new_secret()
        endpoint.created_by = by
    endpoint.events = [code for code in endpoint.events if code in EVENT_LABELS]
    endpoint.save()
    endpoint.alliances.set(alliances)
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, by) -> Endpoint:
    """A new secret at once: the next deliveries (retries included) are signed with it."""
    _ensure_may_manage(by)
    endpoint.secret = signing.new_secret()
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at"])
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, by) -> None:
    """The endpoint and its delivery log go; a task still queued for it finds nothing."""
    _ensure_may_manage(by)
    endpoint.delete()


def _enqueue(delivery: Delivery) -> None:
    tasks.deliver_webhook.delay_on_commit(delivery.pk)


@transaction.atomic
def delivery_replay(*, delivery: Delivery, by) -> Delivery:
    """Send a delivery's message again, as a new delivery in the log with the same
    message id (a receiver that keeps ids sees a repeat, not a new event)."""
    _ensure_may_manage(by)
    again = Delivery.objects.create(
        endpoint=delivery.endpoint,
        event_type=delivery.event_type,
        webhook_id=delivery.webhook_id,
        payload=delivery.payload,
    )
    _enqueue(again)
    return again


def may_hear_of(endpoint: Endpoint, alliance: Alliance, listed: set[int]) -> bool:
    """An endpoint hears of a confidential alliance only when it lists it; one for every
    alliance hears of the others. `listed` is the endpoint's alliances' ids."""
    if endpoint.scope == Endpoint.Scope.LISTED:
        return alliance.pk in listed
    return not alliance.is_confidential


def payload_of(event: Event) -> dict:
    """What is sent: the event's type and time, the alliance's id and the event's facts
    (ids and codes: kit/events.py)."""
    return {
        "type": event.type,
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "data": {"alliance_id": event.alliance_id, **event.facts},
    }


@transaction.atomic
def deliveries_create(*, event: Event) -> list[Delivery]:
    """One delivery per active endpoint subscribed to the event and allowed to hear of
    its alliance, each enqueued once this transaction commits."""
    alliance = Alliance.objects.filter(pk=event.alliance_id).first()
    if alliance is None:
        return []
    endpoints = Endpoint.objects.filter(is_active=True).prefetch_related("alliances")
    payload = payload_of(event)
    made = []
    for endpoint in endpoints:
        listed = {a.pk for a in endpoint.alliances.all()}
        if event.type not in endpoint.events or not may_hear_of(endpoint, alliance, listed):
            continue
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            event_type=event.type,
            webhook_id=signing.new_message_id(),
            payload=payload,
        )
        _enqueue(delivery)
        made.append(delivery)
    return made


def deliveries_requeue(*, ids: list[int]) -> int:
    """Enqueue again the deliveries whose task was lost (webhooks/worker.py finds them)."""
    for pk in ids:
        tasks.deliver_webhook.delay(pk)
    return len(ids)
