"""The events of the issue reach the right people, with words that say what happened."""

import pytest
from django.core import mail
from django.urls import reverse

from alliances.services import membership_remove
from assessments import services as assessment_services
from assessments.models import Finding
from decisions.models import DecisionRecord
from notifications import emails
from notifications.models import Delivery, DeliveryPreference, Kind, Notification
from notifications.services import notify
from notifications.tasks import run_daily
from tests.assessment_factories import answer_all, give, make_version, start, submit

pytestmark = pytest.mark.django_db


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_assessors_hear_they_were_made_assessors_with_a_link_to_their_fill_page(open_team):
    assessment = start(open_team, make_version(slug="told"), assessors=("manager", "contributor"))
    contributor = open_team.users["contributor"]
    (told,) = Notification.objects.filter(recipient=contributor)
    response = assessment.responses.get(assessor=contributor)
    assert told.kind == Kind.ASSESSOR_ASSIGNED
    assert told.url == reverse(
        "assessments:fill", args=[open_team.alliance.slug, assessment.pk, response.pk]
    )
    # The manager started it: nobody hears of what they did themselves.
    assert kinds_of(open_team.users["manager"]) == []


def test_managers_hear_when_every_assessor_has_submitted(open_team):
    version = make_version(slug="all-in", knockouts={})
    assessment = start(open_team, version, assessors=("contributor", "manager"))
    for response in assessment.responses.order_by("assessor__username"):
        answer_all(response, 4)
        submit(response)
    # The contributor submitted first; the manager's own submission completed it.
    assert Kind.ASSESSORS_ALL_SUBMITTED not in kinds_of(open_team.users["manager"])
    assert kinds_of(open_team.users["viewer"]) == []
    assessment = start(open_team, make_version(slug="all-in-2", knockouts={}), title="Second")
    contributor_first = assessment.responses.order_by("-assessor__username")
    for response in contributor_first.exclude(assessor=open_team.users["contributor"]):
        answer_all(response, 4)
        submit(response)
    last = assessment.responses.get(assessor=open_team.users["contributor"])
    answer_all(last, 4)
    submit(last)
    told = Notification.objects.get(
        recipient=open_team.users["manager"], kind=Kind.ASSESSORS_ALL_SUBMITTED
    )
    assert told.title == f"{open_team.alliance.name}: every assessor of “Second” has submitted"
    assert told.url == assessment.get_absolute_url()


def test_the_decision_changed_text_says_from_what_to_what_and_why(open_team):
    version = make_version(slug="flip", knockouts={"A1": 1})
    assessment = start(open_team, version, assessors=("contributor",))
    response = assessment.responses.get()
    answer_all(response, 4)
    give(response, "A1", 0)  # a knock-out: opens a finding
    submit(response)
    executive = open_team.users["executive"]
    before = DecisionRecord.objects.get(alliance=open_team.alliance).verdict
    finding = Finding.objects.get()
    finding.classification = Finding.Classification.SHOWSTOPPER
    assessment_services.finding_classify(finding=finding, by=open_team.users["manager"])
    latest = Notification.objects.filter(recipient=executive, kind=Kind.DECISION_CHANGED).first()
    assert latest.title == f"{open_team.alliance.name}: the decision is now NO-GO"
    assert latest.body.startswith(f"From {before} to NO-GO because ")
    assert "showstopper" in latest.body.lower()
    assert DecisionRecord.objects.get(alliance=open_team.alliance).verdict == "NO-GO"


def test_managers_hear_of_a_knockout_once_per_finding(open_team):
    assessment = start(open_team, make_version(slug="ko"), assessors=("contributor",))
    response = assessment.responses.get()
    give(response, "A1", 0)
    give(response, "A1", 4)  # closes it again
    give(response, "A1", 0)  # and opens it: the managers were told already
    manager = open_team.users["manager"]
    assert kinds_of(manager).count(Kind.KNOCKOUT_OPENED) == 1
    told = Notification.objects.get(recipient=manager, kind=Kind.KNOCKOUT_OPENED)
    assert "A1" in told.title
    assert told.url.startswith(
        reverse("assessments:detail", args=[open_team.alliance.slug, assessment.pk])
    )


def test_removing_someone_from_the_team_removes_their_unread_notifications(open_team):
    start(open_team, make_version(slug="gone"), assessors=("contributor",))
    contributor = open_team.users["contributor"]
    assert kinds_of(contributor) == [Kind.ASSESSOR_ASSIGNED]
    membership = open_team.member("contributor")
    # The contributor has answered nothing: their response goes with them.
    membership.alliance.assessments.get().responses.all().delete()
    membership_remove(membership=membership, by=open_team.users["manager"])
    assert kinds_of(contributor) == []


def test_the_daily_recheck_tells_of_a_decision_moved_by_time_once(open_team):
    alliance = open_team.alliance
    DecisionRecord.objects.create(alliance=alliance, verdict="GO", changed_at="2026-01-01T00:00Z")
    from datetime import date

    day = date(2026, 11, 23)
    run_daily(day)
    run_daily(day)
    executive = open_team.users["executive"]
    (changed,) = Notification.objects.filter(recipient=executive, kind=Kind.DECISION_CHANGED)
    assert changed.body.startswith("From GO to INCOMPLETE because ")


def test_digest_groups_by_alliance_and_hides_a_confidential_one(
    open_team, confidential_team, django_capture_on_commit_callbacks
):
    manager = open_team.users["manager"]
    # The same person on both teams, who wants everything in the digest.
    confidential_team.alliance.memberships.create(user=manager, role="manager")
    for kind in (Kind.DECISION_CHANGED, Kind.BRIEF_READY):
        DeliveryPreference.objects.create(user=manager, kind=kind, delivery=Delivery.DIGEST)
    for team in (open_team, confidential_team, open_team):
        notify(
            Kind.DECISION_CHANGED,
            alliance=team.alliance,
            recipients=[manager],
            title=f"{team.alliance.name}: the decision is now NO-GO",
            url=team.alliance.get_absolute_url(),
        )
    assert mail.outbox == []
    from datetime import date

    with django_capture_on_commit_callbacks(execute=True):
        assert emails.send_digests(date(2026, 11, 23)) == 1
        assert emails.send_digests(date(2026, 11, 23)) == 0
    (digest,) = mail.outbox
    assert "3 notifications" in digest.subject
    assert digest.body.count(open_team.alliance.name) == 3  # a heading and two lines
    assert "A confidential alliance" in digest.body
    assert confidential_team.alliance.name not in digest.body
    assert confidential_team.alliance.slug not in digest.body


def test_immediately_digest_and_off_are_each_respected(
    open_team, django_capture_on_commit_callbacks
):
    users = open_team.users
    choices = {
        "manager": Delivery.IMMEDIATELY,
        "executive": Delivery.DIGEST,
        "viewer": Delivery.OFF,
    }
    for role, delivery in choices.items():
        DeliveryPreference.objects.create(
            user=users[role], kind=Kind.BRIEF_READY, delivery=delivery
        )
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Kind.BRIEF_READY,
            alliance=open_team.alliance,
            recipients=[users[r] for r in choices],
            title="The brief is ready",
        )
    assert [m.to for m in mail.outbox] == [[users["manager"].email]]
    from datetime import date

    with django_capture_on_commit_callbacks(execute=True):
        emails.send_digests(date(2026, 11, 23))
    assert [m.to for m in mail.outbox] == [[users["manager"].email], [users["executive"].email]]
    assert Notification.objects.filter(recipient=users["viewer"], emailed_at=None).count() == 1


def test_a_sponsor_record_that_moves_the_decision_is_told_at_once(open_team):
    """Sponsor health is part of the decision: naming, and removing, our executive
    sponsor changes the verdict, and the team hears it without waiting for the
    daily recheck."""
    from sponsors import services as sponsor_services
    from sponsors.models import Sponsorship
    from tests.sponsor_factories import SponsorFactory, days_ago

    for kind in ("strategic_fit", "partner_selection"):
        version = make_version(slug=f"told-{kind}", kind=kind, knockouts={})
        response = start(open_team, version, assessors=("contributor",)).responses.get()
        answer_all(response, 4)
        submit(response)
    alliance, manager = open_team.alliance, open_team.users["manager"]
    executive = open_team.users["executive"]
    assert DecisionRecord.objects.get(alliance=alliance).verdict == "GO WITH CONDITIONS"
    Notification.objects.all().delete()

    sponsorship = sponsor_services.sponsorship_create(
        sponsorship=Sponsorship(
            alliance=alliance,
            sponsor=SponsorFactory(),
            side=Sponsorship.Side.OURS,
            role=Sponsorship.Role.EXECUTIVE_SPONSOR,
            since=days_ago(10),
        ),
        by=manager,
    )
    (told,) = Notification.objects.filter(recipient=executive, kind=Kind.DECISION_CHANGED)
    assert told.title == f"{alliance.name}: the decision is now GO"
    assert told.body.startswith("From GO WITH CONDITIONS to GO because ")
    # The manager acted, and still hears the consequence.
    assert Notification.objects.filter(recipient=manager, kind=Kind.DECISION_CHANGED).exists()

    sponsor_services.sponsorship_delete(sponsorship=sponsorship, by=manager)
    latest = Notification.objects.filter(recipient=executive, kind=Kind.DECISION_CHANGED).first()
    assert latest.body.startswith("From GO to GO WITH CONDITIONS because ")
    assert DecisionRecord.objects.get(alliance=alliance).verdict == "GO WITH CONDITIONS"
