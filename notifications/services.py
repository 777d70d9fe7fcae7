"""Writes for notifications: one way to tell people, whoever tells them, and one way to
e-mail them.

`notify` is the only way an app creates notifications: it keeps them from leaking (only
people who may see the alliance hear of it), de-duplicates by key, and queues the
immediate e-mails. `mail_queue` is the mail path's way in (kit/mail.py): every e-mail is
stored in the sender's transaction and delivered by `notifications.tasks.deliver_mail`
once it commits, so a request never talks to SMTP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from alliances.models import Alliance, Membership
from notifications import emails, tasks
from notifications.models import (
    Delivery,
    DeliveryPreference,
    Kind,
    Notification,
    OutgoingMail,
)
from notifications.selectors import deliveries

TITLE_MAX = Notification._meta.get_field("title").max_length
BODY_MAX = Notification._meta.get_field("body").max_length
SUBJECT_MAX = OutgoingMail._meta.get_field("subject").max_length


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


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A notification's words: a string (already in its words), or better a function of no
# arguments that builds them with gettext, called in each recipient's language.
Text = str | Callable[[], str]


def _languages(users: list) -> dict[int, str]:
    """The language each user's notification is written in, by id: their profile's (as
    kit.people.preferred_language reads it), else the site's; one query for them all."""
    chosen = dict(
        type(users[0])
        .objects.filter(pk__in=[u.pk for u in users])
        .values_list("pk", "profile__language")
    )
    languages = {}
    for user in users:
        try:
            code = translation.get_supported_language_variant(chosen.get(user.pk) or "")
        except LookupError:
            code = ""
        languages[user.pk] = code or settings.LANGUAGE_CODE
    return languages


def _in_language(text: Text, language: str) -> str:
    if not callable(text):
        return str(text)
    with translation.override(language):
        return str(text())


def notify(
    kind: str,
    *,
    alliance: Alliance | None,
    recipients: Iterable,
    title: Text,
    body: Text = "",
    url: str = "",
    by=None,
    key: str | None = None,
) -> list[Notification]:
    """Tell `recipients` (users) about an event of `kind` on `alliance`, done by `by` (its
    actor, None for the system); return what was created. Skips `by` (nobody hears of
    what they did themselves), anyone who may not see the alliance, and anyone who
    already has a notification with `key`.

    `title` and `body` given as functions (`lambda: _("…") % {…}`) are written in each
    recipient's language (their profile's, else the site's), not the actor's: the page, the e-mail
    and the digest all show the stored words."""
    Kind(kind)  # refuse a kind nobody can choose a delivery for
    unique = {u.pk: u for u in recipients if u is not None}
    if by is not None:
        unique.pop(by.pk, None)
    users = _may_see(alliance, list(unique.values()))
    if not users:
        return []
    # Plain strings need no language (and no query); functions are called in each one.
    languages = (
        _languages(users)
        if callable(title) or callable(body)
        else dict.fromkeys((u.pk for u in users), "")
    )
    words: dict[str, tuple[str, str]] = {}
    for user in users:
        language = languages[user.pk]
        if language not in words:
            words[language] = (
                _clip(_in_language(title, language), TITLE_MAX),
                _clip(_in_language(body, language), BODY_MAX),
            )
    rows = [
        Notification(
            recipient=user,
            alliance=alliance,
            kind=kind,
            title=words[languages[user.pk]][0],
            body=words[languages[user.pk]][1],
            url=url,
            actor=by,
            key=key or None,
        )
        for user in users
    ]
    # The caller's transaction, or its own when called alone (a daily job): most writes
    # notify, so no savepoint of its own (no query added to theirs).
    with transaction.atomic(savepoint=False):
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
    if ids:
        # Queued with the notifications, in this transaction: nothing is lost if the
        # broker is down when it commits (the sweep sends what waited).
        emails.send_immediate(ids)


@transaction.atomic
def mail_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str = "",
    purpose: str = "",
    object_id: str = "",
) -> int:
    """Store an e-mail and have a worker deliver it once the transaction commits (never
    for a rollback): kit.mail.mail_queue, whatever the sender's room. Returns its id."""
    recipients = [address for address in to if address]
    if not recipients:
        raise ValueError("An e-mail needs at least one recipient.")
    mail = OutgoingMail.objects.create(
        recipients=recipients,
        # A header is one line (a line break in it would be refused when sending).
        subject=" ".join(str(subject).split())[:SUBJECT_MAX],
        body=body,
        html=html,
        purpose=purpose,
        object_id=object_id,
    )
    mail_id = mail.pk
    # Robust: a broker that is down must not turn a committed request into an error; the
    # e-mail stays queued and the sweep (notifications.tasks.requeue_mail) sends it.
    transaction.on_commit(lambda: tasks.deliver_mail.delay(mail_id), robust=True)
    return mail_id


@transaction.atomic
def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of `by`'s own notifications read (someone else's does not exist)."""
    if notification.recipient_id != by.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by) -> int:
    """Mark all of `by`'s own unread notifications read; return how many."""
    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, choices: dict[str, str], by) -> None:
    """Store `by`'s own delivery for each kind given (a choice equal to the default is
    stored too: the user chose it)."""
    for kind, delivery in choices.items():
        Kind(kind)
        Delivery(delivery)
        DeliveryPreference.objects.update_or_create(
            user=by, kind=kind, defaults={"delivery": delivery}
        )
