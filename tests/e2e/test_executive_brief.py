"""An executive prepares the brief of the seeded CEO-initiated alliance, waits for the
worker, downloads the PDF, and reads NO-GO with its showstopper."""

import contextlib
import os
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from config.celery import app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,  # a real worker when a broker is configured (CI)
    pytest.mark.django_db(transaction=True),
]


@contextlib.contextmanager
def brief_worker():
    """A worker thread on the broker when there is one; otherwise tasks run in process."""
    if not os.environ.get("CELERY_BROKER_URL"):
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = True
        try:
            yield
        finally:
            app.conf.task_always_eager = previous
        return
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield


def test_executive_downloads_the_no_go_brief_of_project_aurora(live_server, page, login, tmp_path):
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    with brief_worker():
        login("executive", password="executive-demo")
        row = page.get_by_role("row", name="Project Aurora")
        expect(row).to_contain_text("NO-GO")
        row.get_by_role("link", name="Project Aurora").click()
        page.get_by_role("link", name="Briefs").click()
        page.get_by_role("button", name="Prepare brief").click()

        download_link = page.get_by_role("link", name="Download PDF")
        expect(download_link).to_be_visible(timeout=60_000)  # htmx polls until ready
        expect(page.locator("#brief-status")).to_contain_text("The PDF is ready")
        expect(page.get_by_text("Preparing the brief")).to_have_count(0)
        expect(page.locator("#brief-status")).not_to_have_attribute("hx-trigger", "every 1s")
        with page.expect_download() as download:
            download_link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("brief-project-aurora-")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(saved).pages)
    assert "NO-GO" in text
    assert "Project Aurora" in text
    assert "SHOWSTOPPER S4" in text.upper()
    assert "roadmap retires" in text
