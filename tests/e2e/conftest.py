"""Browser tests: Playwright drives a real headless Chromium against live_server."""

import os
import shutil
import time

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in this thread; the ORM calls of
# the test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    """Debian's Chromium when installed (CI), else Playwright's own download."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None and os.environ.get("CI") == "true":
        pytest.fail("CI must run the browser tests: apt-get install -y chromium")
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if path:
        args["executable_path"] = path
    return args


def wait_until_other_connections_are_idle(seconds=15):
    """Wait for the live server's threads to finish what Chromium asked of them.

    Closing the page does not stop a request the server is still handling (the badge
    each page fetches on load, a poll); its transaction holds locks that the database
    flush after the test must take too, and PostgreSQL may end the flush as a deadlock.
    """
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                " AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def _requests_finished_before_flush(request):
    """Set up before `page`, so torn down after the page is closed and before the
    database of the live server is flushed."""
    yield
    if "live_server" in request.fixturenames:
        wait_until_other_connections_are_idle()


@pytest.fixture
def login(page, live_server):
    """Log in through the real form, as a user would."""

    def login_as(username, password="pw-for-tests-1"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        if "/accounts/two-factor/verify/" in page.url:
            # Superusers and bank admins (the demo's admin) enter their code, as from an app.
            from django_otp.plugins.otp_totp.models import TOTPDevice

            from accounts.policy import current_code

            device = TOTPDevice.objects.get(user__username=username, confirmed=True)
            page.get_by_label("Code").fill(current_code(device))
            page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return login_as


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation Chromium reports on this page, as text."""
    violations = []

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", record)
    return violations
