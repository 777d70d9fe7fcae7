"""The executive signs exactly what is shown: on the demo's Cobalt sign-off page they see
the three conditions with their owners and the scores with their dates, open the brief
of that evidence from it, sign, and the PDF (read back with pypdf) holds the same
conditions, the evidence dates and how robust the verdict is."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from alliances.models import Alliance
from decisions.selectors import alliance_decision
from signoffs.models import SignOff
from tests.e2e.test_executive_brief import brief_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,  # the brief renders on a real worker when a broker is configured
    pytest.mark.django_db(transaction=True),
]


def test_the_executive_signs_the_conditions_they_see_and_the_brief_holds_them(
    live_server, page, login, tmp_path
):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    cobalt = Alliance.objects.get(slug="cobalt-cloud-co-sell")
    conditions = alliance_decision(cobalt).conditions
    assert len(conditions) == 3
    assert all(c.owner for c in conditions)
    with brief_worker():
        login("executive", password="executive-demo")
        page.locator("#my-work").get_by_role(
            "link", name=re.compile("Sign off the decision")
        ).click()
        signed = page.locator("#signed-conditions")
        expect(signed.locator("tbody tr")).to_have_count(3)
        for condition in conditions:
            row = signed.locator("tr", has_text=condition.text[:40])
            expect(row).to_contain_text(condition.owner)
        expect(page.locator("#signed-scores")).to_contain_text("submitted")
        sign_off_url = page.url

        page.get_by_role("button", name="Open the executive brief of this evidence").click()
        download_link = page.get_by_role("link", name="Download PDF")
        expect(download_link).to_be_visible(timeout=60_000)
        with page.expect_download() as download:
            download_link.click()

        page.goto(sign_off_url)
        page.get_by_role("radio", name=re.compile("Approve")).check()
        page.get_by_role("button", name="Send my answer").click()
        expect(page.get_by_text("Your answer is recorded.")).to_be_visible()
    signoff = SignOff.objects.get(request__alliance=cobalt, executive__username="executive")
    assert signoff.answer == SignOff.Answer.APPROVED
    assert [c["text"] for c in signoff.shown["conditions"]] == [c.text for c in conditions]

    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    for condition in conditions:
        assert condition.text[:40] in text
        assert f"owner: {condition.owner}" in text
    assert text.count("Submitted ") == 2  # strategic fit and partner selection
    assert re.search(r"GO WITH CONDITIONS holds in \d+ % of weightings", text)
