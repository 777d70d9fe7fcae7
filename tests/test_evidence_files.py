"""Evidence files: attached to an answer, a finding, a condition or a sponsor signal;
checked from their bytes, kept privately, served only through the alliance's access rules
as attachments, scanned by a real clamd (its own signature database, built with sigtool:
no download) before anyone may download them, listed in the brief's appendix."""

import hashlib
import io
import os
import shutil
import socket
import struct
import subprocess
import time
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from briefs.models import Brief
from config.celery import app
from decisions.models import TrackedCondition
from evidence import clamav, content, services
from evidence.models import EvidenceFile
from evidence.tasks import scan_evidence_file
from tests.assessment_factories import answer_all, give, make_version, start, submit
from tests.sponsor_factories import SignalFactory, SponsorshipFactory
from tests.test_briefs import make_assessed, pdf_of, prepare, text_of
from tests.test_conditions import with_condition

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# A PDF carrying the EICAR string: it passes the type check, so only the scanner stops it.
INFECTED_PDF = PDF.replace(b"trailer", b"% " + EICAR + b"\ntrailer")


def png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind, data):
        checksum = struct.pack("!I", zlib.crc32(kind + data))
        return struct.pack("!I", len(data)) + kind + data + checksum

    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def answer(open_team):
    version = make_version(slug="evidence", kind="strategic_fit", name="Fit", knockouts={})
    assessment = start(open_team, version, title="Fit check")
    response = assessment.responses.get(assessor=open_team.users["contributor"])
    return give(response, "A1", 3)


def files_url(team, kind, target):
    return reverse("evidence:files", args=[team.alliance.slug, kind, target.pk])


def upload(client, team, kind, target, name, data, *, role):
    client.force_login(team.users[role])
    return client.post(
        files_url(team, kind, target), {"file": SimpleUploadedFile(name, data, "application/pdf")}
    )


def download(client, team, evidence):
    return client.get(reverse("evidence:download", args=[team.alliance.slug, evidence.pk]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------- attach and serve


def test_a_pdf_and_a_png_attach_to_an_answer_and_download_as_attachments(client, open_team, answer):
    files = (("minutes.pdf", PDF, "application/pdf"), ("chart.png", png(), "image/png"))
    for name, data, mime in files:
        response = upload(client, open_team, "answer", answer, name, data, role="contributor")
        assert response.status_code == 302
        evidence = EvidenceFile.objects.get(name=name)
        assert (evidence.content_type, evidence.size) == (mime, len(data))
        assert evidence.sha256 == hashlib.sha256(data).hexdigest()
        assert evidence.state == EvidenceFile.State.NOT_SCANNED  # no CLAMD_URL: served
        assert evidence.file.name.startswith(f"evidence/{open_team.alliance.pk}/")
        assert name not in evidence.file.name  # the given name never reaches storage
        served = download(client, open_team, evidence)
        assert served.status_code == 200
        assert served["Content-Type"] == mime
        assert served["Content-Disposition"] == f'attachment; filename="{name}"'
        assert served["X-Content-Type-Options"] == "nosniff"
        assert body(served) == data
    page = client.get(files_url(open_team, "answer", answer)).content.decode()
    assert "minutes.pdf" in page
    assert "chart.png" in page


def test_the_file_is_stored_privately_never_under_a_url(client, open_team, answer):
    upload(client, open_team, "answer", answer, "a.pdf", PDF, role="contributor")
    with pytest.raises(ValueError, match="not accessible via a URL"):
        default_storage.url(EvidenceFile.objects.get().file.name)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("contract.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),  # a Windows executable
        ("contract.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("contract.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip, but no Office package
        ("eicar.pdf", EICAR),
    ],
)
def test_a_file_is_judged_by_its_bytes_not_its_name(client, open_team, answer, name, data):
    response = upload(client, open_team, "answer", answer, name, data, role="contributor")
    assert response.status_code == 400
    assert "whatever its name says" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_office_documents_are_recognised_from_their_package():
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    assert content.detect(workbook) == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as package:
        package.writestr("word/document.xml", "<w/>")
    assert content.detect(plain_zip) is None  # no [Content_Types].xml: not a package


def test_a_file_over_the_limit_is_refused_with_a_message(client, open_team, answer, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    response = upload(
        client, open_team, "answer", answer, "big.pdf", PDF + b" " * 2000, role="contributor"
    )
    assert response.status_code == 400
    assert "files may be at most 1000" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_only_who_may_edit_the_evidence_link_may_attach(client, open_team, answer):
    # The answer is the contributor's: the manager does not write in it, a viewer reads only.
    for role in ("manager", "viewer", "outsider"):
        response = upload(client, open_team, "answer", answer, "a.pdf", PDF, role=role)
        assert response.status_code == 403, role
    assert not EvidenceFile.objects.exists()


def test_unknown_kinds_and_another_alliances_ids_are_404(client, open_team, confidential_team):
    finding = with_condition(confidential_team)
    client.force_login(open_team.users["manager"])
    assert client.get(files_url(open_team, "finding", finding)).status_code == 404
    assert client.get(files_url(open_team, "no-such-kind", finding)).status_code == 404


# ---------------------------------------------------------------- access


def test_a_confidential_alliances_file_is_404_outside_the_team_and_served_to_it(
    client, confidential_team
):
    finding = with_condition(confidential_team)
    assert (
        upload(
            client, confidential_team, "finding", finding, "nda.pdf", PDF, role="manager"
        ).status_code
        == 302
    )
    evidence = EvidenceFile.objects.get()
    client.force_login(confidential_team.users["outsider"])
    assert download(client, confidential_team, evidence).status_code == 404
    assert client.get(files_url(confidential_team, "finding", finding)).status_code == 404
    for role in ("viewer", "executive", "contributor", "superuser"):
        client.force_login(confidential_team.users[role])
        assert download(client, confidential_team, evidence).status_code == 200, role


def test_a_file_id_under_another_alliance_is_404(client, open_team, confidential_team, answer):
    upload(client, open_team, "answer", answer, "a.pdf", PDF, role="contributor")
    evidence = EvidenceFile.objects.get()
    client.force_login(confidential_team.users["manager"])
    url = reverse("evidence:download", args=[confidential_team.alliance.slug, evidence.pk])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- pages


def test_the_finding_condition_and_signal_pages_show_files_and_an_upload_form(client, open_team):
    finding = with_condition(open_team)
    condition = TrackedCondition.objects.get(alliance=open_team.alliance, key="sponsor:none")
    signal = SignalFactory(
        sponsorship=SponsorshipFactory(alliance=open_team.alliance),
        recorded_by=open_team.users["manager"],
    )
    slug = open_team.alliance.slug
    targets = {
        "finding": (
            finding,
            reverse("assessments:finding", args=[slug, finding.assessment_id, finding.pk]),
        ),
        "condition": (condition, reverse("decisions:condition", args=[slug, condition.pk])),
        "signal": (signal, reverse("sponsors:signal_edit", args=[slug, signal.pk])),
    }
    for kind, (target, page) in targets.items():
        response = upload(client, open_team, kind, target, f"{kind}.pdf", PDF, role="manager")
        assert response.status_code == 302, kind
        assert response.url == page + "#evidence-files"
        html = client.get(page).content.decode()
        assert 'enctype="multipart/form-data"' in html, kind
        assert f"{kind}.pdf" in html
        evidence = EvidenceFile.objects.get(name=f"{kind}.pdf")
        assert reverse("evidence:download", args=[open_team.alliance.slug, evidence.pk]) in html


def test_the_fill_page_links_a_saved_answer_to_its_files(client, open_team, answer):
    client.force_login(open_team.users["contributor"])
    response = answer.response
    fill = reverse(
        "assessments:fill", args=[open_team.alliance.slug, response.assessment_id, response.pk]
    )
    assert files_url(open_team, "answer", answer) in client.get(fill).content.decode()


# ---------------------------------------------------------------- delete


def test_deleting_asks_first_and_keeps_the_row_and_its_history(client, open_team, answer):
    upload(client, open_team, "answer", answer, "old.pdf", PDF, role="contributor")
    evidence = EvidenceFile.objects.get()
    url = reverse("evidence:delete", args=[open_team.alliance.slug, evidence.pk])
    assert "old.pdf" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.deleted_at is not None
    assert evidence.deleted_by == open_team.users["contributor"]
    assert [h.deleted_at is None for h in evidence.history.order_by("history_date")] == [
        True,
        False,
    ]
    assert download(client, open_team, evidence).status_code == 404
    assert "old.pdf" not in client.get(files_url(open_team, "answer", answer)).content.decode()


def test_a_file_on_a_submitted_answer_cannot_be_removed(client, open_team, answer):
    upload(client, open_team, "answer", answer, "kept.pdf", PDF, role="contributor")
    evidence = EvidenceFile.objects.get()
    response = answer.response
    answer_all(response, 3)
    submit(response)
    url = reverse("evidence:delete", args=[open_team.alliance.slug, evidence.pk])
    refused = client.post(url)
    assert refused.status_code == 400
    assert "submitted" in refused.content.decode()
    evidence.refresh_from_db()
    assert evidence.deleted_at is None
    # Nor does a new file join a submitted answer.
    assert (
        upload(client, open_team, "answer", answer, "late.pdf", PDF, role="contributor").status_code
        == 400
    )


# ---------------------------------------------------------------- the brief


def test_the_brief_appendix_lists_each_file_by_name_size_and_sha256(
    client, open_team, django_capture_on_commit_callbacks
):
    make_assessed(open_team)
    finding = open_team.alliance.assessments.get(title="partner_selection check").findings.get()
    services.evidence_file_attach(
        alliance=open_team.alliance,
        target=finding,
        upload=SimpleUploadedFile("clause-12.pdf", PDF),
        by=open_team.users["manager"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, open_team)
    brief = Brief.objects.get()
    assert brief.status == Brief.Status.READY, brief.error
    text = text_of(pdf_of(brief))
    assert "attached files" in text
    assert "clause-12.pdf" in text
    assert f"{len(PDF)} bytes" in text
    assert hashlib.sha256(PDF).hexdigest() in text.replace(" ", "")


# ---------------------------------------------------------------- clamd


def test_clamd_replies_are_read_as_verdicts():
    assert clamav.parse_reply("stream: OK") == clamav.Verdict(clean=True)
    assert clamav.parse_reply("stream: Eicar-Test-Signature FOUND") == clamav.Verdict(
        clean=False, signature="Eicar-Test-Signature"
    )
    with pytest.raises(clamav.ClamdRefusedToScan):
        clamav.parse_reply("INSTREAM size limit exceeded. ERROR")
    path = "/run/clamav/clamd.ctl"
    assert clamav.address(f"unix://{path}") == (socket.AF_UNIX, path)
    with pytest.raises(ValueError, match="CLAMD_URL"):
        clamav.address("http://clamd")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


@pytest.fixture(scope="session")
def clamd_url(tmp_path_factory):
    """Debian's clamd in a process of its own, on a free port, with a signature database
    made here by sigtool: the EICAR file by its hash, and the EICAR string anywhere."""
    sigtool = shutil.which("sigtool")
    if not (os.path.exists(CLAMD) and sigtool):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the clamd tests: apt-get install clamav-daemon clamav")
        pytest.skip("the clamd tests need Debian's clamav-daemon and clamav (sigtool)")
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "eicar.txt").write_bytes(EICAR)
    hdb = subprocess.run([sigtool, "--md5", "eicar.txt"], cwd=root, capture_output=True, check=True)
    (root / "db" / "test.hdb").write_bytes(hdb.stdout)
    hexed = (
        subprocess.run([sigtool, "--hex-dump"], input=EICAR, capture_output=True, check=True)
        .stdout.decode()
        .strip()
    )
    (root / "db" / "test.ndb").write_text(f"Eicar-Test-Signature:0:*:{hexed}\n")
    port = _free_port()
    (root / "clamd.conf").write_text(
        f"Foreground yes\nTCPSocket {port}\nTCPAddr 127.0.0.1\n"
        f"DatabaseDirectory {root / 'db'}\nLogFile {root / 'clamd.log'}\n"
        f"TemporaryDirectory {root}\n"
    )
    process = subprocess.Popen(
        [CLAMD, "-c", str(root / "clamd.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"tcp://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not clamav.ping(url):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (root / "clamd.log").read_text() if (root / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def scanning(settings, clamd_url):
    settings.CLAMD_URL = clamd_url
    return clamd_url


def test_a_file_carrying_eicar_is_refused_by_clamd_and_never_served(
    client, open_team, answer, scanning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        upload(client, open_team, "answer", answer, "bad.pdf", INFECTED_PDF, role="contributor")
    evidence = EvidenceFile.objects.get()
    assert evidence.state == EvidenceFile.State.SCANNING
    stored = evidence.file.name
    # Before the verdict nobody may download it.
    assert download(client, open_team, evidence).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    evidence.refresh_from_db()
    assert evidence.state == EvidenceFile.State.REFUSED
    assert evidence.scan_result == "Eicar-Test-Signature.UNOFFICIAL"
    assert not default_storage.exists(stored)  # its bytes are gone
    gone = download(client, open_team, evidence)
    assert gone.status_code == 410
    assert "virus scanner refused" in gone.content.decode()


def test_a_clean_pdf_is_scanned_clean_then_served(
    client, open_team, answer, scanning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, open_team, "answer", answer, "clean.pdf", PDF, role="contributor")
    evidence = EvidenceFile.objects.get()
    assert evidence.state == EvidenceFile.State.CLEAN
    assert evidence.scanned_at is not None
    assert body(download(client, open_team, evidence)) == PDF


def test_a_duplicate_delivery_of_the_scan_changes_nothing(open_team, answer, scanning):
    evidence = services.evidence_file_attach(
        alliance=open_team.alliance,
        target=answer,
        upload=SimpleUploadedFile("twice.pdf", PDF),
        by=open_team.users["contributor"],
    )
    scan_evidence_file.delay(evidence.pk)
    scanned_at = EvidenceFile.objects.get().scanned_at
    scan_evidence_file.delay(evidence.pk)  # the broker delivers it again
    assert EvidenceFile.objects.get().scanned_at == scanned_at


@pytest.fixture
def broker():
    if not os.environ.get("CELERY_BROKER_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the worker tests: set CELERY_BROKER_URL")
        pytest.skip("the worker tests need a broker: set CELERY_BROKER_URL=redis://…")
    app.control.purge()


def wait_for_verdict(evidence, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        evidence.refresh_from_db()
        if evidence.state != EvidenceFile.State.SCANNING:
            return evidence
        time.sleep(0.05)
    raise AssertionError(f"still scanning after {timeout} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_scans_uploads_through_clamd(broker, scanning, transactional_db, open_team):
    from celery.contrib.testing.worker import start_worker

    finding = with_condition(open_team)
    attach = dict(alliance=open_team.alliance, target=finding, by=open_team.users["manager"])
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        infected = services.evidence_file_attach(
            upload=SimpleUploadedFile("infected.pdf", INFECTED_PDF), **attach
        )
        clean = services.evidence_file_attach(upload=SimpleUploadedFile("ok.pdf", PDF), **attach)
        wait_for_verdict(infected)
        wait_for_verdict(clean)
    assert infected.state == EvidenceFile.State.REFUSED
    assert not infected.file
    assert clean.state == EvidenceFile.State.CLEAN


def test_a_superuser_reads_a_files_history_in_the_admin(client):
    """The admin shows a file's record and history, never a URL to the private file."""
    from tests.conftest import make_team
    from tests.test_access_matrix import assessment_ready

    team = make_team(confidential=False, prefix="history")
    assessment_ready(team)
    evidence = services.evidence_file_attach(
        alliance=team.alliance,
        target=team.assessment.findings.get(),
        upload=SimpleUploadedFile("nda.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=team.users["manager"],
    )
    client.force_login(team.users["superuser"])
    past = evidence.history.first().history_id
    for url in (
        reverse("admin:evidence_evidencefile_change", args=[evidence.pk]),
        reverse("admin:evidence_evidencefile_simple_history", args=[evidence.pk, past]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "nda.pdf" in page.content.decode()
