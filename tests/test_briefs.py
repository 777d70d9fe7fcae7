"""The executive brief: prepared in a request, rendered through the task, read back as a PDF."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import Finding
from briefs import services, worker
from briefs.models import Brief, claim_lease
from briefs.tasks import render_brief
from tests.assessment_factories import answer_all, give, make_version, start, submit
from tests.sponsor_factories import PartnerSponsorshipFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db

AGENDA = "wants-the-board-seat-9c1e"


def pdf_of(brief: Brief) -> PdfReader:
    with default_storage.open(brief.pdf.name, "rb") as stored:
        return PdfReader(io.BytesIO(stored.read()))


def text_of(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def assess(team, *, kind, slug, levels, knockout_level=None, comment=""):
    """A submitted assessment of `kind` by the manager and the contributor."""
    version = make_version(
        slug=slug, kind=kind, name=kind.replace("_", " ").capitalize(), knockouts={}
    )
    assessment = start(team, version, title=f"{kind} check")
    for response in assessment.responses.all():
        answer_all(response, levels)
        if comment:
            give(response, "A2", levels.get("A2", 3) if isinstance(levels, dict) else 3,
                 comment=comment)  # fmt: skip
        submit(response)
    return assessment


@pytest.fixture
def assessed(open_team):
    return make_assessed(open_team)


def make_assessed(open_team):
    """Strategic fit and partner selection submitted, a showstopper, and both sponsors."""
    assess(open_team, kind="strategic_fit", slug="fit", levels=3)
    partner = assess(open_team, kind="partner_selection", slug="partner", levels={"A1": 0, "A2": 3})
    Finding.objects.create(
        assessment=partner,
        question=partner.version.dimensions.first().questions.get(key="A1"),
        classification=Finding.Classification.SHOWSTOPPER,
        issue="Helios is tied exclusively to our main competitor until 2029.",
        evidence="Master agreement, clause 12.",
    )
    SponsorshipFactory(
        alliance=open_team.alliance,
        sponsor__name="Elena Rossi",
        sponsor__user=open_team.users["executive"],
        personal_agenda=AGENDA,
    )
    PartnerSponsorshipFactory(alliance=open_team.alliance, sponsor__name="Pieter de Vries")
    return open_team


def prepare(client, team, role="manager"):
    client.force_login(team.users[role])
    return client.post(reverse("briefs:prepare", args=[team.alliance.slug]))


def test_prepare_renders_a_two_page_pdf_with_the_decision_and_its_showstopper(
    client, assessed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = prepare(client, assessed)
    brief = Brief.objects.get()
    assert response.url == brief.get_absolute_url()
    assert brief.status == Brief.Status.READY
    assert brief.attempts == 1
    reader = pdf_of(brief)
    text = text_of(reader)
    assert len(reader.pages) == 2
    assert "NO-GO" in text
    assert assessed.alliance.name in text
    assert "Helios is tied exclusively to our main competitor until 2029." in text
    assert "Elena Rossi" in text
    assert "Pieter de Vries" in text
    assert re.search(r"page 1 of 2", text)
    # The full hash stays out of the executive's view: a short reference in the method note.
    assert brief.snapshot_sha256 not in text.replace(" ", "")
    assert f"Reference {brief.snapshot_sha256[:8]}" in text
    # Bank versions and thresholds are frozen with the decision.
    assert [a["version"] for a in brief.snapshot["assessments"]] == [1, 1]
    assert brief.snapshot["assessments"][0]["go"] == 70


def test_the_pdf_never_carries_a_sponsors_personal_agenda(
    client, assessed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed)
    brief = Brief.objects.get()
    assert AGENDA not in str(brief.snapshot)
    assert AGENDA not in text_of(pdf_of(brief)).replace(" ", "")


def test_asking_again_for_unchanged_evidence_returns_the_same_brief(
    client, assessed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = prepare(client, assessed, role="executive")
    brief = Brief.objects.get()
    assert again.url == brief.get_absolute_url()
    assert callbacks == []  # nothing enqueued
    assert brief.attempts == 1


def test_changed_evidence_makes_a_new_brief(client, assessed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed)
    Finding.objects.update(classification=Finding.Classification.MANAGEABLE, mitigation="Waiver")
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed)
    first, second = Brief.objects.order_by("pk")
    assert first.snapshot_sha256 != second.snapshot_sha256
    assert first.verdict == "NO-GO"
    assert second.verdict == "GO WITH CONDITIONS"
    assert "GO WITH CONDITIONS" in text_of(pdf_of(second))


def test_download_is_an_attachment_named_after_the_alliance_and_date(
    client, assessed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed, role="executive")
    brief = Brief.objects.get()
    client.force_login(assessed.users["viewer"])
    response = client.get(reverse("briefs:download", args=[assessed.alliance.slug, brief.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="brief-{assessed.alliance.slug}-{today}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_pdf_is_stored_privately_never_under_a_public_url(
    client, assessed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed)
    brief = Brief.objects.get()
    with pytest.raises(ValueError, match="not accessible via a URL"):
        brief.pdf.url  # noqa: B018
    assert client.get(f"/static/{brief.pdf.name}").status_code == 404


@pytest.mark.parametrize(
    "status", [Brief.Status.QUEUED, Brief.Status.RENDERING, Brief.Status.FAILED]
)
def test_a_brief_queued_rendering_or_failed_has_no_download_even_with_a_stored_pdf(
    client, open_team, status
):
    """Only a ready brief is served: a PDF left in storage (a render that failed after
    writing it, a retry under way) is not handed out while the status says otherwise."""
    brief = Brief.objects.create(
        alliance=open_team.alliance, snapshot={}, snapshot_sha256="a" * 64, status=status
    )
    brief.pdf.save("left-over.pdf", ContentFile(b"%PDF-1.7 left over"), save=True)
    client.force_login(open_team.users["manager"])
    url = reverse("briefs:download", args=[open_team.alliance.slug, brief.pk])

    assert client.get(url).status_code == 404

    # The same brief, ready: served, so the 404 above came from the status alone.
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.READY)
    assert client.get(url).status_code == 200


def test_a_brief_of_another_alliance_is_a_404(client, open_team, confidential_team):
    foreign = Brief.objects.create(
        alliance=confidential_team.alliance, snapshot={}, snapshot_sha256="b" * 64
    )
    client.force_login(open_team.users["manager"])
    for name in ("detail", "status", "download"):
        url = reverse(f"briefs:{name}", args=[open_team.alliance.slug, foreign.pk])
        assert client.get(url).status_code == 404


def test_the_whole_team_gets_an_email_when_the_brief_is_ready(
    client, assessed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepare(client, assessed, role="executive")
    brief = Brief.objects.get()
    team = ("manager", "contributor", "executive", "viewer")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(assessed.users[r].email for r in team)
    message = next(m for m in mail.outbox if m.to == [assessed.users["executive"].email])
    assert assessed.alliance.name in message.subject
    assert brief.get_absolute_url() in message.body
    assert assessed.users["outsider"].notifications.count() == 0


def test_status_panel_polls_until_the_brief_is_settled(client, open_team):
    brief = Brief.objects.create(alliance=open_team.alliance, snapshot={}, snapshot_sha256="c" * 64)
    client.force_login(open_team.users["viewer"])
    url = reverse("briefs:status", args=[open_team.alliance.slug, brief.pk])
    queued = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in queued
    assert "waiting for a worker" in queued
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.RENDERING)
    assert "rendering the PDF" in client.get(url).content.decode()
    Brief.objects.filter(pk=brief.pk).update(status=Brief.Status.FAILED, error="Disk full")
    failed = client.get(url).content.decode()
    assert "hx-trigger" not in failed
    assert "Disk full" in failed


def test_a_failure_shows_its_reason_and_retry_renders_again(
    client, assessed, django_capture_on_commit_callbacks
):
    # A snapshot the template cannot render: the task records why.
    broken = Brief.objects.create(
        alliance=assessed.alliance,
        snapshot={"decision": {}},
        snapshot_sha256="d" * 64,
        requested_by=assessed.users["manager"],
    )
    render_brief.delay(broken.pk)
    broken.refresh_from_db()
    assert broken.status == Brief.Status.FAILED
    assert "KeyError" in broken.error
    client.force_login(assessed.users["manager"])
    page = client.get(broken.get_absolute_url()).content.decode()
    assert "could not be rendered" in page
    assert "Try again" in page

    Brief.objects.filter(pk=broken.pk).update(snapshot=_real_snapshot(assessed))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("briefs:retry", args=[assessed.alliance.slug, broken.pk]))
    broken.refresh_from_db()
    assert broken.status == Brief.Status.READY
    assert broken.attempts == 2


def _real_snapshot(team):
    from briefs.snapshot import build_snapshot

    return build_snapshot(team.alliance)[0]


def test_retrying_a_brief_that_did_not_fail_is_refused(client, open_team):
    brief = Brief.objects.create(alliance=open_team.alliance, snapshot={}, snapshot_sha256="e" * 64)
    client.force_login(open_team.users["manager"])
    response = client.post(
        reverse("briefs:retry", args=[open_team.alliance.slug, brief.pk]), follow=True
    )
    assert "Only a brief that failed can be tried again" in response.content.decode()
    brief.refresh_from_db()
    assert brief.status == Brief.Status.QUEUED


def test_a_duplicate_delivery_does_nothing(assessed):
    brief, _ = services.brief_request(alliance=assessed.alliance, by=assessed.users["manager"])
    render_brief.delay(brief.pk)
    brief.refresh_from_db()
    first_pdf = brief.pdf_sha256
    render_brief.delay(brief.pk)  # the broker delivers the same task again
    brief.refresh_from_db()
    assert (brief.status, brief.attempts, brief.pdf_sha256) == (Brief.Status.READY, 1, first_pdf)


def test_a_live_claim_makes_a_second_worker_wait(assessed):
    brief, _ = services.brief_request(alliance=assessed.alliance, by=assessed.users["manager"])
    assert worker.brief_claim(brief.pk) is not None
    with pytest.raises(worker.BriefBusy) as busy:
        worker.brief_claim(brief.pk)
    assert 0 < busy.value.retry_in <= claim_lease().total_seconds() + 1


def test_a_claim_older_than_the_hard_time_limit_is_taken_over(assessed):
    """A worker died mid-render: the redelivered task renders the brief."""
    brief, _ = services.brief_request(alliance=assessed.alliance, by=assessed.users["manager"])
    long_ago = timezone.now() - claim_lease() - timedelta(seconds=5)
    Brief.objects.filter(pk=brief.pk).update(
        status=Brief.Status.RENDERING, claimed_at=long_ago, attempts=1
    )
    render_brief.delay(brief.pk)
    brief.refresh_from_db()
    assert (brief.status, brief.attempts) == (Brief.Status.READY, 2)


def test_render_brief_command_writes_the_pdf(assessed, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "brief.pdf"
    call_command("render_brief", assessed.alliance.slug, "--out", str(out))
    reader = PdfReader(out)
    assert "NO-GO" in text_of(reader)
    assert Brief.objects.get().status == Brief.Status.READY


def test_render_brief_command_names_an_unknown_alliance():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No alliance has the slug"):
        call_command("render_brief", "no-such-alliance")


def test_the_former_task_name_is_registered_and_renders(assessed):
    """Messages queued before the move carry `assessments.tasks.render_brief`."""
    from config.celery import app

    brief, _ = services.brief_of_current_evidence(
        alliance=assessed.alliance, by=assessed.users["manager"]
    )
    app.tasks["assessments.tasks.render_brief"].delay(brief.pk)
    brief.refresh_from_db()
    assert brief.status == Brief.Status.READY, brief.error
    assert "NO-GO" in text_of(pdf_of(brief))


def test_brief_pages_keep_the_addresses_they_had_before_the_briefs_app():
    """Bookmarks and links in e-mails already sent keep working."""
    assert reverse("briefs:list", args=["aurora"]) == "/alliances/aurora/briefs/"
    assert reverse("briefs:prepare", args=["aurora"]) == "/alliances/aurora/briefs/prepare/"
    for name, suffix in [("detail", ""), ("status", "status/"), ("download", "download/"),
                         ("retry", "retry/")]:  # fmt: skip
        url = reverse(f"briefs:{name}", args=["aurora", 7])
        assert url == f"/alliances/aurora/briefs/7/{suffix}"
