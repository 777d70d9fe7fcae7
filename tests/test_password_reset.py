"""Password reset by e-mail: the link goes out on the one mail path, works once and for a
limited time, the same page answers whether the address is known or not, e-mails are
throttled per address and per account, and the new password ends every other session.
In our layout, in English and German."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.password_reset import MAIL_PURPOSE, _spent
from notifications.models import OutgoingMail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
OLD, NEW = "pw-for-tests-1", "a-new-long-passphrase-42"


@pytest.fixture
def maya(db):
    return UserFactory(username="maya-reset", email="maya@northwind.example")


def ask(client, address, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("password_reset"), {"email": address}, **extra)


def link_in_last_mail() -> str:
    return LINK.search(mail.outbox[-1].body).group(1)


def test_the_link_goes_out_on_the_mail_path_sets_a_new_password_and_works_once(
    client, maya, django_capture_on_commit_callbacks
):
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    response = ask(client, "Maya@Northwind.example", django_capture_on_commit_callbacks)
    assert response.url == reverse("password_reset_done")
    queued = OutgoingMail.objects.get(purpose=MAIL_PURPOSE)
    assert (queued.recipients, queued.object_id) == (["maya@northwind.example"], str(maya.pk))
    assert mail.outbox[-1].subject == "Reset your Alliance Readiness password"
    assert "Your username: maya-reset" in mail.outbox[-1].body
    link = link_in_last_mail()
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}
    )
    assert done.url == reverse("password_reset_complete")
    maya.refresh_from_db()
    assert maya.check_password(NEW)
    again = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    client, maya, django_capture_on_commit_callbacks
):
    known = ask(client, "maya@northwind.example", django_capture_on_commit_callbacks)
    unknown = ask(client, "nobody@northwind.example", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert OutgoingMail.objects.filter(purpose=MAIL_PURPOSE).count() == 1


def test_mails_are_throttled_per_address_and_per_account(
    client, maya, django_capture_on_commit_callbacks
):
    for _ in range(settings.PASSWORD_RESET_LIMIT + 2):
        response = ask(client, "maya@northwind.example", django_capture_on_commit_callbacks)
        assert response.url == reverse("password_reset_done")
    sent = OutgoingMail.objects.filter(purpose=MAIL_PURPOSE)
    assert sent.count() == settings.PASSWORD_RESET_LIMIT
    # Another account's address is counted apart; an account at its limit gets no more.
    other = UserFactory(username="leo-reset", email="leo@northwind.example")
    for _ in range(settings.PASSWORD_RESET_LIMIT):
        _spent(f"account:{other.pk}")
    ask(client, "leo@northwind.example", django_capture_on_commit_callbacks)
    assert not sent.filter(object_id=str(other.pk)).exists()


def test_a_link_expires(client, maya, django_capture_on_commit_callbacks):
    ask(client, "maya@northwind.example", django_capture_on_commit_callbacks)
    link = link_in_last_mail()
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        page = client.get(link, follow=True).content.decode()
    assert "This link no longer works" in page


def test_the_new_password_ends_every_other_session(
    client, maya, django_capture_on_commit_callbacks
):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(maya)
    assert elsewhere.get(reverse("dashboard")).status_code == 200
    ask(client, "maya@northwind.example", django_capture_on_commit_callbacks)
    form_page = client.get(link_in_last_mail(), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = elsewhere.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_german_pages_and_mail(client, maya, django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = client.get(reverse("password_reset")).content.decode()
    assert "Passwort zurücksetzen" in page
    ask(client, "maya@northwind.example", django_capture_on_commit_callbacks)
    assert "Prüfen Sie Ihre E-Mails" in client.get(reverse("password_reset_done")).content.decode()
    assert "Der Link funktioniert einmal" in mail.outbox[-1].body
