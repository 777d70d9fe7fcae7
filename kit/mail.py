"""The one mail path, as every room sees it: queue an e-mail, read where it stands.

A web request never talks to SMTP. A sender queues its e-mail here, naming what it is
about (a `purpose` such as "team_invitation" and the object's id); the e-mail is stored
in the sender's transaction and, once that commits, a Celery worker delivers it, with
retries and backoff. A server that is slow or refuses shows as the e-mail's state on the
sender's page, never as an error of the request.

`notifications` keeps the e-mails and their worker (notifications/services.py
`mail_queue`, tasks.py `deliver_mail`, worker.py). Alliances sits below it and cannot
import it, so notifications adds its two functions to the registries here from
`NotificationsConfig.ready()`, and every sender, whatever its room, calls `mail_queue`
and `mail_states` below.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from kit.registry import Registry

# An e-mail's states, in the order they usually come.
QUEUED, SENDING, SENT, RETRYING, FAILED = "queued", "sending", "sent", "retrying", "failed"


@dataclass(frozen=True)
class MailState:
    """Where the latest e-mail about something stands, for the sender's page."""

    status: str  # one of the states above
    problem: str = ""  # the last error in plain words (in the active language); "" if none
    attempts: int = 0

    @property
    def is_sent(self) -> bool:
        return self.status == SENT

    @property
    def is_retrying(self) -> bool:
        return self.status == RETRYING

    @property
    def is_failed(self) -> bool:
        """Given up after the last retry (or refused for good): it will not be sent."""
        return self.status == FAILED


# Keyword-only: to, subject, body, html, purpose, object_id; returns the stored e-mail's id.
MailQueue = Callable[..., int]
# (purpose, object ids as text) -> the state of the latest e-mail about each of them
MailStateReader = Callable[[str, list[str]], dict[str, MailState]]

mail_queues: Registry[MailQueue] = Registry("mail queue")
mail_state_readers: Registry[MailStateReader] = Registry("mail states")


def _the_one(registry: Registry):
    entries = list(registry)
    if len(entries) != 1:
        raise ImproperlyConfigured(
            f"The mail path needs exactly one entry in {registry!r}: "
            "NotificationsConfig.ready() adds it."
        )
    return entries[0]


def mail_queue(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str = "",
    purpose: str = "",
    object_id: object = "",
) -> int:
    """Queue an e-mail: stored now, in the caller's transaction, and delivered by a
    worker once it commits (never for a rollback). Returns the stored e-mail's id."""
    return _the_one(mail_queues)(
        to=list(to),
        subject=subject,
        body=body,
        html=html,
        purpose=purpose,
        object_id=str(object_id),
    )


def mail_states(*, purpose: str, object_ids: Iterable[object]) -> dict[str, MailState]:
    """The state of the latest e-mail about each object, by the object's id as text; an
    object nothing was e-mailed about is absent. One query, whatever the number."""
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return {}
    return _the_one(mail_state_readers)(purpose, ids)
