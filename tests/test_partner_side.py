"""The partner's side of a two-sided assessment: invitations by link, the partner's
questionnaire, the link's security, blind results and the perception gap."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.chart_svg import COMPACT_WIDTH, PAGE_WIDTH
from assessments.charts import perception_radar
from assessments.models import PartnerAnswer, PartnerInvitation
from assessments.partner import services as partner
from assessments.perception import compare_sides
from assessments.scoring import (
    AnswerInput,
    DimensionSpec,
    QuestionSpec,
    ResponseInput,
    VersionSpec,
    consolidate,
)
from banks.export import export_bank
from banks.parse import BankFormatError, parse_bank
from briefs.models import Brief
from decisions.rules import (
    DecisionInput,
    PerceptionGapSummary,
    SponsorSummary,
    Verdict,
    decide,
)
from decisions.selectors import alliance_decision
from tests.assessment_factories import (
    answer_all,
    give,
    make_bank_data,
    make_version,
    start,
    submit,
)
from tests.test_decision import assessment as summary

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/partner/([\w-]+)/")


# ---------------------------------------------------------------- pure parts


def _spec():
    return VersionSpec(
        dimensions=(DimensionSpec("Governance", 50), DimensionSpec("Trust", 50)),
        questions=(
            QuestionSpec("G1", "Decision rights are agreed.", "Governance"),
            QuestionSpec("G2", "Reviews are regular.", "Governance"),
            QuestionSpec("T1", "Information is shared.", "Trust"),
        ),
    )


def _side(name, levels):
    return consolidate(
        _spec(),
        [ResponseInput(name, tuple(AnswerInput(k, v * 25) for k, v in levels.items()))],
    )


def test_a_dimension_apart_by_more_than_the_threshold_is_a_gap_with_its_questions():
    ours = _side("us", {"G1": 3, "G2": 3, "T1": 3})
    theirs = _side("them", {"G1": 1, "G2": 2, "T1": 2})
    comparison = compare_sides(_spec(), ours, theirs, threshold=20)
    assert [(r.dimension, r.ours, r.theirs) for r in comparison.rows] == [
        ("Governance", 75, 37.5),
        ("Trust", 75, 50),
    ]
    assert [g.dimension for g in comparison.gaps] == ["Governance", "Trust"]  # largest first
    assert [q.key for q in comparison.gaps[0].questions] == ["G1", "G2"]  # most apart first
    # Exactly at the threshold is not a gap.
    assert [g.dimension for g in compare_sides(_spec(), ours, theirs, threshold=25).gaps] == [
        "Governance"
    ]


def test_the_radar_gives_each_side_its_score_and_marks_the_gaps():
    radar = perception_radar(
        [("Governance", 100, 0), ("Trust", 50, None), ("Operations", 0, 100)],
        ours_label="Us",
        theirs_label="Them",
        gap_dimensions=["Governance"],
    )
    first = radar.axes[0]
    assert (first.name, first.ours, first.theirs) == ("Governance", 100, 0)
    assert [a.is_gap for a in radar.axes] == [True, False, False]
    assert "Trust: Us 50, Them not answered" in radar.description


@pytest.mark.parametrize("axes", [1, 2, 3, 8])
def test_the_radar_draws_any_number_of_axes_with_every_name(axes):
    names = ["Commitment of resources", "Trust and communication", "Governance"] * 3
    template = Template(
        "{% load assessment_tags %}"
        '{% perception_radar_chart rows "Northwind Systems" "Cobalt Cloud" gaps "r" compact=True %}'
    )
    rows = [{"name": name, "ours": 80, "theirs": 40} for name in names[:axes]]
    svg = template.render(Context({"rows": rows, "gaps": [names[0]]}))
    assert f'viewBox="0 0 {COMPACT_WIDTH} ' in svg
    words = set(re.findall(r">([^<]+)</text>", svg))
    for name in names[:axes]:
        assert set(name.split()) <= {w for text in words for w in text.split()}, name
    assert {"Northwind Systems", "Cobalt Cloud"} <= words


def test_the_radar_partial_draws_the_pdf_variant_only_when_asked():
    template = Template(
        "{% load assessment_tags %}"
        '{% perception_radar_chart rows "Us" "Them" gaps "r" compact=compact %}'
    )
    # Four axes: the second one points right, where a long name breaks in the PDF.
    names = ["Governance", "Trust and communication", "Operations", "Strategic value"]
    rows = [{"name": name, "ours": 80, "theirs": 40} for name in names]
    page = template.render(Context({"rows": rows, "gaps": [], "compact": False}))
    pdf = template.render(Context({"rows": rows, "gaps": [], "compact": True}))
    assert f'viewBox="0 0 {PAGE_WIDTH} ' in page
    assert ">Trust and communication</text>" in page
    assert f'viewBox="0 0 {COMPACT_WIDTH} ' in pdf
    assert ">Trust and</text>" in pdf
    assert ">communication</text>" in pdf


def _go_input(*gaps):
    return DecisionInput(
        assessments=(summary("strategic_fit"), summary("partner_selection")),
        findings=(),
        sponsor=SponsorSummary(True, "Ada", "green", 90),
        perception_gaps=gaps,
    )


def test_a_perception_gap_is_a_condition_that_leaves_a_go_alone_unless_the_bank_says_so():
    gap = PerceptionGapSummary("Helios", "Governance", 75, 40, 20)
    decision = decide(_go_input(gap))
    assert decision.verdict == Verdict.GO
    assert [c.text for c in decision.conditions] == [
        "Agree with Helios how governance works: we score it 75, they score it 40."
    ]
    assert any(r.rule == "perception" and not r.decisive for r in decision.reasons)
    deciding = PerceptionGapSummary("Helios", "Governance", 75, 40, 20, decides=True)
    decision = decide(_go_input(deciding))
    assert decision.verdict == Verdict.GO_WITH_CONDITIONS
    assert decision.conditions[0].source == "perception"


def test_the_bank_file_carries_the_perception_gap_threshold():
    data = make_bank_data(kind="mutual_fit", slug="mutual")
    data.perception_gap, data.perception_gaps_decide = 30, True
    again = parse_bank(export_bank(data))
    assert (again.kind, again.perception_gap, again.perception_gaps_decide) == (
        "mutual_fit",
        30,
        True,
    )
    text = export_bank(data).replace("perception_gap: 30", "perception_gap: 130")
    with pytest.raises(BankFormatError, match="perception_gap"):
        parse_bank(text)


# ---------------------------------------------------------------- with the database


@pytest.fixture
def two_sided(open_team):
    version = make_version(slug="mutual-test", kind="mutual_fit")
    open_team.assessment = start(open_team, version, title="Both sides")
    return open_team


@pytest.fixture
def invite(two_sided, django_capture_on_commit_callbacks):
    """Invite a partner contact as the manager; (invitation, token read from the e-mail)."""

    def invite(name="Pat Partner", email="pat@partner.example", label="Project Lighthouse"):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            (invitation,) = partner.invitations_create(
                assessment=two_sided.assessment,
                invitees=[partner.InviteeData(name=name, email=email)],
                alliance_label=label,
                by=two_sided.users["manager"],
            )
        return invitation, LINK.search(mail.outbox[-1].body).group(1)

    return invite


def _fill(token):
    return reverse("partner:fill", args=[token])


def test_the_manager_confirms_an_invitation_and_the_link_is_emailed_and_stored_as_a_hash(
    client, confidential_team, django_capture_on_commit_callbacks
):
    team = confidential_team
    team.assessment = start(team, make_version(slug="mutual-c", kind="mutual_fit"))
    client.force_login(team.users["manager"])
    url = reverse("assessments:partner_invite", args=[team.alliance.slug, team.assessment.pk])
    form = {"alliance_label": "Lighthouse", "contacts": "Pat Partner <pat@p.example>"}
    page = client.post(url, form)
    assert page.status_code == 200
    assert b"confidential-warning" in page.content  # the partner learns it exists
    assert not PartnerInvitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**form, "confirmed": "True"})
    assert done.status_code == 302
    invitation = PartnerInvitation.objects.get()
    token = LINK.search(mail.outbox[-1].body).group(1)
    assert len(token) >= 22  # ≥ 128 bits in URL-safe base64
    assert mail.outbox[-1].to == ["pat@p.example"]
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64
    assert (invitation.expires_at - timezone.now()).days in (20, 21)
    detail = client.get(team.assessment.get_absolute_url()).content.decode()
    assert "Pat Partner" in detail
    assert 'data-state="sent"' in detail


def test_bad_invitations_are_refused_with_a_message_and_nothing_saved(client, two_sided):
    client.force_login(two_sided.users["manager"])
    url = reverse(
        "assessments:partner_invite", args=[two_sided.alliance.slug, two_sided.assessment.pk]
    )
    for form in (
        {"alliance_label": "L", "contacts": "Pat <not-an-address>", "confirmed": "True"},
        {"alliance_label": "L", "contacts": "Pat", "confirmed": "True"},
        {"alliance_label": "", "confirmed": "True"},
    ):
        page = client.post(url, form)
        assert page.status_code == 400
        assert b"invalid-feedback" in page.content or b'role="alert"' in page.content
    assert not PartnerInvitation.objects.exists()
    # An assessment that is not two-sided has no partner pages.
    plain = start(two_sided, make_version(slug="plain"), title="Ours only")
    url = reverse("assessments:partner_invite", args=[two_sided.alliance.slug, plain.pk])
    assert client.get(url).status_code == 404


def test_the_partner_answers_without_javascript_submits_and_sees_a_thank_you(client, invite):
    invitation, token = invite()
    page = client.get(_fill(token))
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]
    assert "Project Lighthouse" in page.content.decode()
    questions = page.context["questions"]
    data = {"d": "1", "go": "next"}
    for q in questions:
        data[f"q{q.pk}-level"] = str(q.choice_list[1].pk)
    assert client.post(_fill(token), data).status_code == 302
    assert client.post(reverse("partner:submit", args=[token])).status_code == 400  # missing
    page = client.get(_fill(token) + "?d=2")
    data = {"d": "2", "go": "submit"}
    for q in page.context["questions"]:
        data[f"q{q.pk}-level"] = "dk"
    client.post(_fill(token), data)
    assert client.post(reverse("partner:submit", args=[token])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.is_submitted
    assert invitation.opened_at
    assert invitation.answered_at
    thanks = client.get(_fill(token))
    assert b"Thank you" in thanks.content
    # Submitted answers no longer change.
    q = questions[0]
    answer = reverse("partner:answer", args=[token, q.pk])
    assert client.post(answer, {f"q{q.pk}-level": "na"}).status_code == 400


def test_bad_answers_on_the_partner_page_are_a_400_and_nothing_is_saved(client, invite):
    _, token = invite()
    q = client.get(_fill(token)).context["questions"][0]
    answer = reverse("partner:answer", args=[token, q.pk])
    assert client.post(answer, {f"q{q.pk}-level": "999999"}).status_code == 400
    assert client.post(answer, {f"q{q.pk}-comment": "x" * 5000}).status_code == 400
    assert client.get(_fill(token) + "?d=abc").status_code == 400
    assert client.get(_fill(token) + "?d=99").status_code == 404
    assert not PartnerAnswer.objects.exists()


def test_one_link_cannot_read_or_write_another_invitations_answers(client, two_sided, invite):
    first, first_token = invite()
    second, second_token = invite(name="Sam Second", email="sam@partner.example")
    q = client.get(_fill(first_token)).context["questions"][0]
    top = q.choice_list[-1].pk
    answer = reverse("partner:answer", args=[first_token, q.pk])
    assert (
        client.post(answer, {f"q{q.pk}-level": top, f"q{q.pk}-comment": "first-secret"})
    ).status_code == 200
    other = client.get(_fill(second_token)).content.decode()
    assert "first-secret" not in other
    assert f'value="{top}" checked' not in other
    client.post(reverse("partner:answer", args=[second_token, q.pk]), {f"q{q.pk}-level": "dk"})
    assert PartnerAnswer.objects.get(invitation=first).choice_id == top
    assert PartnerAnswer.objects.get(invitation=second).is_dont_know
    # A question of another bank version is not part of the link's questionnaire.
    foreign = start(two_sided, make_version(slug="foreign"), title="Other")
    foreign_q = foreign.version.dimensions.first().questions.first()
    url = reverse("partner:answer", args=[first_token, foreign_q.pk])
    assert client.post(url, {f"q{foreign_q.pk}-level": "dk"}).status_code == 404


def test_revoked_expired_and_replaced_links_say_so_and_guessing_is_throttled(
    client, two_sided, invite, settings, django_capture_on_commit_callbacks
):
    invitation, token = invite()
    manager = two_sided.users["manager"]
    partner.invitation_revoke(invitation=invitation, by=manager)
    closed = client.get(_fill(token))
    assert closed.status_code == 410
    assert b"withdrawn" in closed.content
    assert closed["Referrer-Policy"] == "no-referrer"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partner.invitation_resend(invitation=invitation, by=manager)
    assert client.get(_fill(token)).status_code == 404  # the old link is gone
    new_token = LINK.search(mail.outbox[-1].body).group(1)
    assert client.get(_fill(new_token)).status_code == 200
    PartnerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert b"expired" in client.get(_fill(new_token)).content
    # The replaced link above was one failed look-up already: two more guesses reach 3.
    settings.PARTNER_LINK_FAILURE_LIMIT = 3
    for n in range(2):
        assert client.get(_fill(f"guess-{n}")).status_code == 404
    assert client.get(_fill("guess-last")).status_code == 429
    # A right link still opens from a throttled address (here: says it expired).
    PartnerInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=7)
    )
    assert client.get(_fill(new_token)).status_code == 200
    assert client.get(_fill("guess-after")).status_code == 429


def _answer_partner_side(token, level, client, comment=""):
    page = client.get(_fill(token))
    for position in range(1, len(page.context["dimensions"]) + 1):
        page = client.get(_fill(token) + f"?d={position}")
        data = {"d": str(position), "go": "stay"}
        for q in page.context["questions"]:
            data[f"q{q.pk}-level"] = str(q.choice_list[level].pk)
            data[f"q{q.pk}-comment"] = comment
        client.post(_fill(token), data)
    assert client.post(reverse("partner:submit", args=[token])).status_code == 302


def test_results_stay_blind_until_both_sides_submit_then_show_the_gap_and_the_condition(
    client, two_sided, invite
):
    team = two_sided
    _, token = invite()
    _answer_partner_side(token, 1, client, comment="partner-view-7d1e")
    client.force_login(team.users["contributor"])
    results = reverse("assessments:results", args=[team.alliance.slug, team.assessment.pk])
    page = client.get(results).content.decode()
    assert 'id="perception-blind"' in page  # our side has not submitted
    assert "perception-radar" not in page
    for response in team.assessment.responses.all():
        answer_all(response, 3)
        submit(response)
    page = client.get(results).content.decode()
    assert "perception-radar" in page
    assert 'data-side="theirs"' in page
    assert "partner-view-7d1e" not in page  # the partner's comments are not read back
    team.assessment.refresh_from_db()
    conditions = [c.text for c in alliance_decision(team.alliance).conditions]
    partner_name = team.alliance.partner.name
    assert (
        f"Agree with {partner_name} how dimension 1 works: we score it 75, they score it 25."
        in conditions
    )
    # The brief (real WeasyPrint, read back with pypdf) shows the chart and the gaps.
    call_command("render_brief", team.alliance.slug, stdout=io.StringIO())
    brief = Brief.objects.get(alliance=team.alliance)
    with default_storage.open(brief.pdf.name, "rb") as stored:
        pages = [" ".join(p.extract_text().split()) for p in PdfReader(stored).pages]
    text = " ".join(pages)
    assert "Perception gap ·" in text
    assert f"Dimension 1: we score it 75, {partner_name} scores it 25 (50 points apart)." in text
    assert f"Agree with {partner_name} how dimension 1 works" in pages[0]
    assert "partner-view-7d1e" not in text


def test_the_partner_page_shows_nothing_of_our_side_and_escapes_what_it_prints(
    client, two_sided, invite
):
    team = two_sided
    response = team.assessment.responses.get(assessor=team.users["manager"])
    answer_all(response, 4)
    give(response, "A2", 4, comment="our-secret-comment-31c")
    payload = '<img src=x onerror="alert(1)">'
    _, token = invite(name=f"Pat {payload}", label=f"Lighthouse {payload}")
    q = client.get(_fill(token)).context["questions"][0]
    client.post(
        reverse("partner:answer", args=[token, q.pk]),
        {f"q{q.pk}-level": "dk", f"q{q.pk}-comment": payload},
    )
    for url in (_fill(token), _fill(token) + "?d=2", reverse("partner:submit", args=[token])):
        html = client.get(url).content.decode()
        assert payload not in html
        assert "our-secret-comment-31c" not in html
        assert 'Fully evidenced (A2)" checked' not in html
    client.force_login(team.users["manager"])
    detail = client.get(team.assessment.get_absolute_url()).content.decode()
    assert payload not in detail
    assert "Pat &lt;img" in detail


def test_inviting_another_contact_keeps_the_perception_condition_until_they_submit(
    client, two_sided, invite
):
    """The gap of the contact who answered stays a condition while a new contact answers
    (the sign-off asked on it still names it)."""
    team = two_sided
    _, token = invite()
    _answer_partner_side(token, 1, client)
    for response in team.assessment.responses.all():
        answer_all(response, 3)
        submit(response)
    gap = f"Agree with {team.alliance.partner.name} how dimension 1 works"

    def perception_conditions():
        conditions = alliance_decision(team.alliance).conditions
        return [c.text for c in conditions if c.source == "perception"]

    before = perception_conditions()
    assert any(gap in text for text in before)
    invite(name="Sam Second", email="sam@partner.example")
    assert perception_conditions() == before
