"""Setting up two-factor authentication in a real Chromium: the QR code shows under the
Content-Security-Policy, the first code turns it on, the recovery codes appear once."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from alliances.access import MANAGERS_GROUP
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_from_the_user_menu(live_server, page, login, csp_violations):
    UserFactory(username="maya", first_name="Maya", last_name="Patel", groups=[MANAGERS_GROUP])
    login("maya")
    page.get_by_role("button", name="Maya Patel").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("link", name="Set up two-factor authentication").click()

    qr = page.get_by_role("img", name="QR code")
    expect(qr).to_be_visible()
    # The image loaded (a CSP-blocked or broken image never gets a natural width).
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=qr.element_handle()
    )
    device = TOTPDevice.objects.get(user__username="maya", confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    page.get_by_label("Code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert not csp_violations, "\n".join(csp_violations)
