"""Log in, log out, change password; repeated failures are throttled."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_but_login_sends_anonymous_users_to_log_in(client):
    response = client.get(reverse("alliances:list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('alliances:list')}"
    assert client.get(reverse("login")).status_code == 200


def test_login_then_logout(client):
    UserFactory(username="maya")
    response = client.post(
        reverse("login"), {"username": "maya", "password": "pw-for-tests-1"}, follow=True
    )
    assert response.context["user"].username == "maya"
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_change_requires_the_old_password(client):
    user = UserFactory(username="maya")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "A-new-pass-42!",
            "new_password2": "A-new-pass-42!",
        },
    )
    assert "old password was entered incorrectly" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "A-new-pass-42!",
            "new_password2": "A-new-pass-42!",
        },
    )
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("A-new-pass-42!")


def test_repeated_failed_logins_are_locked_out_even_with_the_right_password(client, settings):
    UserFactory(username="maya")
    wrong = {"username": "maya", "password": "guess"}
    for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        assert client.post(reverse("login"), wrong).status_code == 200
    locked = client.post(reverse("login"), wrong)
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    right = client.post(reverse("login"), {"username": "maya", "password": "pw-for-tests-1"})
    assert right.status_code == 429


def test_many_addresses_give_no_more_guesses_than_the_username_limit(client, settings):
    """Each address stays under its own limit; together they reach the username's."""
    settings.AXES_USERNAME_FAILURE_LIMIT = 8
    UserFactory(username="omar")
    wrong = {"username": "omar", "password": "guess"}
    per_address = settings.AXES_ADDRESS_FAILURE_LIMIT - 1
    addresses = [f"203.0.113.{n}" for n in range(1, 4)]
    statuses = [
        client.post(reverse("login"), wrong, REMOTE_ADDR=address).status_code
        for address in addresses
        for _ in range(per_address)
    ]
    # Three addresses, four failures each: the eighth failure locks the username.
    assert statuses == [200] * 7 + [429] * 5
    right = {"username": "omar", "password": "pw-for-tests-1"}
    fresh = client.post(reverse("login"), right, REMOTE_ADDR="198.51.100.7")
    assert fresh.status_code == 429
    assert "Too many failed log-ins" in fresh.content.decode()
    UserFactory(username="nadia")  # other users on that address are unaffected
    other = {"username": "nadia", "password": "pw-for-tests-1"}
    assert client.post(reverse("login"), other, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_passwords_are_stored_with_argon2id_and_old_hashes_upgrade_at_log_in(client, settings):
    """The production hashers (the suite's fixtures use a fast one): a PBKDF2 hash from
    before still lets its owner in, and is replaced by Argon2id at OWASP's settings."""
    from django.contrib.auth.hashers import make_password

    from config import settings as configured  # the module, not the suite's override

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    user = UserFactory(username="maya")
    user.password = make_password("pw-for-tests-1", hasher="pbkdf2_sha256")
    user.save()
    response = client.post(reverse("login"), {"username": "maya", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("pw-for-tests-1")
    assert not user.check_password("pw-for-tests-2")
