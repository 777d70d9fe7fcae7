"""The decision record is read, not recomputed: each recheck stores what the rules read and
the verdict's robustness; pages read that record, and it always equals a fresh
computation: every service that writes a decision input either stores a new record or
marks the old one stale."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliances import services as alliance_services
from alliances.models import KPI, Alliance, Membership
from assessments import services as assessment_services
from assessments.models import Assessment, Finding, PartnerInvitation
from assessments.partner import services as partner_services
from assessments.selectors import scored_latest
from banks.models import Question, QuestionBank
from briefs.snapshot import build_snapshot
from decisions import services as decision_services
from decisions.codec import decode, encode
from decisions.freshness import records_stale
from decisions.models import DecisionRecord, TrackedCondition
from decisions.recheck import decisions_daily
from decisions.robustness import Robustness
from decisions.robustness_selectors import decision_robustness
from decisions.rules import DecisionInput, decide
from decisions.selectors import decision_inputs, stored_records
from sponsors import services as sponsor_services
from sponsors.models import Signal, Sponsor, Sponsorship

pytestmark = pytest.mark.django_db

User = get_user_model()
COBALT = "cobalt-cloud-co-sell"


@pytest.fixture
def demo(seeded_demo, db):
    """The demo (tests/conftest.py), every alliance's record stored by its seeding."""


def fresh(alliance) -> tuple[DecisionInput, Robustness]:
    scored = scored_latest([alliance.pk])
    data = decision_inputs([alliance], scored=scored)[alliance.pk]
    return data, decision_robustness(alliance.pk, data, scored)


def assert_record_true(alliance) -> bool:
    """The record pages would read equals a fresh computation; returns whether one is
    read at all (False: stale, the pages compute)."""
    stored = stored_records([alliance.pk]).get(alliance.pk)
    if stored is None:
        return False
    data, robustness = fresh(alliance)
    assert stored[0] == data
    assert stored[1] == robustness
    return True


def alliance_page_queries(client, slug) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("alliances:detail", args=[slug]))
    assert page.status_code == 200
    return len(queries), page.content.decode()


def decision_card(html: str) -> str:
    start = html.index('aria-labelledby="decision-h"')
    return html[start : html.index("</section>", start)]


def test_the_record_keeps_every_input_exactly(demo):
    """JSON there and back gives the same dataclasses, for every demo alliance."""
    for alliance in Alliance.objects.all():
        data, robustness = fresh(alliance)
        assert decode(DecisionInput, encode(data)) == data
        assert decode(Robustness, encode(robustness)) == robustness


def test_the_seeded_demo_has_a_true_record_for_each_alliance(demo):
    for alliance in Alliance.objects.filter(is_archived=False):
        assert assert_record_true(alliance), alliance.name


def test_the_alliance_page_reads_the_record_and_shows_the_same_decision(client, demo):
    client.force_login(User.objects.get(username="manager"))
    with_record, stored_page = alliance_page_queries(client, COBALT)
    records_stale()
    computed, computed_page = alliance_page_queries(client, COBALT)
    assert with_record < computed  # the decision's reads and its robustness are skipped
    assert decision_card(stored_page) == decision_card(computed_page)
    assert "holds in" in decision_card(stored_page)  # the stored robustness figure


def test_the_page_shows_what_the_record_says(client, demo):
    """Proof that the page reads the record: a record changed behind the services' back
    (no signal) is what the page shows, until the next recheck."""
    cobalt = Alliance.objects.get(slug=COBALT)
    record = DecisionRecord.objects.get(alliance=cobalt)
    inputs = record.inputs
    inputs["sponsor"]["sponsor_name"] = "Someone Recorded"
    inputs["sponsor"]["has_executive_sponsor"] = True
    DecisionRecord.objects.filter(pk=record.pk).update(inputs=inputs)
    client.force_login(User.objects.get(username="manager"))
    assert "Someone Recorded" in client.get(cobalt.get_absolute_url()).content.decode()


def test_the_portfolio_reads_the_record(client, demo):
    """The portfolio's verdicts are the stored ones too: a record changed behind the
    services' back (Cobalt's assessments gone from it: INCOMPLETE) is what it exports."""
    cobalt = Alliance.objects.get(slug=COBALT)
    client.force_login(User.objects.get(username="manager"))

    def cobalt_verdict() -> str:
        export = client.get(reverse("portfolio:export_csv"))
        rows = b"".join(export.streaming_content).decode().splitlines()
        return next(line for line in rows if line.startswith(cobalt.name))

    assert "INCOMPLETE" not in cobalt_verdict()
    record = DecisionRecord.objects.get(alliance=cobalt)
    DecisionRecord.objects.filter(pk=record.pk).update(inputs={**record.inputs, "assessments": []})
    assert "INCOMPLETE" in cobalt_verdict()
    # An alliance without a record of today beside them is decided afresh.
    DecisionRecord.objects.exclude(alliance=cobalt).delete()
    assert "INCOMPLETE" in cobalt_verdict()


def test_the_brief_reads_the_record(demo):
    """A brief's snapshot takes the decision's robustness (with the decision) from today's
    record: a record changed behind the services' back is what a new snapshot holds."""
    cobalt = Alliance.objects.get(slug=COBALT)
    assert build_snapshot(cobalt)[0]["robustness"]["draws"] == 2000
    record = DecisionRecord.objects.get(alliance=cobalt)
    DecisionRecord.objects.filter(pk=record.pk).update(
        robustness={**record.robustness, "draws": 1234}
    )
    assert build_snapshot(cobalt)[0]["robustness"]["draws"] == 1234


def test_answering_a_draft_leaves_the_record_read(demo):
    """A draft's answers (and the knock-out findings its lowest levels open) are no
    decision input: the record stays the one pages read, with no recheck."""
    draft = Assessment.objects.filter(alliance__slug=COBALT).exclude(
        status=Assessment.Status.SUBMITTED
    )[0]
    response = draft.responses.filter(submitted_at__isnull=True)[0]
    questions = Question.objects.filter(dimension__version=draft.version, kind="scale")

    def answer_all(lowest: bool) -> int:
        for question in questions:
            choices = question.choices.order_by("score" if lowest else "-score")
            assessment_services.answer_save(
                response=response,
                question=question,
                value=assessment_services.AnswerValue(choice=choices[0]),
                by=response.assessor,
            )
        return Finding.objects.filter(assessment=draft).count()

    assert answer_all(lowest=True) > answer_all(lowest=False)  # knock-outs opened, closed
    assert assert_record_true(draft.alliance)


def test_a_record_of_yesterday_is_not_read(client, demo):
    """Overdue evidence and sponsor health move with the calendar."""
    cobalt = Alliance.objects.get(slug=COBALT)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert stored_records([cobalt.pk]) == {}
        client.force_login(User.objects.get(username="manager"))
        assert client.get(cobalt.get_absolute_url()).status_code == 200
        decisions_daily(timezone.localdate())  # the daily job renews it
        assert assert_record_true(cobalt)


def test_an_unreadable_record_is_computed_again(client, demo):
    cobalt = Alliance.objects.get(slug=COBALT)
    DecisionRecord.objects.filter(alliance=cobalt).update(inputs={"assessments": [{"x": 1}]})
    assert stored_records([cobalt.pk]) == {}
    client.force_login(User.objects.get(username="manager"))
    _, html = alliance_page_queries(client, COBALT)
    assert decide(fresh(cobalt)[0]).verdict.label in decision_card(html)


def test_every_service_that_writes_an_input_keeps_the_record_true(demo):
    """Walk the writes a decision reads, on the demo; after each the record pages read is
    a fresh computation's equal (or stale, and the pages compute). Those that recheck
    store it at once."""
    manager = User.objects.get(username="manager")
    contributor = User.objects.get(username="contributor")
    cobalt = Alliance.objects.get(slug=COBALT)
    today = timezone.localdate()
    fit = Assessment.objects.filter(alliance=cobalt, status=Assessment.Status.SUBMITTED).latest(
        "pk"
    )
    manageable = Finding.objects.filter(classification=Finding.Classification.MANAGEABLE).first()
    ours = Sponsorship.objects.filter(alliance=cobalt).order_by("side").first()
    assert ours, "the demo names a sponsor on Cobalt"
    invitation = PartnerInvitation.objects.filter(
        submitted_at=None, revoked_at=None, assessment__alliance=cobalt
    ).first()

    def tracked_update():
        condition = TrackedCondition.objects.filter(alliance=cobalt).first()
        decision_services.tracked_condition_update(
            condition=condition,
            by=manager,
            owner=contributor,
            due_date=today + timedelta(days=9),
            status=TrackedCondition.Status.IN_PROGRESS,
        )
        return cobalt

    def condition_update():
        alliance = manageable.assessment.alliance
        by = Membership.objects.filter(alliance=alliance, role=Membership.Role.MANAGER).first()
        assessment_services.condition_update(finding=manageable, status="in_progress", by=by.user)
        return manageable.assessment.alliance

    def kpi_save():
        kpi = KPI.objects.filter(alliance=cobalt).first()
        kpi.actual = (kpi.actual or 0) + 1
        alliance_services.kpi_save(kpi=kpi, by=manager)
        return cobalt

    def signal_record():
        signal = Signal(sponsorship=ours, kind=Signal.Kind.ADVOCACY, date=today, where="Keynote")
        sponsor_services.signal_record(signal=signal, by=manager)
        return cobalt

    def intervals_set():
        assessment_services.reassessment_intervals_set(
            alliance=cobalt, months={cobalt.stage: 1}, by=manager
        )
        return cobalt

    def reopen():
        response = fit.responses.filter(submitted_at__isnull=False).first()
        assessment_services.response_reopen(response=response, by=manager)
        return cobalt

    def revoke():
        partner_services.invitation_revoke(invitation=invitation, by=manager)
        return cobalt

    rechecking = [tracked_update, condition_update, kpi_save, signal_record, intervals_set]
    rechecking += [revoke] if invitation else []
    rechecking.append(reopen)
    for write in rechecking:
        alliance = write()
        assert assert_record_true(alliance), f"{write.__name__} stored no record"

    decisions_daily(today)

    def rename_sponsor():
        sponsor = Sponsor.objects.get(pk=ours.sponsor_id)
        sponsor.name = "Renamed Sponsor"
        sponsor.save()

    def rename_owner():
        contributor.first_name = "Renamed"
        contributor.save()

    def rename_partner():
        cobalt.partner.name = "Renamed Partner Ltd"
        cobalt.partner.save()

    def rename_bank():
        bank = QuestionBank.objects.get(pk=fit.version.bank_id)
        bank.name = "Renamed bank"
        bank.save()

    def change_stage():
        cobalt.stage = next(s for s in Alliance.Stage.values if s != cobalt.stage)
        cobalt.save()

    for write in (rename_sponsor, rename_owner, rename_partner, rename_bank, change_stage):
        write()
        assert_record_true(cobalt)  # stale or true, never a stale record read
        assert not stored_records([cobalt.pk]), f"{write.__name__} left the record read"
        decisions_daily(today)
        assert assert_record_true(cobalt)
