"""One mail path: team invitations, partner links and notification e-mails are stored in
the sender's transaction and delivered by one Celery task with retries; the request
never talks to SMTP, a slow or refusing server is never a 500, and the sender's page
says where each e-mail stands.

Here tasks run in-process (no broker), as on a newcomer's machine: the e-mail is tried
once after the commit and, if that fails, left "retrying" for the sweep. The real worker
with its retries is tests/test_mail_worker.py. The mail server is a real one on loopback
(tests/smtp_server.py) where it matters, Django's locmem outbox where it does not.
"""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliances.models import Invitation
from assessments.models import PartnerInvitation
from kit.secret_links import secret_hash
from notifications import tasks, worker
from notifications.models import Kind, Notification, OutgoingMail
from notifications.services import notify
from tests.assessment_factories import make_version, start
from tests.smtp_server import (  # noqa: F401 (fixtures)
    REFUSE_ADDRESS,
    REFUSE_FOR_NOW,
    SLOW,
    mail_server,
    smtp_port,
    smtp_settings,
    start_mail_server,
)

Status = OutgoingMail.Status
INVITEE = "new.person@example.com"
TEAM_LINK = re.compile(r"https?://\S+/invitations/(\S+)/")
PARTNER_LINK = re.compile(r"/partner/([^/\s]+)/")


def invite(client, team, email=INVITEE):
    client.force_login(team.users["manager"])
    return client.post(
        reverse("alliances:invite", args=[team.alliance.slug]),
        {"email": email, "role": "contributor"},
        follow=True,
    )


def mail_about(invitation) -> OutgoingMail:
    purpose = "team_invitation" if isinstance(invitation, Invitation) else "partner_link"
    return OutgoingMail.objects.filter(purpose=purpose, object_id=str(invitation.pk)).latest("pk")


# ---------------------------------------------------------------- SMTP trouble, in-process


@pytest.mark.django_db(transaction=True)
def test_an_invitation_while_the_server_refuses_is_kept_says_it_will_retry_and_goes_out_later(
    client,
    open_team,
    mail_server,  # noqa: F811
    smtp_settings,  # noqa: F811
):
    mail_server.mode = REFUSE_FOR_NOW
    response = invite(client, open_team)

    # The request committed and answered: the team page, not an error.
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "alliances:team", args=[open_team.alliance.slug]
    )
    page = response.content.decode()
    assert "its e-mail is on its way" in page
    assert "Not delivered yet, retrying" in page
    assert "451 4.3.0 Mailbox busy, try again later" in page
    assert "Traceback" not in page
    assert "SMTPDataError" not in page
    # Nothing is lost: the invitation and its e-mail wait for the next try.
    invitation = Invitation.objects.get(email=INVITEE)
    waiting = mail_about(invitation)
    assert (waiting.status, waiting.attempts, waiting.problem) == (Status.RETRYING, 1, "deferred")
    assert mail_server.refused == 1
    assert mail_server.received == []

    # The server accepts again; the sweep finds the e-mail overdue and sends it.
    mail_server.mode = "accept"
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        assert tasks.requeue_mail.delay().get() == 1
    (received,) = mail_server.received
    assert received.to == [INVITEE]
    token = TEAM_LINK.search(received.body).group(1)
    assert secret_hash(token) == invitation.token_sha256
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts, waiting.last_error) == (Status.SENT, 2, "")
    page = client.get(reverse("alliances:team", args=[open_team.alliance.slug])).content.decode()
    assert "E-mail sent" in page
    assert "retrying" not in page
    # Swept again, nothing goes out twice.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert tasks.requeue_mail.delay().get() == 0
    assert len(mail_server.received) == 1


@pytest.mark.django_db(transaction=True)
def test_a_slow_mail_server_costs_the_request_no_more_than_the_timeout_and_no_error(
    client,
    open_team,
    mail_server,  # noqa: F811
    smtp_settings,  # noqa: F811
):
    mail_server.mode, mail_server.slow_seconds = SLOW, 6
    started = time.monotonic()
    response = invite(client, open_team)
    took = time.monotonic() - started
    assert response.status_code == 200
    assert took < 4, f"the request waited {took:.1f} s on a mail server"
    page = response.content.decode()
    assert "Not delivered yet, retrying" in page
    assert "The mail server did not answer in time" in page
    assert mail_about(Invitation.objects.get()).status == Status.RETRYING


@pytest.mark.django_db(transaction=True)
def test_no_mail_server_listening_is_no_error_either(client, open_team, smtp_settings):  # noqa: F811
    response = invite(client, open_team)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not delivered yet, retrying" in page
    assert "The mail server could not be reached (Connection refused)" in page
    assert Invitation.objects.filter(email=INVITEE).exists()


@pytest.mark.django_db(transaction=True)
def test_an_address_the_server_refuses_for_good_is_not_retried_and_says_so(
    client,
    open_team,
    mail_server,  # noqa: F811
    smtp_settings,  # noqa: F811
):
    mail_server.mode = REFUSE_ADDRESS
    response = invite(client, open_team)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Could not be delivered" in page
    assert "The mail server refused it (550 5.1.1 No such mailbox here)" in page
    refused = mail_about(Invitation.objects.get())
    assert (refused.status, refused.attempts) == (Status.FAILED, 1)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert tasks.requeue_mail.delay().get() == 0
    assert mail_server.refused == 1


def test_a_mail_server_that_keeps_refusing_is_tried_with_growing_delays_then_given_up(
    open_team,
    mail_server,  # noqa: F811
    smtp_settings,  # noqa: F811
):
    """The worker's own steps, as its task runs them: each failure waits twice as long
    as the one before (give or take the jitter), and the last retry ends it."""
    smtp_settings.MAIL_RETRIES, smtp_settings.MAIL_RETRY_BACKOFF_SECONDS = 3, 60
    mail_server.mode = REFUSE_FOR_NOW
    from kit.mail import mail_queue

    mail_id = mail_queue(to=["someone@example.com"], subject="Hello", body="Hi.")
    delays = [worker.mail_deliver(mail_id=mail_id) for _attempt in range(4)]
    assert delays[-1] is None
    for n, delay in enumerate(delays[:-1]):
        assert 60 * 2**n * 0.8 <= delay <= 60 * 2**n * 1.2
    failed = OutgoingMail.objects.get(pk=mail_id)
    assert (failed.status, failed.attempts, failed.problem) == (Status.FAILED, 4, "deferred")
    assert failed.last_error == "451 4.3.0 Mailbox busy, try again later"
    assert worker.mail_deliver(mail_id=mail_id) is None  # a late duplicate does nothing
    assert mail_server.refused == 4


# ---------------------------------------------------------------- every sender, one path


def test_the_invitation_request_queues_the_mail_and_the_task_delivers_it(
    client, open_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        invite(client, open_team)
    invitation = Invitation.objects.get()
    queued = mail_about(invitation)
    assert (queued.status, queued.recipients) == (Status.QUEUED, [INVITEE])
    assert mail.outbox == []  # the request sent nothing
    page = client.get(reverse("alliances:team", args=[open_team.alliance.slug])).content.decode()
    assert "E-mail on its way" in page
    for callback in after_commit:
        callback()
    (message,) = mail.outbox
    assert message.to == [INVITEE]
    assert mail_about(invitation).status == Status.SENT


@pytest.fixture
def two_sided(open_team):
    version = make_version(slug="mutual-mail", kind="mutual_fit")
    open_team.assessment = start(open_team, version, title="Both sides")
    return open_team


def test_a_partner_link_goes_through_the_mail_path(
    client, two_sided, django_capture_on_commit_callbacks
):
    client.force_login(two_sided.users["manager"])
    url = reverse(
        "assessments:partner_invite", args=[two_sided.alliance.slug, two_sided.assessment.pk]
    )
    form = {"alliance_label": "Lighthouse", "contacts": "Pat Partner <pat@p.example>"}
    with django_capture_on_commit_callbacks() as after_commit:
        response = client.post(url, {**form, "confirmed": "True"}, follow=True)
    assert "an e-mail with their own link is on its way" in response.content.decode()
    invitation = PartnerInvitation.objects.get()
    queued = mail_about(invitation)
    assert (queued.status, queued.recipients) == (Status.QUEUED, ["pat@p.example"])
    assert mail.outbox == []
    for callback in after_commit:
        callback()
    (message,) = mail.outbox
    assert message.to == ["pat@p.example"]
    token = PARTNER_LINK.search(message.body).group(1)
    assert secret_hash(token) == invitation.token_hash
    detail = client.get(two_sided.assessment.get_absolute_url()).content.decode()
    assert "E-mail sent" in detail

    # A resend is a new e-mail; the list shows where the latest one stands.
    resend = reverse(
        "assessments:partner_resend",
        args=[two_sided.alliance.slug, two_sided.assessment.pk, invitation.pk],
    )
    with django_capture_on_commit_callbacks():
        client.post(resend)
    assert OutgoingMail.objects.filter(purpose="partner_link").count() == 2
    detail = client.get(two_sided.assessment.get_absolute_url()).content.decode()
    assert "E-mail on its way" in detail


def test_notification_emails_and_digests_go_through_the_mail_path(
    open_team, django_capture_on_commit_callbacks
):
    manager, executive = open_team.users["manager"], open_team.users["executive"]
    with django_capture_on_commit_callbacks() as after_commit:
        notify(
            Kind.DECISION_CHANGED,  # e-mailed at once by default
            alliance=open_team.alliance,
            recipients=[manager],
            title="The decision is now GO",
        )
        notify(
            Kind.SIGNAL_OVERDUE,  # in the daily digest by default
            alliance=open_team.alliance,
            recipients=[executive],
            title="A sponsor signal is overdue",
        )
    told = Notification.objects.get(recipient=manager)
    immediate = OutgoingMail.objects.get(purpose="notification", object_id=str(told.pk))
    assert (immediate.status, immediate.recipients) == (Status.QUEUED, [manager.email])
    assert told.emailed_at is not None  # handed to the mail path, never twice
    assert mail.outbox == []
    for callback in after_commit:
        callback()
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "The decision is now GO" in mail.outbox[0].subject

    day = timezone.localdate()
    with django_capture_on_commit_callbacks() as after_commit:
        tasks.run_daily(day)
    digest = OutgoingMail.objects.get(purpose="digest")
    assert (digest.status, digest.object_id) == (Status.QUEUED, f"{executive.pk}:{day}")
    assert len(mail.outbox) == 1
    for callback in after_commit:
        callback()
    assert mail.outbox[-1].to == [executive.email]
    assert "Your daily digest" in mail.outbox[-1].subject
    assert OutgoingMail.objects.get(pk=digest.pk).status == Status.SENT
