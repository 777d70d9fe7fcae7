"""The mail path on a real Celery worker over the real broker, with Django's SMTP backend
talking to a real SMTP server on loopback (tests/smtp_server.py): a team invitation
made while the server refuses is kept, retried with backoff and delivered once the
server accepts again; a server that never accepts ends as "could not be delivered".
The inviting request only stores and enqueues, whatever the server does."""

import re
import time

import pytest
from django.urls import reverse

from alliances.models import Invitation
from config.celery import app
from kit.secret_links import secret_hash
from notifications.models import OutgoingMail
from tests.smtp_server import (  # noqa: F401 (fixtures)
    ACCEPT,
    REFUSE_FOR_NOW,
    mail_server,
    smtp_port,
    smtp_settings,
)
from tests.test_worker import broker, queue  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Status = OutgoingMail.Status
INVITEE = "new.person@example.com"
LINK = re.compile(r"https?://\S+/invitations/(\S+)/")


def wait_until(check, what, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def team_page(client, team) -> str:
    return client.get(reverse("alliances:team", args=[team.alliance.slug])).content.decode()


def invite(client, team):
    client.force_login(team.users["manager"])
    url = reverse("alliances:invite", args=[team.alliance.slug])
    return client.post(url, {"email": INVITEE, "role": "contributor"})


def the_mail() -> OutgoingMail:
    invitation = Invitation.objects.get(email=INVITEE)
    return OutgoingMail.objects.get(purpose="team_invitation", object_id=str(invitation.pk))


def test_an_invitation_made_while_smtp_refuses_is_retried_and_delivered_when_it_accepts(
    queue,  # noqa: F811
    client,
    open_team,
    mail_server,  # noqa: F811
    smtp_settings,  # noqa: F811
):
    from celery.contrib.testing.worker import start_worker

    mail_server.mode = REFUSE_FOR_NOW
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = invite(client, open_team)
        assert response.status_code == 302
        # Nothing is lost while the server refuses: the invitation and its e-mail are kept.
        invitation = Invitation.objects.get(email=INVITEE)
        wait_until(lambda: mail_server.refused >= 2, "the worker tried twice (a retry)")
        wait_until(
            lambda: "Not delivered yet, retrying" in team_page(client, open_team),
            "the team page says the e-mail will be retried",
        )
        page = team_page(client, open_team)
        assert "Last error: The mail server refused it for now (451 4.3.0 Mailbox busy" in page
        assert the_mail().status in (Status.RETRYING, Status.SENDING)
        assert mail_server.received == []

        mail_server.mode = ACCEPT
        wait_until(lambda: the_mail().status == Status.SENT, "the e-mail went out")

    (received,) = mail_server.received
    assert received.to == [INVITEE]
    token = LINK.search(received.body).group(1)
    assert secret_hash(token) == invitation.token_sha256
    sent = the_mail()
    assert sent.attempts == mail_server.refused + 1
    assert sent.last_error == ""
    assert "E-mail sent" in team_page(client, open_team)


def test_a_server_that_never_accepts_ends_as_could_not_be_delivered_after_the_last_retry(
    queue,  # noqa: F811
    client,
    open_team,
    mail_server,  # noqa: F811
    smtp_settings,  # noqa: F811
):
    from celery.contrib.testing.worker import start_worker

    smtp_settings.MAIL_RETRIES = 2
    mail_server.mode = REFUSE_FOR_NOW
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert invite(client, open_team).status_code == 302
        wait_until(lambda: the_mail().status == Status.FAILED, "the e-mail was given up")
    failed = the_mail()
    assert failed.attempts == 3  # the first try and two retries
    assert mail_server.refused == 3
    assert failed.last_error == "451 4.3.0 Mailbox busy, try again later"
    page = team_page(client, open_team)
    assert "Could not be delivered" in page
    assert "Not delivered yet" not in page
