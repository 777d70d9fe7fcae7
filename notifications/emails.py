"""The e-mails: one per immediate notification, one digest a day per user, each queued
on the mail path (kit/mail.py) and delivered by the worker.

A confidential alliance is never named in an e-mail: the subject says only "a confidential
alliance" and the body links to the notification behind the log-in.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kit.mail import mail_queue
from kit.people import preferred_language
from kit.site_url import absolute_url
from notifications.models import Delivery, Notification
from notifications.selectors import deliveries

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Alliance Readiness] "
# What the mail path calls these e-mails (kit.mail `purpose`).
NOTIFICATION_MAIL, DIGEST_MAIL = "notification", "digest"


def open_url(notification: Notification) -> str:
    """The absolute link that opens the notification (and marks it read) after log-in."""
    path = reverse("notifications:open", args=[notification.pk])
    return absolute_url(path)


def target_url(notification: Notification) -> str:
    """The absolute link to where the work is (an open alliance's page may be named)."""
    if notification.url.startswith("/"):
        return absolute_url(notification.url)
    return open_url(notification)


def is_confidential(notification: Notification) -> bool:
    return notification.alliance is not None and notification.alliance.is_confidential


def subject_of(notification: Notification) -> str:
    if is_confidential(notification):
        return SUBJECT_PREFIX + _("News on a confidential alliance")
    return SUBJECT_PREFIX + notification.title


def text_of(notification: Notification) -> str:
    """What a notification says in an e-mail: everything, or for a confidential alliance
    only that there is something behind the log-in."""
    if is_confidential(notification):
        return _("There is news on a confidential alliance. Sign in to read it:\n%(url)s") % {
            "url": open_url(notification)
        }
    lines = [notification.title]
    if notification.body:
        lines.append(notification.body)
    lines.append(target_url(notification))
    return "\n".join(lines)


def _footer() -> str:
    url = absolute_url(reverse("notifications:preferences"))
    return _("Choose which e-mails you get: %(url)s") % {"url": url}


def in_their_language(user):
    """E-mails speak the language the recipient chose (else the site's)."""
    return translation.override(preferred_language(user) or settings.LANGUAGE_CODE)


def _send(user, subject: str, text: str, *, purpose: str, object_id: str) -> None:
    """Queue the e-mail (the worker sends it once the transaction commits)."""
    mail_queue(
        to=[user.email],
        subject=subject,
        body=f"{text}\n\n-- \n{_footer()}\n",
        purpose=purpose,
        object_id=object_id,
    )


def _claimed(ids) -> list[Notification]:
    """Lock the notifications not yet e-mailed; another worker holding them is skipped."""
    return list(
        Notification.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(pk__in=ids, emailed_at__isnull=True)
        .select_related("recipient", "alliance")
        .order_by("pk")
    )


def send_immediate(notification_ids: list[int]) -> int:
    """Queue the e-mail of each notification whose recipient wants it at once; idempotent:
    a notification is e-mailed once. Returns how many e-mails were queued."""
    sent = 0
    for pk in notification_ids:
        with transaction.atomic():
            claimed = _claimed([pk])
            if not claimed:
                continue
            notification = claimed[0]
            user = notification.recipient
            wanted = deliveries(notification.kind, [user.pk])[user.pk]
            if not user.email or not user.is_active or wanted != Delivery.IMMEDIATELY:
                continue
            with in_their_language(user):
                _send(
                    user,
                    subject_of(notification),
                    text_of(notification),
                    purpose=NOTIFICATION_MAIL,
                    object_id=str(notification.pk),
                )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def _pending_digest_ids() -> dict[int, list[int]]:
    """Unread, not yet e-mailed notifications whose recipient wants a digest of their kind."""
    pending = Notification.objects.filter(
        emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True
    ).exclude(recipient__email="")
    rows = list(pending.values_list("pk", "recipient_id", "kind"))
    by_kind: dict[str, set[int]] = defaultdict(set)
    for _pk, user_id, kind in rows:
        by_kind[kind].add(user_id)
    wanted = {kind: deliveries(kind, users) for kind, users in by_kind.items()}
    ids: dict[int, list[int]] = defaultdict(list)
    for pk, user_id, kind in rows:
        if wanted[kind][user_id] == Delivery.DIGEST:
            ids[user_id].append(pk)
    return ids


def digest_text(notifications: list[Notification]) -> str:
    """The digest's body: grouped by alliance, confidential ones without a word of them."""
    groups: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        if notification.alliance is None:
            heading = _("General")
        elif notification.alliance.is_confidential:
            heading = _("A confidential alliance")
        else:
            heading = notification.alliance.name
        groups[heading].append(notification)
    parts = []
    for heading, items in groups.items():
        lines = [heading, "=" * len(heading)]
        for notification in items:
            if is_confidential(notification):
                link = {"url": open_url(notification)}
                lines.append("- " + _("Sign in to read it: %(url)s") % link)
            else:
                lines.append(f"- {notification.title}\n  {target_url(notification)}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def send_digests(day: date) -> int:
    """Queue one e-mail per user with what waited for the digest; run daily. Idempotent:
    what a digest carried is marked e-mailed in the same transaction that queues it.
    Returns how many digests were queued."""
    sent = 0
    for user_id, ids in _pending_digest_ids().items():
        with transaction.atomic():
            notifications = _claimed(ids)
            if not notifications:
                continue
            user = notifications[0].recipient
            with in_their_language(user):
                subject = SUBJECT_PREFIX + ngettext(
                    "Your daily digest of %(day)s: %(count)d notification",
                    "Your daily digest of %(day)s: %(count)d notifications",
                    len(notifications),
                ) % {"day": day.isoformat(), "count": len(notifications)}
                _send(
                    user,
                    subject,
                    digest_text(notifications),
                    purpose=DIGEST_MAIL,
                    object_id=f"{user_id}:{day.isoformat()}",
                )
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent
