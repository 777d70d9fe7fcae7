"""The Content-Security-Policy breaks nothing: a real Chromium reports no violation on
the main pages of the demo, the admin included. (The other browser tests, htmx
autosave and quick entry among them, run under the same policy.)"""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/alliances/",
    "/alliances/cobalt-cloud-co-sell/",
    "/alliances/cobalt-cloud-co-sell/team/",
    "/alliances/project-aurora/sponsors/",
    "/alliances/cobalt-cloud-co-sell/sponsors/match/",
    "/alliances/project-aurora/assessments/",
    "/alliances/project-aurora/briefs/",
    "/partners/",
    "/sponsors/mine/",
    "/accounts/two-factor/",
    "/admin/",
    "/admin/alliances/alliance/",
    "/admin/banks/questionbank/1/change/",
    "/admin/banks/bankversion/1/change/",
]


def test_no_page_violates_the_policy(live_server, page, login, csp_violations):
    call_command("seed_demo", "--quiet-logins")
    login("admin", "admin-demo")
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
    assert not csp_violations, "\n".join(csp_violations)
