"""An executive signs exactly what the page shows: the verdict, every condition with its
owner and status, the scores with their dates, and a way to the brief of that evidence;
the answer records it. A request whose evidence changed before everyone answered leaves
the executives' work with a notification saying why, and the managers are asked again."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments import services as assessment_services
from briefs.models import Brief
from home.my_work import my_work
from notifications.models import Kind, Notification
from signoffs import services
from signoffs.models import SignOff
from tests.test_conditions import with_condition
from tests.test_signoff import ask, signoff_of

pytestmark = pytest.mark.django_db


def answer_url(team) -> str:
    return reverse("signoffs:answer", args=[team.alliance.slug, signoff_of(team).pk])


def test_the_sign_off_page_shows_every_condition_the_scores_dates_and_the_brief(client, open_team):
    finding = with_condition(open_team)
    ask(open_team)
    client.force_login(open_team.users["executive"])
    page = client.get(answer_url(open_team)).content.decode()
    conditions = page.split('id="signed-conditions"')[1].split("</table>")[0]
    assert "Sign the mutual NDA" in conditions
    contributor = open_team.users["contributor"]
    assert (contributor.get_full_name() or contributor.username) in conditions
    assert date_format(finding.due_date, "DATE_FORMAT") in conditions
    assert ">open<" in conditions
    scores = page.split('id="signed-scores"')[1].split("</ul>")[0]
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    assert scores.count(f"submitted {today}") == 2
    # The brief of the same evidence, one click away.
    assert f'action="{reverse("briefs:prepare", args=[open_team.alliance.slug])}"' in page
    response = client.post(reverse("briefs:prepare", args=[open_team.alliance.slug]))
    brief = Brief.objects.get(alliance=open_team.alliance)
    assert response.url == brief.get_absolute_url()


def test_the_answer_records_the_evidence_and_the_conditions_it_was_given_on(client, open_team):
    with_condition(open_team)
    request = ask(open_team)
    client.force_login(open_team.users["executive"])
    client.post(answer_url(open_team), {"answer": "approved", "comment": ""})
    signed = signoff_of(open_team)
    assert signed.answer == SignOff.Answer.APPROVED
    assert signed.evidence_sha256 == request.evidence_sha256
    assert signed.shown["verdict"] == request.verdict
    texts = [c["text"] for c in signed.shown["conditions"]]
    assert any("Sign the mutual NDA" in text for text in texts)
    assert signed.shown["conditions"][0]["owner"]
    assert signed.shown["scores"][0]["submitted"] == timezone.localdate().isoformat()


def test_a_request_whose_evidence_changed_leaves_my_work_and_says_why(rf, client, open_team):
    finding = with_condition(open_team)
    request = ask(open_team)
    executive = open_team.users["executive"]
    web = rf.get("/")
    web.user = executive
    assert [i for i in my_work(web) if i.kind == "signoff_waiting"]
    # The manager reopens their answers: the evidence changes, and the decision is rechecked.
    response = finding.assessment.responses.get(assessor=open_team.users["manager"])
    assessment_services.response_reopen(response=response, by=open_team.users["manager"])
    request.refresh_from_db()
    assert request.withdrawn_at is not None
    web = rf.get("/")
    web.user = executive
    assert not [i for i in my_work(web) if i.kind == "signoff_waiting"]
    told = Notification.objects.get(recipient=executive, kind=Kind.SIGNOFF_WITHDRAWN)
    assert "the evidence changed" in told.title
    assert "withdrawn so nobody signs what no longer holds" in told.body
    asked_again = Notification.objects.get(
        recipient=open_team.users["manager"], kind=Kind.SIGNOFF_WITHDRAWN
    )
    assert "ask for sign-off again" in asked_again.title
    assert asked_again.url == reverse("signoffs:request", args=[open_team.alliance.slug])
    client.force_login(executive)
    page = client.get(answer_url(open_team)).content.decode()
    assert "This request was withdrawn on" in page
    assert 'name="answer"' not in page
    # Told once: another change does not tell them again.
    assert services.signoff_withdraw_if_stale(alliance=open_team.alliance) is False
    assert Notification.objects.filter(kind=Kind.SIGNOFF_WITHDRAWN).count() == 2


def test_the_daily_job_withdraws_what_changed_without_a_recheck(open_team):
    finding = with_condition(open_team)
    request = ask(open_team)
    finding.__class__.objects.filter(pk=finding.pk).update(mitigation="Another plan")
    assert services.signoffs_daily(timezone.localdate()) == 1
    request.refresh_from_db()
    assert request.withdrawn_at is not None
    assert services.signoffs_daily(timezone.localdate()) == 0


def test_naming_another_owner_for_a_condition_is_new_evidence_its_progress_is_not(open_team):
    from decisions.models import TrackedCondition
    from decisions.services import tracked_condition_update
    from signoffs.selectors import signoff_state

    with_condition(open_team)
    ask(open_team)
    condition = TrackedCondition.objects.get(alliance=open_team.alliance, key="sponsor:none")
    manager = open_team.users["manager"]
    change = {"condition": condition, "by": manager, "due_date": None, "note": ""}
    tracked_condition_update(**change, owner=None, status="in_progress")
    assert not signoff_state(open_team.alliance).stale
    tracked_condition_update(**change, owner=open_team.users["contributor"], status="in_progress")
    assert signoff_state(open_team.alliance).stale
    assert signoff_state(open_team.alliance).request.withdrawn_at is not None
