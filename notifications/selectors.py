"""Reads of notifications: how people want to hear of each kind, and where e-mails stand."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from kit.mail import MailState
from notifications.models import DEFAULT_DELIVERY, DeliveryPreference, Notification, OutgoingMail


def unread_count_annotation() -> dict:
    """For a User queryset: `unread_notifications`, the bell's count (my notifications not
    yet read, on the `notification_unread` index)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {"unread_notifications": Coalesce(Subquery(unread), 0)}


def unread_count(user) -> int:
    """The bell's count: read with the signed-in user when it was loaded with it."""
    if hasattr(user, "unread_notifications"):
        return user.unread_notifications
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deliveries(kind: str, user_ids: Iterable[int]) -> dict[int, str]:
    """How each user wants to hear of `kind`: their choice, or the default."""
    user_ids = list(user_ids)
    chosen = dict(
        DeliveryPreference.objects.filter(kind=kind, user_id__in=user_ids).values_list(
            "user_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, DEFAULT_DELIVERY[kind]) for pk in user_ids}


def problem_in_words(problem: str, detail: str) -> str:
    """The last error for the sender's page, in the active language: what happened and,
    when known, the server's own answer."""
    if not problem:
        return detail
    label = str(OutgoingMail.Problem(problem).label)
    return f"{label} ({detail})" if detail else label


def mail_states(purpose: str, object_ids: list[str]) -> dict[str, MailState]:
    """The state of the latest e-mail about each object (kit.mail.mail_states; 1 query)."""
    rows = (
        OutgoingMail.objects.filter(purpose=purpose, object_id__in=object_ids)
        .order_by("object_id", "-pk")
        .values_list("object_id", "status", "problem", "last_error", "attempts")
    )
    states: dict[str, MailState] = {}
    for object_id, status, problem, detail, attempts in rows:
        if object_id not in states:  # the latest comes first
            states[object_id] = MailState(
                status=status, problem=problem_in_words(problem, detail), attempts=attempts
            )
    return states
