"""Executive sign-off: managers request it from team executives; each executive asked
approves, refuses or asks for more; it binds to the decision's evidence, so a change
afterwards makes it stale; pages, My work and the brief show it; history is kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from briefs.snapshot import build_snapshot
from home.my_work import my_work
from notifications.models import Notification
from signoffs import services
from signoffs.models import SignOff, SignOffRequest
from tests.assessment_factories import give
from tests.factories import MembershipFactory, UserFactory
from tests.test_conditions import with_condition

pytestmark = pytest.mark.django_db


def ask(team, executives=("executive",)):
    return services.signoff_request(
        alliance=team.alliance,
        executives=[team.users[role] for role in executives],
        by=team.users["manager"],
        message="Please sign before the QBR.",
    )


def signoff_of(team) -> SignOff:
    return SignOff.objects.get(request__alliance=team.alliance, executive=team.users["executive"])


@pytest.mark.parametrize("role", ["contributor", "executive", "viewer", "outsider"])
def test_only_managers_request_sign_off(open_team, role):
    with pytest.raises(PermissionDenied):
        services.signoff_request(
            alliance=open_team.alliance,
            executives=[open_team.users["executive"]],
            by=open_team.users[role],
        )


@pytest.mark.parametrize("role", ["contributor", "viewer", "manager", "outsider"])
def test_only_the_teams_executives_can_be_asked(open_team, role):
    with pytest.raises(ValidationError, match="Only the team's executives"):
        ask(open_team, executives=(role,))


def test_the_request_page_asks_the_executives_and_notifies_them(client, open_team):
    client.force_login(open_team.users["manager"])
    url = reverse("signoffs:request", args=[open_team.alliance.slug])
    page = client.get(url).content.decode()
    assert "The decision to sign off" in page
    executive = open_team.users["executive"]
    response = client.post(url, {"executives": [executive.pk], "message": "Before the QBR"})
    assert response.status_code == 302
    signoff = signoff_of(open_team)
    assert signoff.is_pending
    note = Notification.objects.get(recipient=executive, kind="signoff_requested")
    assert note.url == reverse("signoffs:answer", args=[open_team.alliance.slug, signoff.pk])


@pytest.mark.parametrize("role", ["manager", "contributor", "viewer", "superuser"])
def test_only_the_executive_asked_may_answer(client, open_team, role):
    ask(open_team)
    signoff = signoff_of(open_team)
    with pytest.raises(PermissionDenied):
        services.signoff_answer(
            signoff=signoff, answer="approved", comment="", by=open_team.users[role]
        )
    client.force_login(open_team.users[role])
    url = reverse("signoffs:answer", args=[open_team.alliance.slug, signoff.pk])
    assert client.post(url, {"answer": "approved"}).status_code == 403
    assert SignOff.objects.get(pk=signoff.pk).is_pending


def test_an_executive_who_left_the_team_can_no_longer_answer(open_team):
    ask(open_team)
    open_team.member("executive").delete()
    with pytest.raises(PermissionDenied):
        services.signoff_answer(
            signoff=signoff_of(open_team),
            answer="approved",
            comment="",
            by=open_team.users["executive"],
        )


def test_a_confidential_sign_off_is_a_404_outside_the_team(client, confidential_team):
    ask(confidential_team)
    signoff = signoff_of(confidential_team)
    client.force_login(confidential_team.users["outsider"])
    slug = confidential_team.alliance.slug
    for url in (
        reverse("signoffs:answer", args=[slug, signoff.pk]),
        reverse("signoffs:detail", args=[slug]),
        reverse("signoffs:request", args=[slug]),
    ):
        assert client.get(url).status_code == 404


def test_approval_shows_on_the_page_and_tells_the_managers(client, open_team):
    ask(open_team)
    signoff = signoff_of(open_team)
    client.force_login(open_team.users["executive"])
    url = reverse("signoffs:answer", args=[open_team.alliance.slug, signoff.pk])
    response = client.post(url, {"answer": "approved", "comment": "Go ahead <b>now</b>"})
    assert response.status_code == 302
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Approved" in page
    assert "Go ahead &lt;b&gt;now&lt;/b&gt;" in page
    given = Notification.objects.get(kind="signoff_given")
    assert given.recipient == open_team.users["manager"]
    # Answered once: a second answer is refused, the first stays.
    with pytest.raises(ValidationError, match="already answered"):
        services.signoff_answer(
            signoff=signoff, answer="refused", comment="No", by=open_team.users["executive"]
        )
    assert signoff.history.count() == 2  # asked, then answered


def test_refusing_or_asking_for_more_needs_a_comment_and_tells_the_managers(open_team):
    ask(open_team)
    signoff = signoff_of(open_team)
    executive = open_team.users["executive"]
    with pytest.raises(ValidationError, match="Say why"):
        services.signoff_answer(signoff=signoff, answer="more", comment=" ", by=executive)
    services.signoff_answer(
        signoff=signoff, answer="more", comment="Need the NDA first", by=executive
    )
    assert Notification.objects.filter(kind="signoff_refused").exists()


def test_changed_evidence_makes_the_sign_off_stale_until_asked_again(client, open_team):
    with_condition(open_team)
    ask(open_team)
    executive = open_team.users["executive"]
    services.signoff_answer(
        signoff=signoff_of(open_team), answer="approved", comment="", by=executive
    )
    client.force_login(open_team.users["manager"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Evidence changed since sign-off" not in page
    # Progress on a condition is not new evidence...
    finding = open_team.alliance.assessments.get(version__bank__kind="partner_selection")
    finding = finding.findings.get()
    from assessments.services import condition_update

    condition_update(finding=finding, status="in_progress", by=open_team.users["manager"])
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Evidence changed since sign-off" not in page
    # ...a changed answer is.
    response = finding.assessment.responses.get(assessor=open_team.users["manager"])
    response.status = "draft"
    response.save()
    give(response, "A3", 1)
    response.status = "submitted"
    response.save()
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Evidence changed since sign-off on" in page
    snapshot, _ = build_snapshot(open_team.alliance)
    assert snapshot["signoff"]["stale"] is True
    # Asked again: a new request, the old one kept in the history.
    ask(open_team)
    assert SignOffRequest.objects.filter(alliance=open_team.alliance).count() == 2
    page = client.get(open_team.alliance.get_absolute_url()).content.decode()
    assert "Evidence changed since sign-off" not in page
    history = client.get(reverse("signoffs:detail", args=[open_team.alliance.slug]))
    assert history.content.decode().count("Approved") >= 1


def test_a_stale_request_cannot_be_answered(open_team):
    with_condition(open_team)
    ask(open_team)
    finding = open_team.alliance.assessments.get(version__bank__kind="partner_selection")
    finding.findings.update(mitigation="Something else entirely")
    with pytest.raises(ValidationError, match="evidence changed"):
        services.signoff_answer(
            signoff=signoff_of(open_team),
            answer="approved",
            comment="",
            by=open_team.users["executive"],
        )


def test_my_work_lists_the_decisions_waiting_for_my_sign_off(rf, open_team):
    other_exec = UserFactory(username="second-exec")
    MembershipFactory(alliance=open_team.alliance, user=other_exec, role="executive")
    ask(open_team, executives=("executive",))
    request = rf.get("/")
    request.user = open_team.users["executive"]
    items = [i for i in my_work(request) if i.kind == "signoff_waiting"]
    assert len(items) == 1
    assert items[0].url == reverse(
        "signoffs:answer", args=[open_team.alliance.slug, signoff_of(open_team).pk]
    )
    request = rf.get("/")  # My work is computed once per request
    request.user = other_exec
    assert not [i for i in my_work(request) if i.kind == "signoff_waiting"]
    services.signoff_answer(
        signoff=signoff_of(open_team),
        answer="approved",
        comment="",
        by=open_team.users["executive"],
    )
    request = rf.get("/")
    request.user = open_team.users["executive"]
    assert not [i for i in my_work(request) if i.kind == "signoff_waiting"]
