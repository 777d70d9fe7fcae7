"""A manager downloads the findings as Excel, makes an API token, reads the API docs
(Swagger UI from our static files, under the strict CSP) and fetches /api/v1/alliances/
with the token, as a script would."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_downloads_excel_makes_a_token_reads_the_docs_and_calls_the_api(
    live_server, page, login, csp_violations
):
    call_command("seed_demo", "--quiet-logins")
    login("manager", "manager-demo")

    page.goto(f"{live_server.url}/alliances/cobalt-cloud-co-sell/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Findings and conditions (Excel)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    assert workbook.sheetnames == ["Findings", "Conditions", "Decision", "Scores"]

    page.get_by_role("button", name="Maya Patel").click()  # the user menu
    page.get_by_role("link", name="API and tokens").click()
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Alliance Readiness API" in page.locator(".swagger-ui .info .title").inner_text()
    page.get_by_role("link", name="Your API tokens").click()
    page.get_by_label("Name").fill("Weekly report")
    page.get_by_role("button", name="Make token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("ar_")

    anonymous = page.context.browser.new_context()
    try:
        refused = anonymous.request.get(f"{live_server.url}/api/v1/alliances/")
        assert refused.status == 401
        response = anonymous.request.get(
            f"{live_server.url}/api/v1/alliances/", headers={"Authorization": f"Token {token}"}
        )
        assert response.status == 200
        slugs = [a["slug"] for a in response.json()["results"]]
        assert "cobalt-cloud-co-sell" in slugs
    finally:
        anonymous.close()
    assert not csp_violations, "\n".join(csp_violations)
