"""Two-factor authentication: the code after the password, set-up, recovery codes,
throttling. Logs in through the real pages (not force_login, which skips both steps)."""

import re
import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from alliances.access import BANK_ADMINS_GROUP, MANAGERS_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What an authenticator app shows (steps_ahead: a code not used yet, as a TOTP code
    works once and the device accepts one step of clock drift)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code(device, step) for step in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)


def wait_out_throttling(device) -> None:
    """As if the wait after the last wrong code had passed."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(hours=1)
    )


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def with_device(user) -> tuple[TOTPDevice, list[str]]:
    device = services.pending_device_get_or_create(by=user)
    return device, services.device_confirm(device=device)


def verified(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def bank_admin(db):
    return UserFactory(username="banker", groups=[BANK_ADMINS_GROUP], is_staff=True)


@pytest.fixture
def manager(db):
    return UserFactory(username="maya", groups=[MANAGERS_GROUP])


@pytest.mark.parametrize("kind", ["superuser", "bank_admin"])
def test_privileged_users_must_set_up_two_factor_before_any_page(client, request, kind):
    user = request.getfixturevalue(kind)
    log_in(client, user)
    setup = reverse("accounts:setup")
    for url in (reverse("dashboard"), "/admin/", reverse("alliances:list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(setup), url
    # The code page leads there too, and the way out stays open.
    assert client.get(reverse("accounts:verify")).url.startswith(setup)
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Set up two-factor authentication" in page.content.decode()
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).url.startswith(reverse("login"))


def test_htmx_requests_are_sent_to_the_second_step_as_a_whole_page(client, superuser):
    log_in(client, superuser)
    response = client.get(reverse("alliances:list"), headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith(reverse("accounts:setup"))


def test_set_up_refuses_a_wrong_code_and_turns_on_with_the_right_one(client, superuser):
    log_in(client, superuser)
    page = client.get(reverse("accounts:setup") + "?next=/admin/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    secret = page.context["secret"]
    assert secret in html
    assert '<img src="data:image/svg+xml' in html  # the QR code, no inline script or style
    assert 'style="' not in html
    # A reload shows the same key: the app the user just scanned stays valid.
    assert client.get(reverse("accounts:setup")).context["secret"] == secret

    refused = client.post(
        reverse("accounts:setup"), {"code": wrong_code(device), "next": "/admin/"}
    )
    assert refused.status_code == 400
    assert "That code is not right" in refused.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not verified(client)

    wait_out_throttling(device)
    done = client.post(reverse("accounts:setup"), {"code": code(device), "next": "/admin/"})
    assert done.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    codes_page = client.get(done.url)
    shown = codes_page.context["codes"]
    assert len(shown) == 10
    assert all(c in codes_page.content.decode() for c in shown)
    assert 'href="/admin/"' in codes_page.content.decode()
    # Shown once only.
    assert client.get(done.url).url == reverse("accounts:manage")
    assert verified(client)
    assert client.get("/admin/").status_code == 200


def test_login_asks_for_the_code_after_the_password(client, bank_admin):
    device, _ = with_device(bank_admin)
    log_in(client, bank_admin)
    response = client.get("/admin/")
    assert response.url == f"{reverse('accounts:verify')}?next=%2Fadmin%2F"
    page = client.get(response.url)
    assert "Enter your two-factor code" in page.content.decode()

    refused = client.post(response.url, {"code": wrong_code(device), "next": "/admin/"})
    assert refused.status_code == 400
    assert not verified(client)

    wait_out_throttling(device)
    first = code(device, 1)
    accepted = client.post(response.url, {"code": f" {first[:3]} {first[3:]} ", "next": "/admin/"})
    assert accepted.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    # A second log-in cannot reuse the code of the first.
    client.post(reverse("logout"))
    log_in(client, bank_admin)
    again = client.post(reverse("accounts:verify"), {"code": first})
    assert again.status_code == 400


def test_the_next_address_must_be_ours(client, manager):
    device, _ = with_device(manager)
    log_in(client, manager)
    response = client.post(
        reverse("accounts:verify"), {"code": code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")
    client.post(reverse("logout"))
    log_in(client, manager)
    for hostile in ("²", "//evil.example/", "javascript:alert(1)"):
        response = client.get(reverse("accounts:verify"), {"next": hostile})
        assert response.status_code == 200
        assert 'name="next" value="/"' in response.content.decode()


def test_a_recovery_code_works_once(client, superuser):
    _, codes = with_device(superuser)
    log_in(client, superuser)
    response = client.post(reverse("accounts:verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "You used a recovery code; 9 left" in response.content.decode()
    assert verified(client)

    client.post(reverse("logout"))
    log_in(client, superuser)
    reused = client.post(reverse("accounts:verify"), {"code": codes[0]})
    assert reused.status_code == 400
    assert "That code is not right" in reused.content.decode()
    assert not verified(client)
    assert StaticToken.objects.filter(device__user=superuser).count() == 9


# The clock stands still (tick=False): the throttle's waits (1 s after one wrong code, 8 s
# after four) are never over by themselves, however slow the machine; only
# wait_out_throttling ends one. The TOTP codes are read at the same frozen instant.
@time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC), tick=False)
def test_wrong_codes_are_throttled_even_before_the_right_one(client, manager):
    device, codes = with_device(manager)
    log_in(client, manager)
    client.post(reverse("accounts:verify"), {"code": wrong_code(device)})
    throttled = client.post(reverse("accounts:verify"), {"code": code(device)})
    assert throttled.status_code == 400
    assert "Too many wrong codes. Wait 1 second, then try again." in throttled.content.decode()
    assert not verified(client)
    # Recovery codes have their own count, as guessing them is hopeless anyway.
    for _ in range(3):
        client.post(reverse("accounts:verify"), {"code": "notacode"})
        wait_out_throttling(device.user.staticdevice_set.get())
    client.post(reverse("accounts:verify"), {"code": "notacode"})
    assert (
        "Wait 8 seconds, then try again."
        in client.post(reverse("accounts:verify"), {"code": codes[0]}).content.decode()
    )

    wait_out_throttling(device)
    # The same frozen instant's code, refused while throttled above, is right once allowed.
    assert client.post(reverse("accounts:verify"), {"code": code(device)}).status_code == 302
    assert verified(client)


def test_an_ordinary_user_is_not_forced_unless_the_setting_says_so(client, manager, settings):
    log_in(client, manager)
    assert verified(client)
    assert "Off" in client.get(reverse("accounts:manage")).content.decode()

    settings.OTP_REQUIRED_FOR_ALL = True
    response = client.get(reverse("dashboard"))
    assert response.url.startswith(reverse("accounts:setup"))


def test_an_ordinary_user_may_turn_it_on_and_off_with_a_code(client, manager):
    device, _ = with_device(manager)
    log_in(client, manager)
    client.post(reverse("accounts:verify"), {"code": code(device)})
    assert verified(client)
    assert (
        "10 unused recovery codes left" in client.get(reverse("accounts:manage")).content.decode()
    )

    refused = client.post(reverse("accounts:manage"), {"code": "12"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=manager).exists()

    wait_out_throttling(device)
    off = client.post(reverse("accounts:manage"), {"code": code(device, 1)}, follow=True)
    assert "Two-factor authentication is off" in off.content.decode()
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert not StaticToken.objects.filter(device__user=manager).exists()
    assert verified(client)


def test_privileged_users_cannot_remove_it(client, superuser):
    device, _ = with_device(superuser)
    log_in(client, superuser)
    client.post(reverse("accounts:verify"), {"code": code(device)})
    page = client.get(reverse("accounts:manage")).content.decode()
    assert "must keep two-factor authentication" in page
    response = client.post(reverse("accounts:manage"), {"code": code(device, 1)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=superuser, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, manager):
    device, old = with_device(manager)
    log_in(client, manager)
    client.post(reverse("accounts:verify"), {"code": code(device)})
    response = client.post(reverse("accounts:regenerate_recovery_codes"), follow=True)
    new = response.context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    client.post(reverse("logout"))
    log_in(client, manager)
    assert client.post(reverse("accounts:verify"), {"code": old[1]}).status_code == 400
    wait_out_throttling(device.user.staticdevice_set.get())
    assert client.post(reverse("accounts:verify"), {"code": new[1]}).status_code == 302


def test_the_user_menu_links_to_the_two_factor_page(client, manager):
    log_in(client, manager)
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("accounts:manage")}"' in html


def test_the_demo_admins_log_in_with_the_printed_command(client, capsys):
    call_command("seed_demo")
    printed = capsys.readouterr().out
    assert "manage.py two_factor_code admin" in printed
    for username in ("admin", "bankadmin"):
        client.post(reverse("login"), {"username": username, "password": f"{username}-demo"})
        assert client.get(reverse("dashboard")).url.startswith(reverse("accounts:verify"))
        out = StringIO()
        call_command("two_factor_code", username, stdout=out)
        assert re.fullmatch(r"\d{6}\n", out.getvalue())
        response = client.post(reverse("accounts:verify"), {"code": out.getvalue().strip()})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
        # A second code at once (a second log-in within 30 s) works too.
        client.post(reverse("logout"))
        client.post(reverse("login"), {"username": username, "password": f"{username}-demo"})
        call_command("two_factor_code", username, stdout=(out := StringIO()))
        assert client.post(reverse("accounts:verify"), {"code": out.getvalue().strip()}).url
        assert verified(client)
        client.post(reverse("logout"))
    # Only the demo's published key: a real user's codes never leave their phone.
    with pytest.raises(Exception, match="no demo authenticator"):
        call_command("two_factor_code", "manager")


def test_the_code_gives_a_new_session_key_so_a_cookie_taken_before_it_opens_nothing(
    client, bank_admin
):
    from django.conf import settings
    from django.test import Client

    device, _ = with_device(bank_admin)
    log_in(client, bank_admin)
    before_code = client.cookies[settings.SESSION_COOKIE_NAME].value
    accepted = client.post(reverse("accounts:verify"), {"code": code(device, 1), "next": "/admin/"})
    assert accepted.url == "/admin/"
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before_code
    assert client.get("/admin/").status_code == 200
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = before_code
    response = thief.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")  # signed out, not a step short
    assert thief.get(reverse("dashboard")).url.startswith(reverse("login"))
