"""What the webhooks room listens to: every event another room publishes (kit/events.py,
subscribed in apps.py), and the daily job that enqueues again the deliveries whose task
was lost."""

import logging
from datetime import date

from kit.events import Event
from webhooks import services, worker

logger = logging.getLogger(__name__)


def on_event(event: Event) -> None:
    """Make the event's deliveries. Called after the publisher's transaction committed:
    a failure here is logged, never the publisher's error (its write is done)."""
    try:
        services.deliveries_create(event=event)
    except Exception:
        logger.exception("Webhook deliveries for %s on alliance %s", event.type, event.alliance_id)


def requeue_daily(day: date) -> int:
    """Daily job: enqueue again the pending deliveries nobody is working on."""
    return services.deliveries_requeue(ids=worker.deliveries_overdue())
