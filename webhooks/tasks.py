"""Celery tasks: thin, they take ids and call the worker side (webhooks/worker.py).

`webhooks/services.py` imports this module to enqueue; nothing imported here imports the
services, so the two never import each other.
"""

from celery import shared_task

from webhooks import worker

# The delivery's row counts its attempts and says when to stop (WEBHOOK_MAX_ATTEMPTS), so
# a task enqueued again by the sweep goes on counting: Celery's own count is no limit.
OPTIONS = dict(bind=True, max_retries=None, acks_late=True, reject_on_worker_lost=True)


@shared_task(name="webhooks.tasks.deliver_webhook", **OPTIONS)
def deliver_webhook(task, delivery_id: int) -> None:
    """Send one webhook delivery; a failure worth another try is retried with backoff."""
    retry_in = worker.delivery_attempt(delivery_id=delivery_id)
    if retry_in is None:
        return
    if task.request.is_eager:
        # In-process (no broker) the delivery stays pending for the daily sweep: the
        # request that published the event never waits out a backoff.
        return
    raise task.retry(countdown=retry_in)
