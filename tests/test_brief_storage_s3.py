"""Briefs in a private S3-compatible bucket: a real S3 server (moto's) on loopback.

The server starts once per test session on a free port; each test gets its own bucket
and points the default storage at it (the other tests keep their tmp-dir storage).
Everything goes over real HTTP: the worker's store, the download view's read, boto3.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from briefs import services
from briefs.models import Brief
from tests.test_briefs import make_assessed, prepare, text_of
from tests.test_worker import broker, queue, wait_for  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-central-1"
KEY, SECRET = "test-access-key", "test-secret-key"
PUBLIC_GRANTEES = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}


@pytest.fixture(scope="session")
def s3_server():
    """moto's standalone S3 server in a thread of this process, on a port the OS picks."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: object

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return [item["Key"] for item in listing.get("Contents", [])]

    def anonymous_get(self, key: str) -> int:
        """Status of a plain, unsigned GET of the object's URL (what a leaked link gives)."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{self.name}/{key}", timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as refused:
            return refused.code


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    """A fresh private bucket, and the default storage pointed at it for this test."""
    name = f"briefs-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=KEY,
        aws_secret_access_key=SECRET,
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "config.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": REGION,
                "access_key": KEY,
                "secret_key": SECRET,
                "addressing_style": "path",
            },
        },
    }
    return Bucket(name=name, endpoint=s3_server, client=client)


@pytest.fixture
def ready_brief(client, db, bucket, django_capture_on_commit_callbacks, confidential_team):
    """A confidential alliance's brief, prepared by its manager and rendered by the task."""
    make_assessed(confidential_team)
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, confidential_team)
    client.logout()
    brief = Brief.objects.get()
    assert brief.status == Brief.Status.READY, brief.error
    return brief


def download(client, team, brief, role):
    if role != "anonymous":
        client.force_login(team.users[role])
    return client.get(reverse("briefs:download", args=[team.alliance.slug, brief.pk]))


def test_the_worker_stores_the_rendered_pdf_in_the_bucket(ready_brief, bucket, tmp_path):
    assert bucket.keys() == [ready_brief.pdf.name]
    assert ready_brief.pdf.name.startswith(f"briefs/{ready_brief.alliance.slug}/")
    stored = bucket.read(ready_brief.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == ready_brief.pdf_sha256
    reader = PdfReader(io.BytesIO(stored))
    text = text_of(reader)
    assert len(reader.pages) == 2
    assert "NO-GO" in text
    assert ready_brief.alliance.name in text
    assert "Helios is tied exclusively to our main competitor until 2029." in text
    assert not (tmp_path / "private").exists()  # nothing went to the local folder


def test_the_stored_pdf_is_private(ready_brief, bucket):
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=ready_brief.pdf.name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner, nobody else
    assert not {g["Grantee"].get("URI") for g in grants} & PUBLIC_GRANTEES
    # The server does serve a public object anonymously, so the refusal below is the ACL's.
    bucket.client.put_object(Bucket=bucket.name, Key="public.txt", Body=b"x", ACL="public-read")
    assert bucket.anonymous_get("public.txt") == 200
    assert bucket.anonymous_get(ready_brief.pdf.name) == 403


def test_the_storage_never_hands_out_a_url(ready_brief):
    with pytest.raises(ValueError, match="serve them through a view"):
        default_storage.url(ready_brief.pdf.name)


@pytest.mark.parametrize("role", ["viewer", "executive", "manager"])
def test_the_download_view_streams_the_pdf_from_the_bucket_to_the_team(
    client, ready_brief, bucket, confidential_team, role
):
    response = download(client, confidential_team, ready_brief, role)
    assert response.status_code == 200  # streamed by us, not a redirect to the bucket
    assert response.streaming
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert body == bucket.read(ready_brief.pdf.name)
    assert "NO-GO" in text_of(PdfReader(io.BytesIO(body)))


def test_outsiders_of_a_confidential_alliance_get_a_404_and_no_pdf(
    client, ready_brief, confidential_team
):
    response = download(client, confidential_team, ready_brief, "outsider")
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    client.logout()
    anonymous = download(client, confidential_team, ready_brief, "anonymous")
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))


def test_a_pdf_missing_from_the_bucket_is_a_404_not_a_500(
    client, ready_brief, bucket, confidential_team
):
    bucket.client.delete_object(Bucket=bucket.name, Key=ready_brief.pdf.name)
    response = download(client, confidential_team, ready_brief, "manager")
    assert response.status_code == 404


def test_render_brief_command_renders_into_the_bucket(open_team, bucket, tmp_path, capsys):
    make_assessed(open_team)
    out = tmp_path / "brief.pdf"
    call_command("render_brief", open_team.alliance.slug, "--out", str(out))
    brief = Brief.objects.get()
    assert bucket.keys() == [brief.pdf.name]
    assert out.read_bytes() == bucket.read(brief.pdf.name)
    assert "NO-GO" in text_of(PdfReader(out))
    assert "is ready" in capsys.readouterr().out


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queue")
def test_a_real_worker_stores_the_brief_in_the_bucket(open_team, bucket):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    make_assessed(open_team)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        brief, _ = services.brief_request(
            alliance=open_team.alliance, by=open_team.users["manager"]
        )
        wait_for(brief, {Brief.Status.READY, Brief.Status.FAILED}, timeout=60)
    assert brief.status == Brief.Status.READY, brief.error
    stored = bucket.read(brief.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == brief.pdf_sha256
    assert "NO-GO" in text_of(PdfReader(io.BytesIO(stored)))


PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
storage = settings.STORAGES["default"]
name = default_storage.save("probe/settings.txt", ContentFile(b"from the env")) if {save} else ""
options = {{key: str(value) for key, value in storage["OPTIONS"].items()}}
print(json.dumps({{"backend": storage["BACKEND"], "options": options, "name": name}}))
"""


def settings_in_a_process(env: dict, *, save: bool) -> dict:
    """config/settings.py as a deployed process reads it: from these env vars only."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(save=save)],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_env_vars_put_briefs_in_the_bucket(bucket):
    """With AWS_STORAGE_BUCKET_NAME and friends set, a fresh process stores in the bucket."""
    probe = settings_in_a_process(
        {
            "AWS_STORAGE_BUCKET_NAME": bucket.name,
            "AWS_S3_ENDPOINT_URL": bucket.endpoint,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET,
        },
        save=True,
    )
    assert probe["backend"] == "config.storage.PrivateS3Storage"
    assert probe["options"]["addressing_style"] == "path"  # what MinIO expects
    assert bucket.read(probe["name"]) == b"from the env"


def test_with_nothing_set_briefs_stay_in_the_private_folder(tmp_path):
    probe = settings_in_a_process({"PRIVATE_MEDIA_ROOT": str(tmp_path)}, save=False)
    assert probe["backend"] == "config.storage.PrivateFileSystemStorage"
    assert probe["options"] == {"location": str(tmp_path)}
