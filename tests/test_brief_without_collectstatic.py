"""A brief renders on a machine where `collectstatic` never ran and DEBUG is unset
(production storage: hashed names from a manifest that does not exist): the command an
operator runs from the README, and a real Celery worker alike."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader

from briefs import services
from briefs.models import Brief
from config.celery import app
from tests.test_briefs import make_assessed, pdf_of, text_of
from tests.test_worker import broker, queue, wait_for  # noqa: F401 (fixtures)

ROOT = Path(django_settings.BASE_DIR)


def fonts_of(reader: PdfReader) -> set[str]:
    return {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_render_brief_command_works_on_a_fresh_clone_with_debug_unset(tmp_path):
    """`manage.py render_brief` as the README documents it, in a separate process: no
    DEBUG, no SECRET_KEY, no collected static files, the real WeasyPrint."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    static_root = tmp_path / "staticfiles"  # never collected: no manifest
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(static_root),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    for step in (["migrate", "--no-input", "-v", "0"], ["seed_demo", "--quiet-logins"]):
        done = manage(*step, env=env)
        assert done.returncode == 0, done.stderr[-3000:]

    out = tmp_path / "aurora.pdf"
    done = manage("render_brief", "project-aurora", "--out", str(out), env=env)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "manifest" not in done.stderr.lower()
    assert not (static_root / "staticfiles.json").exists()
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = text_of(reader)
    assert "Project Aurora" in text
    assert "NO-GO" in text
    # The brief's stylesheet was found, and with it the fonts shipped in static/fonts/.
    assert any("Source-Sans-3" in name for name in fonts_of(reader))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
# tests/test_worker.py's fixtures: a broker (CI fails without one) and this session's queue.
@pytest.mark.usefixtures("queue")
def test_a_real_worker_renders_with_the_manifest_storage_and_nothing_collected(
    settings, tmp_path, open_team
):
    """The task goes over the broker to a Celery worker (a thread of this process, as in
    tests/test_worker.py): the settings below are process-wide, so the worker renders
    with DEBUG off and the manifest storage over a STATIC_ROOT that was never collected."""
    from celery.contrib.testing.worker import start_worker

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "never-collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    assessed = make_assessed(open_team)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        brief, _ = services.brief_request(alliance=assessed.alliance, by=assessed.users["manager"])
        wait_for(brief, {Brief.Status.READY, Brief.Status.FAILED}, timeout=60)

    assert brief.status == Brief.Status.READY, brief.error
    assert not (settings.STATIC_ROOT / "staticfiles.json").exists()
    reader = pdf_of(brief)
    assert "NO-GO" in text_of(reader)
    assert any("Source-Sans-3" in name for name in fonts_of(reader))
