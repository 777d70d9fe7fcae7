"""Inviting people without an account: a single-use link valid 7 days, sent by e-mail;
expired, reused or tampered links get a clear page, never a 500."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliances.models import Invitation, Membership

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a-long-enough-passphrase-42"


def invite(client, team, email="new.person@example.com", role="contributor", capture=None):
    client.force_login(team.users["manager"])
    url = reverse("alliances:invite", args=[team.alliance.slug])
    with capture(execute=True):
        return client.post(url, {"email": email, "role": role})


def link_in(message) -> str:
    return re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)


def accept(client, link, **extra):
    path = link.split("://", 1)[1].split("/", 1)[1]
    data = {
        "first_name": "Nadia",
        "last_name": "Haddad",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post("/" + path, data)


def test_an_invitee_sets_a_password_and_lands_on_the_alliance_as_a_member(
    client, open_team, django_capture_on_commit_callbacks
):
    response = invite(client, open_team, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert open_team.alliance.name in message.subject
    link = link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_sha256=token).exists()  # only its hash
    client.logout()
    response = accept(client, link)
    assert response.status_code == 302
    assert response.url == open_team.alliance.get_absolute_url()
    user = User.objects.get(email="new.person@example.com")
    assert user.get_full_name() == "Nadia Haddad"
    membership = Membership.objects.get(alliance=open_team.alliance, user=user)
    assert membership.role == "contributor"
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Welcome, Nadia Haddad" in page.content.decode()


def test_a_used_link_cannot_be_used_again(client, open_team, django_capture_on_commit_callbacks):
    invite(client, open_team, capture=django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    client.logout()
    accept(client, link)
    client.logout()
    response = client.get("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = accept(client, link, first_name="Mallory")
    assert response.status_code == 410
    assert User.objects.filter(email="new.person@example.com").count() == 1


def test_an_expired_link_says_so(client, open_team, django_capture_on_commit_callbacks):
    invite(client, open_team, capture=django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.logout()
    response = accept(client, link_in(mail.outbox[0]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.com").exists()


@pytest.mark.parametrize(
    "tamper",
    [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t + "x", lambda t: "²" * 300],
)
def test_a_tampered_link_is_a_clear_404(
    client, open_team, django_capture_on_commit_callbacks, tamper
):
    invite(client, open_team, capture=django_capture_on_commit_callbacks)
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    client.logout()
    response = client.get(reverse("alliances:invitation", args=[tamper(token)]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_the_invitation_lasts_seven_days(client, open_team, django_capture_on_commit_callbacks):
    invite(client, open_team, capture=django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )


def test_a_confidential_alliance_is_not_named_in_the_mail(
    client, confidential_team, django_capture_on_commit_callbacks
):
    invite(client, confidential_team, capture=django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert confidential_team.alliance.name not in message.subject + message.body
    assert "a confidential alliance" in message.subject


def test_someone_with_an_account_is_added_by_name_not_invited(
    client, open_team, django_capture_on_commit_callbacks
):
    response = invite(
        client,
        open_team,
        email=open_team.users["outsider"].email.upper(),
        capture=django_capture_on_commit_callbacks,
    )
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("role", ["viewer", "executive", "contributor"])
def test_only_managers_invite(client, open_team, role):
    client.force_login(open_team.users[role])
    url = reverse("alliances:invite", args=[open_team.alliance.slug])
    assert client.post(url, {"email": "x@example.com", "role": "manager"}).status_code == 403
    assert not Invitation.objects.exists()


def test_mismatched_passwords_save_nothing(client, open_team, django_capture_on_commit_callbacks):
    invite(client, open_team, capture=django_capture_on_commit_callbacks)
    client.logout()
    response = accept(client, link_in(mail.outbox[0]), password2="something-else-entirely")
    assert response.status_code == 200
    assert "differ" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
