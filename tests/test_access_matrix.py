"""Every URL of the project, for every kind of user, on an open and a confidential alliance.

A URL pattern without an entry in MATRIX fails `test_every_url_pattern_is_in_the_matrix`,
so each new page must say here who may use it.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alliances.access import ROLE_ACTIONS, Action
from alliances.models import Invitation
from banks.services import version_new_draft
from briefs.models import Brief
from calendars.services import feed_create
from decisions.models import TrackedCondition
from evidence.services import evidence_file_attach
from meetings.models import ActionItem, Meeting
from notifications.models import Kind
from notifications.services import notify
from signoffs.evidence import evidence_sha256
from signoffs.models import SignOff, SignOffRequest
from sponsors.models import Signal, SponsorChangeProposal
from tests.assessment_factories import (
    answer_all,
    bank_editor,
    give,
    invite_partner,
    make_version,
    question,
    start,
    submit,
)
from tests.conftest import ROLES, Team, make_team
from tests.sponsor_factories import (
    PartnerSponsorshipFactory,
    PeerLinkFactory,
    SignalFactory,
    SponsorshipFactory,
)
from webhooks.models import Delivery, Endpoint
from webhooks.signing import new_secret

pytestmark = pytest.mark.django_db

REGISTRARS = {"outsider", "manager", "superuser"}  # members of "Alliance managers"
OUR_AGENDA = "agenda-board-seat-7f3a"
OUR_NOTES = "notes-prefers-fridays-91b2"
OUR_MOTIVE = "motive-bonus-target-c55d"
PARTNER_AGENDA = "agenda-series-c-round-e08d"


@dataclass(frozen=True)
class Entry:
    """How to call one URL and what each user should get."""

    kwargs: Callable[[Team], dict] = lambda team: {}
    method: str = "get"
    data: Callable[[Team], dict] = lambda team: {}
    expect: Callable[[str, bool], int] = lambda role, confidential: 200
    prepare: Callable[[Team], None] = lambda team: None


def logged_in(ok: int = 200) -> Callable[[str, bool], int]:
    return lambda role, confidential: 302 if role == "anonymous" else ok


def registrar(ok: int = 200) -> Callable[[str, bool], int]:
    def expect(role, confidential):
        if role == "anonymous":
            return 302
        return ok if role in REGISTRARS else 403

    return expect


def partner_managers(ok: int = 200) -> Callable[[str, bool], int]:
    """Editing a partner: its alliance's managers and superusers; to an outsider the
    partner of a confidential alliance does not exist."""
    visible = organisation(registrars_only=True)

    def expect(role, confidential):
        status = visible(role, confidential)
        if status != ok:
            return status
        return ok if role in ("manager", "superuser") else 403

    return expect


def alliance_action(action: Action, ok: int = 200) -> Callable[[str, bool], int]:
    """The rule of alliances/access.py, spelled out independently of its code."""

    def expect(role, confidential):
        if role == "anonymous":
            return 302
        if role == "superuser":
            return ok
        if role == "outsider":
            if confidential:
                return 404
            return ok if action == Action.VIEW else 403
        return ok if action in ROLE_ACTIONS[role] else 403

    return expect


def organisation(ok: int = 200, *, registrars_only: bool = False):
    """A partner organisation exists for a user who may see one of its alliances: the
    team's partner is in the team's alliance only, so outside a confidential team it is
    a 404, like the alliance."""

    def expect(role, confidential):
        if role == "anonymous":
            return 302
        if registrars_only and role not in REGISTRARS:
            return 403
        if role == "outsider" and confidential:
            return 404
        return ok

    return expect


slug = lambda team: {"slug": team.alliance.slug}  # noqa: E731


def member(role):
    return lambda team: {"slug": team.alliance.slug, "pk": team.member(role).pk}


def kpi(team):
    return {"slug": team.alliance.slug, "pk": team.alliance.kpis.get().pk}


def partner(team):
    return {"pk": team.alliance.partner_id}


def assessment_ready(team):
    """A published bank, an assessment with the manager and contributor as assessors, and a
    knock-out finding opened by the contributor."""
    version = make_version(slug=f"bank-{team.alliance.slug}")
    team.assessment = start(team, version)
    team.response = team.assessment.responses.get(assessor=team.users["manager"])
    give(team.assessment.responses.get(assessor=team.users["contributor"]), "A1", 0)
    team.question = question(version, "A2")


def two_sided_ready(team):
    """A two-sided (mutual fit) assessment with one partner contact invited; the test knows
    the link's token (only its hash is stored)."""
    version = make_version(slug=f"mutual-{team.alliance.slug}", kind="mutual_fit")
    team.two_sided = start(team, version, title="Both sides")
    team.partner_token = f"matrix-link-{team.alliance.slug}-0123456789abcdefghij"
    team.invitation = invite_partner(
        team.two_sided,
        by=team.users["manager"],
        token=team.partner_token,
        email=f"pat@{team.alliance.slug}.example",
    )
    team.partner_question = question(version, "A2")


def two_sided_shared(team):
    """As two_sided_ready, then the contact and our side submitted and the gap by
    dimension shared: the joint view exists."""
    from assessments.partner.services import partner_answer_save, partner_submit
    from assessments.services import AnswerValue
    from banks.models import Question

    two_sided_ready(team)
    version = team.two_sided.version
    for q in Question.objects.filter(dimension__version=version, kind="scale"):
        value = AnswerValue(choice=q.choices.get(score=50))
        partner_answer_save(invitation=team.invitation, question=q, value=value)
    partner_submit(invitation=team.invitation)
    for response in team.two_sided.responses.all():
        answer_all(response, 3)
        submit(response)
    team.two_sided.partner_share = "dimensions"
    team.two_sided.save(update_fields=["partner_share"])


def two_sided(team):
    return {"slug": team.alliance.slug, "pk": team.two_sided.pk}


def invitation(team):
    return {**two_sided(team), "iid": team.invitation.pk}


def partner_link(team):
    return {"token": team.partner_token}


def partner_answer(team):
    return {"token": team.partner_token, "qid": team.partner_question.pk}


def partner_answer_data(team):
    q = team.partner_question
    return {f"q{q.pk}-level": q.choices.get(score=50).pk}


def anyone_with_the_link(role, confidential):
    """The link is the credential: whoever holds it, signed in or not, reaches its pages."""
    return 200


def with_brief(status):
    """A brief of the alliance in `status`, with a stored PDF when ready."""

    def prepare(team):
        brief = Brief.objects.create(
            alliance=team.alliance,
            snapshot={"decision": {"verdict": "NO-GO", "css": "no-go"}},
            snapshot_sha256="0" * 64,
            status=status,
        )
        if status == Brief.Status.READY:
            brief.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"))
        team.brief = brief

    return prepare


def portfolio_readers(ok: int = 200) -> Callable[[str, bool], int]:
    """The portfolio: alliance managers (by group or team role) and executives."""

    def expect(role, confidential):
        if role == "anonymous":
            return 302
        return ok if role in ("outsider", "manager", "executive", "superuser") else 403

    return expect


def brief(team):
    return {"slug": team.alliance.slug, "pk": team.brief.pk}


def assessment(team):
    return {"slug": team.alliance.slug, "pk": team.assessment.pk}


def own_response(team):
    return {**assessment(team), "rid": team.response.pk}


def finding(team):
    return {**assessment(team), "fid": team.assessment.findings.get().pk}


def answer(team):
    return {**own_response(team), "qid": team.question.pk}


def answer_data(team):
    return {f"q{team.question.pk}-level": team.question.choices.get(score=50).pk}


def own_response_only(ok: int = 200) -> Callable[[str, bool], int]:
    """The manager's own response: those who may answer but are not its assessor (the
    contributor, a superuser) get a 404; those who may not answer at all a 403."""

    def expect(role, confidential):
        if role == "anonymous":
            return 302
        if role == "manager":
            return ok
        if role in ("contributor", "superuser") or (role == "outsider" and confidential):
            return 404
        return 403

    return expect


def with_notification(team):
    """A notification of the alliance for its manager."""
    (team.notification,) = notify(
        Kind.DECISION_CHANGED,
        alliance=team.alliance,
        recipients=[team.users["manager"]],
        title=f"{team.alliance.name}: the decision is now NO-GO",
        url=team.alliance.get_absolute_url(),
    )


def notification(team):
    return {"pk": team.notification.pk}


def recipient_only(ok: int = 200) -> Callable[[str, bool], int]:
    """Someone's notification exists for them alone: anyone else gets a 404."""
    return lambda role, confidential: {"anonymous": 302, "manager": ok}.get(role, 404)


def archive(team):
    team.alliance.is_archived = True
    team.alliance.save()


def with_sponsors(team):
    """Our executive sponsor (the team's executive, with a personal agenda), the
    partner's, a signal recorded by the contributor and a peer link."""
    ours = SponsorshipFactory(
        alliance=team.alliance,
        sponsor__user=team.users["executive"],
        personal_agenda=OUR_AGENDA,
        notes=OUR_NOTES,
        motive_personal=OUR_MOTIVE,
    )
    theirs = PartnerSponsorshipFactory(alliance=team.alliance, personal_agenda=PARTNER_AGENDA)
    SignalFactory(sponsorship=ours, recorded_by=team.users["contributor"])
    PeerLinkFactory(alliance=team.alliance, ours=ours.sponsor, theirs=theirs.sponsor)


def sponsorship(team):
    return {"slug": team.alliance.slug, "pk": team.alliance.sponsorships.get(side="ours").pk}


def signal(team):
    return {
        "slug": team.alliance.slug,
        "pk": Signal.objects.get(sponsorship__alliance=team.alliance).pk,
    }


def peer(team):
    return {"slug": team.alliance.slug, "pk": team.alliance.peer_links.get().pk}


def partner_sponsor(team):
    return {"pk": team.alliance.sponsorships.get(side="partner").sponsor_id}


def invitation_token(team):
    return {"token": f"matrix-invitation-{team.alliance.slug}"}


def with_invitation(team):
    Invitation.objects.create(
        alliance=team.alliance,
        email=f"invitee-{team.alliance.slug}@example.com",
        role="viewer",
        token_sha256=hashlib.sha256(invitation_token(team)["token"].encode()).hexdigest(),
        invited_by=team.users["manager"],
        expires_at=timezone.now() + timedelta(days=7),
    )


def people_search(team):
    return {"alliance": team.alliance.slug, "for": "member", "q": "ma"}


def with_condition(team):
    """assessment_ready, with its finding classified manageable and owned by the
    contributor."""
    assessment_ready(team)
    team.assessment.findings.update(
        classification="manageable",
        mitigation="Agree the terms",
        owner_user=team.users["contributor"],
        due_date=date(2030, 1, 1),
    )


def superusers_and_bank_admins(ok: int = 200) -> Callable[[str, bool], int]:
    """The bank pages: bank admins (not a role of the matrix) and superusers."""
    return lambda role, confidential: (
        302 if role == "anonymous" else (ok if role == "superuser" else 403)
    )


def with_bank(team):
    team.version = make_version(slug=f"edited-bank-{team.alliance.slug}")


def with_bank_draft(team):
    with_bank(team)
    team.draft = version_new_draft(version=team.version, by=bank_editor())


def with_evidence_file(team):
    """assessment_ready, with a PDF attached to its finding by the manager."""
    assessment_ready(team)
    attach_evidence_file(team)


def attach_evidence_file(team):
    team.evidence_file = evidence_file_attach(
        alliance=team.alliance,
        target=team.assessment.findings.get(),
        upload=SimpleUploadedFile("nda.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=team.users["manager"],
    )


def finding_files(team):
    return {"slug": team.alliance.slug, "kind": "finding", "pk": team.assessment.findings.get().pk}


def evidence_file(team):
    return {"slug": team.alliance.slug, "pk": team.evidence_file.pk}


def with_proposal(team):
    """with_sponsors, and a change proposed to the partner's sponsor."""
    with_sponsors(team)
    propose_change(team)


def propose_change(team):
    sponsor = team.alliance.sponsorships.get(side="partner").sponsor
    team.proposal = SponsorChangeProposal.objects.create(
        sponsor=sponsor, name=sponsor.name, title="CTO", seniority=sponsor.seniority
    )


def with_tracked_condition(team):
    """A condition of the decision no finding carries, owned by the contributor."""
    team.tracked = TrackedCondition.objects.create(
        alliance=team.alliance,
        key="sponsor:none",
        source="sponsor",
        text="Name an active executive sponsor on our side before committing.",
        owner=team.users["contributor"],
    )


def tracked_condition(team):
    return {"slug": team.alliance.slug, "pk": team.tracked.pk}


def condition_owner_or_managers(role, confidential):
    if role == "anonymous":
        return 302
    if role in ("manager", "superuser", "contributor"):
        return 200
    return 404 if role == "outsider" and confidential else 403


def with_signoff_request(team):
    """A sign-off request to the team's executive."""
    request = SignOffRequest.objects.create(
        alliance=team.alliance,
        requested_by=team.users["manager"],
        evidence_sha256=evidence_sha256(team.alliance),
        verdict="INCOMPLETE",
        rationale="INCOMPLETE: still missing everything.",
    )
    team.signoff = SignOff.objects.create(request=request, executive=team.users["executive"])


def signoff(team):
    return {"slug": team.alliance.slug, "pk": team.signoff.pk}


def only_the_executive_asked(role, confidential):
    if role == "anonymous":
        return 302
    if role == "executive":
        return 200
    return 404 if role == "outsider" and confidential else 403


def api(detail: bool = True) -> Callable[[str, bool], int]:
    """The API: a 401 without a token or session (no log-in redirect), then the pages'
    rule for reading; a list leaves out what the reader may not see (tests/test_api.py)."""

    def expect(role, confidential):
        if role == "anonymous":
            return 401
        if detail and role == "outsider" and confidential:
            return 404
        return 200

    return expect


def with_manager_token(team):
    from api.services import token_create

    team.token = token_create(by=team.users["manager"], name="matrix").token


def own_token_only(role, confidential):
    """A token is its owner's (the manager's): to other registrars it does not exist."""
    if role == "anonymous":
        return 302
    if role == "manager":
        return 200
    return 404 if role in REGISTRARS else 403


def sponsored_assessment(team):
    with_sponsors(team)
    assessment_ready(team)
    with_brief("ready")(team)


# ---------------------------------------------------------------- the alliance's rhythm (issue 28)


def with_meeting(team):
    """A QBR held yesterday, with an action owned by the contributor."""
    starts_at = timezone.now() - timedelta(days=1)
    team.meeting = Meeting.objects.create(
        alliance=team.alliance,
        kind=Meeting.Kind.QBR,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        created_by=team.users["manager"],
    )
    team.action = ActionItem.objects.create(
        meeting=team.meeting,
        description="Send the deck",
        owner=team.users["contributor"],
        due_date=timezone.localdate(),
    )


def meeting(team):
    return {"slug": team.alliance.slug, "pk": team.meeting.pk}


def meeting_action(team):
    return {**meeting(team), "action": team.action.pk}


def with_calendar_feeds(team):
    """A calendar feed for everyone of the team; the test knows the addresses (shown once)."""
    team.feed_tokens = {role: feed_create(by=user).token for role, user in team.users.items()}


def calendar_feed(team):
    return {"token": team.feed_tokens["manager"]}


def calendar_alliance_feed(team):
    return {**calendar_feed(team), "slug": team.alliance.slug}


def superusers_only(ok: int = 200) -> Callable[[str, bool], int]:
    """The webhook pages: superusers; everyone else signed in gets a 403."""
    return lambda role, confidential: (
        302 if role == "anonymous" else (ok if role == "superuser" else 403)
    )


def with_webhook(team):
    """A webhook endpoint listing the team's alliance, with one delivery in its log."""
    team.endpoint = Endpoint.objects.create(
        url=f"https://hooks.example.com/{team.alliance.slug}",
        events=["decision.changed"],
        scope=Endpoint.Scope.LISTED,
        secret=new_secret(),
    )
    team.endpoint.alliances.set([team.alliance])
    team.delivery = Delivery.objects.create(
        endpoint=team.endpoint,
        event_type="decision.changed",
        webhook_id=f"msg_matrix_{team.alliance.slug}",
        payload={"type": "decision.changed", "data": {"alliance_id": team.alliance.pk}},
    )


def endpoint(team):
    return {"pk": team.endpoint.pk}


def api_kpi(team):
    return {"pk": team.alliance.kpis.get().pk}


MATRIX: dict[str, Entry] = {
    "meetings:list": Entry(kwargs=slug, expect=alliance_action(Action.VIEW)),
    "meetings:plan": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "meetings:detail": Entry(
        kwargs=meeting, prepare=with_meeting, expect=alliance_action(Action.VIEW)
    ),
    "meetings:edit": Entry(
        kwargs=meeting, prepare=with_meeting, expect=alliance_action(Action.EDIT)
    ),
    "meetings:minutes": Entry(
        kwargs=meeting, prepare=with_meeting, expect=alliance_action(Action.EDIT)
    ),
    "meetings:delete": Entry(
        kwargs=meeting, prepare=with_meeting, expect=alliance_action(Action.EDIT)
    ),
    "meetings:action_done": Entry(
        kwargs=meeting_action, prepare=with_meeting, expect=condition_owner_or_managers
    ),
    "calendars:settings": Entry(expect=logged_in()),
    "calendars:rotate": Entry(prepare=with_calendar_feeds, expect=logged_in()),
    "calendars:revoke": Entry(prepare=with_calendar_feeds, expect=logged_in()),
    "calendars:feed": Entry(
        kwargs=calendar_feed, prepare=with_calendar_feeds, expect=anyone_with_the_link
    ),
    "calendars:alliance_feed": Entry(
        kwargs=calendar_alliance_feed, prepare=with_calendar_feeds, expect=anyone_with_the_link
    ),
    "webhooks:list": Entry(expect=superusers_only()),
    "webhooks:create": Entry(expect=superusers_only()),
    "webhooks:detail": Entry(kwargs=endpoint, prepare=with_webhook, expect=superusers_only()),
    "webhooks:edit": Entry(kwargs=endpoint, prepare=with_webhook, expect=superusers_only()),
    "webhooks:rotate": Entry(
        kwargs=endpoint, method="post", prepare=with_webhook, expect=superusers_only(302)
    ),
    "webhooks:delete": Entry(
        kwargs=endpoint, method="post", prepare=with_webhook, expect=superusers_only(302)
    ),
    "webhooks:replay": Entry(
        kwargs=lambda team: {"pk": team.delivery.pk},
        method="post",
        prepare=with_webhook,
        expect=superusers_only(302),
    ),
    "alliances:kpi_history": Entry(kwargs=kpi, expect=alliance_action(Action.VIEW)),
    "alliances:kpi_actuals_upload": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "alliances:kpi_actuals_template": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "api:kpi-list": Entry(expect=api(detail=False)),
    "api:kpi-detail": Entry(kwargs=api_kpi, expect=api()),
    "api:kpi-actuals": Entry(kwargs=api_kpi, expect=api()),
    "login": Entry(expect=lambda role, c: 302 if role != "anonymous" else 200),
    "logout": Entry(method="post", expect=lambda role, c: 302),
    "password_change": Entry(expect=logged_in()),
    "password_change_done": Entry(expect=logged_in()),
    # Password reset answers anyone: it tells nothing of an account (tests/test_password_reset.py).
    "password_reset": Entry(expect=lambda role, c: 200),
    # Single sign-on is off in the suite (no OIDC_ISSUER): both pages do not exist.
    "sso_login": Entry(expect=lambda role, c: 404),
    "sso_callback": Entry(expect=lambda role, c: 404),
    "password_reset_done": Entry(expect=lambda role, c: 200),
    "password_reset_confirm": Entry(
        kwargs=lambda team: {"uidb64": "MQ", "token": "no-such-token"},
        expect=lambda role, c: 200,
    ),
    "password_reset_complete": Entry(expect=lambda role, c: 200),
    # Two-factor pages (tests/test_two_factor.py walks them through); force_login has
    # passed the second step, and only the superuser must have an authenticator.
    "accounts:manage": Entry(expect=logged_in()),
    "accounts:setup": Entry(
        expect=lambda role, c: 302 if role in ("anonymous", "superuser") else 200
    ),
    "accounts:verify": Entry(expect=lambda role, c: 302),
    "accounts:recovery_codes": Entry(expect=lambda role, c: 302),
    "accounts:regenerate_recovery_codes": Entry(method="post", expect=lambda role, c: 302),
    "healthz": Entry(expect=lambda role, c: 200),
    # An old bank admin link, sent on to the admin (which checks who may see what).
    "banks:list": Entry(expect=superusers_and_bank_admins()),
    "banks:version": Entry(
        kwargs=lambda team: {"pk": team.version.pk},
        prepare=with_bank,
        expect=superusers_and_bank_admins(),
    ),
    "banks:download": Entry(
        kwargs=lambda team: {"pk": team.version.pk, "fmt": "yaml"},
        prepare=with_bank,
        expect=superusers_and_bank_admins(),
    ),
    "banks:new_draft": Entry(
        kwargs=lambda team: {"pk": team.version.pk},
        method="post",
        prepare=with_bank,
        expect=superusers_and_bank_admins(302),
    ),
    "banks:publish": Entry(
        kwargs=lambda team: {"pk": team.draft.pk},
        prepare=with_bank_draft,
        expect=superusers_and_bank_admins(),
    ),
    "banks:question_edit": Entry(
        kwargs=lambda team: {"pk": question(team.draft, "A2").pk},
        prepare=with_bank_draft,
        expect=superusers_and_bank_admins(),
    ),
    "assessments:response_copy": Entry(
        kwargs=own_response, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:response_pdf": Entry(
        kwargs=own_response, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "partner:copy": Entry(
        kwargs=partner_link, prepare=two_sided_ready, expect=anyone_with_the_link
    ),
    "partner:copy_pdf": Entry(
        kwargs=partner_link, prepare=two_sided_ready, expect=anyone_with_the_link
    ),
    "partner:joint_pdf": Entry(
        kwargs=partner_link, prepare=two_sided_shared, expect=anyone_with_the_link
    ),
    "assessments:partner_joint_pdf": Entry(
        kwargs=two_sided, prepare=two_sided_shared, expect=alliance_action(Action.VIEW)
    ),
    "bank_admin_moved": Entry(
        kwargs=lambda team: {"model": "bankversion", "rest": ""}, expect=lambda role, c: 302
    ),
    # The language chooser of the user menu (tests/test_i18n.py walks it through).
    "set_language": Entry(
        method="post", data=lambda team: {"language": "en-gb", "next": "/"}, expect=logged_in(302)
    ),
    "dashboard": Entry(expect=logged_in()),
    "alliances:list": Entry(expect=logged_in()),
    "alliances:create": Entry(expect=registrar()),
    "alliances:detail": Entry(kwargs=slug, expect=alliance_action(Action.VIEW)),
    "alliances:edit": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "alliances:archive": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "alliances:restore": Entry(
        kwargs=slug, method="post", prepare=archive, expect=alliance_action(Action.RESTORE, 302)
    ),
    "alliances:team": Entry(kwargs=slug, expect=alliance_action(Action.VIEW)),
    "alliances:member_role": Entry(
        kwargs=member("viewer"),
        method="post",
        data=lambda team: {"role": "contributor"},
        expect=alliance_action(Action.MANAGE_TEAM, 302),
    ),
    "alliances:member_remove": Entry(
        kwargs=member("viewer"), expect=alliance_action(Action.MANAGE_TEAM)
    ),
    "alliances:invite": Entry(kwargs=slug, expect=alliance_action(Action.MANAGE_TEAM)),
    # The link itself is the credential: no login, the same page for everyone.
    "alliances:invitation": Entry(
        kwargs=invitation_token,
        prepare=with_invitation,
        expect=lambda role, c: 200,
    ),
    "alliances:people_search": Entry(
        data=people_search, expect=alliance_action(Action.MANAGE_TEAM)
    ),
    "alliances:kpi_create": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "alliances:kpi_edit": Entry(kwargs=kpi, expect=alliance_action(Action.EDIT)),
    "alliances:kpi_delete": Entry(kwargs=kpi, expect=alliance_action(Action.EDIT)),
    "alliances:partner_list": Entry(expect=logged_in()),
    "alliances:partner_create": Entry(expect=registrar()),
    "alliances:partner_detail": Entry(kwargs=partner, expect=organisation()),
    # Only the managers of an alliance with this partner (and superusers) edit it.
    "alliances:partner_edit": Entry(kwargs=partner, expect=partner_managers()),
    "sponsors:alliance": Entry(
        kwargs=slug, prepare=with_sponsors, expect=alliance_action(Action.VIEW)
    ),
    "sponsors:sponsorship_create": Entry(
        kwargs=slug, expect=alliance_action(Action.MANAGE_SPONSORS)
    ),
    "sponsors:sponsorship_edit": Entry(
        kwargs=sponsorship, prepare=with_sponsors, expect=alliance_action(Action.MANAGE_SPONSORS)
    ),
    "sponsors:sponsorship_delete": Entry(
        kwargs=sponsorship, prepare=with_sponsors, expect=alliance_action(Action.MANAGE_SPONSORS)
    ),
    "sponsors:match": Entry(kwargs=slug, expect=alliance_action(Action.MANAGE_SPONSORS)),
    "sponsors:signal_create": Entry(
        kwargs=slug, prepare=with_sponsors, expect=alliance_action(Action.RECORD_SIGNAL)
    ),
    # Recorded by the contributor: they and the managers may change it.
    "sponsors:signal_edit": Entry(
        kwargs=signal, prepare=with_sponsors, expect=alliance_action(Action.RECORD_SIGNAL)
    ),
    "sponsors:signal_delete": Entry(
        kwargs=signal, prepare=with_sponsors, expect=alliance_action(Action.RECORD_SIGNAL)
    ),
    "sponsors:peer_create": Entry(
        kwargs=slug, prepare=with_sponsors, expect=alliance_action(Action.MANAGE_SPONSORS)
    ),
    "sponsors:peer_edit": Entry(
        kwargs=peer, prepare=with_sponsors, expect=alliance_action(Action.MANAGE_SPONSORS)
    ),
    "sponsors:peer_delete": Entry(
        kwargs=peer, prepare=with_sponsors, expect=alliance_action(Action.MANAGE_SPONSORS)
    ),
    "sponsors:mine": Entry(expect=logged_in()),
    # A partner's sponsor exists for those who may see one of their alliances.
    "sponsors:profile": Entry(
        kwargs=partner_sponsor, prepare=with_sponsors, expect=alliance_action(Action.VIEW)
    ),
    "sponsors:sponsor_edit": Entry(
        kwargs=partner_sponsor,
        prepare=with_sponsors,
        expect=alliance_action(Action.VIEW_SENSITIVE),
    ),
    "sponsors:sponsor_propose": Entry(
        kwargs=partner_sponsor,
        prepare=with_sponsors,
        expect=alliance_action(Action.MANAGE_SPONSORS, ok=302),
    ),
    "sponsors:proposal_decide": Entry(
        kwargs=lambda team: {"pk": team.proposal.pk},
        prepare=with_proposal,
        expect=alliance_action(Action.MANAGE_SPONSORS),
    ),
    "assessments:list": Entry(kwargs=slug, expect=alliance_action(Action.VIEW)),
    "assessments:start": Entry(
        kwargs=slug, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:detail": Entry(
        kwargs=assessment, prepare=assessment_ready, expect=alliance_action(Action.VIEW)
    ),
    "assessments:assessors": Entry(
        kwargs=assessment, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:results": Entry(
        kwargs=assessment, prepare=assessment_ready, expect=alliance_action(Action.VIEW)
    ),
    "assessments:export_answers": Entry(
        kwargs=lambda team: {**assessment(team), "fmt": "xlsx"},
        prepare=assessment_ready,
        expect=alliance_action(Action.VIEW),
    ),
    "assessments:export_results": Entry(
        kwargs=lambda team: {**assessment(team), "fmt": "csv"},
        prepare=assessment_ready,
        expect=alliance_action(Action.VIEW),
    ),
    "decisions:export_findings": Entry(
        kwargs=lambda team: {**slug(team), "fmt": "xlsx"},
        prepare=assessment_ready,
        expect=alliance_action(Action.VIEW),
    ),
    "assessments:history": Entry(
        kwargs=assessment, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:delete": Entry(
        kwargs=assessment, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:finding": Entry(
        kwargs=finding, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:reopen": Entry(
        kwargs=own_response, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:fill": Entry(
        kwargs=own_response, prepare=assessment_ready, expect=own_response_only()
    ),
    "assessments:submit": Entry(
        kwargs=own_response, prepare=assessment_ready, expect=own_response_only()
    ),
    "assessments:answer": Entry(
        kwargs=answer,
        method="post",
        data=answer_data,
        prepare=assessment_ready,
        expect=own_response_only(),
    ),
    "assessments:condition": Entry(
        kwargs=finding, prepare=with_condition, expect=condition_owner_or_managers
    ),
    "evidence:files": Entry(
        kwargs=finding_files, prepare=assessment_ready, expect=alliance_action(Action.VIEW)
    ),
    "evidence:download": Entry(
        kwargs=evidence_file, prepare=with_evidence_file, expect=alliance_action(Action.VIEW)
    ),
    "evidence:delete": Entry(
        kwargs=evidence_file,
        prepare=with_evidence_file,
        expect=alliance_action(Action.RUN_ASSESSMENT),
    ),
    "decisions:condition": Entry(
        kwargs=tracked_condition, prepare=with_tracked_condition, expect=condition_owner_or_managers
    ),
    "signoffs:detail": Entry(kwargs=slug, expect=alliance_action(Action.VIEW)),
    "signoffs:request": Entry(kwargs=slug, expect=alliance_action(Action.REQUEST_SIGNOFF)),
    "signoffs:answer": Entry(
        kwargs=signoff, prepare=with_signoff_request, expect=only_the_executive_asked
    ),
    "assessments:partner_invite": Entry(
        kwargs=two_sided, prepare=two_sided_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:partner_link": Entry(
        kwargs=invitation, prepare=two_sided_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:partner_remind": Entry(
        kwargs=invitation, prepare=two_sided_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:partner_settings": Entry(
        kwargs=two_sided, prepare=two_sided_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:partner_resend": Entry(
        kwargs=invitation, prepare=two_sided_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:partner_revoke": Entry(
        kwargs=invitation, prepare=two_sided_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "partner:fill": Entry(
        kwargs=partner_link, prepare=two_sided_ready, expect=anyone_with_the_link
    ),
    "partner:submit": Entry(
        kwargs=partner_link, prepare=two_sided_ready, expect=anyone_with_the_link
    ),
    "partner:answer": Entry(
        kwargs=partner_answer,
        method="post",
        data=partner_answer_data,
        prepare=two_sided_ready,
        expect=anyone_with_the_link,
    ),
    "api:schema": Entry(expect=api(detail=False)),
    "api:docs": Entry(expect=logged_in()),
    "api:alliance-list": Entry(prepare=sponsored_assessment, expect=api(detail=False)),
    "api:alliance-detail": Entry(kwargs=slug, expect=api()),
    "api:assessment-list": Entry(prepare=sponsored_assessment, expect=api(detail=False)),
    "api:assessment-detail": Entry(
        kwargs=lambda team: {"pk": team.assessment.pk}, prepare=assessment_ready, expect=api()
    ),
    "api:finding-list": Entry(prepare=sponsored_assessment, expect=api(detail=False)),
    "api:finding-detail": Entry(
        kwargs=lambda team: {"pk": team.assessment.findings.get().pk},
        prepare=assessment_ready,
        expect=api(),
    ),
    "api:decision-list": Entry(prepare=sponsored_assessment, expect=api(detail=False)),
    "api:decision-detail": Entry(
        kwargs=lambda team: {"alliance": team.alliance.slug},
        prepare=sponsored_assessment,
        expect=api(),
    ),
    "api:sponsorship-list": Entry(prepare=sponsored_assessment, expect=api(detail=False)),
    "api:sponsorship-detail": Entry(
        kwargs=lambda team: {"pk": sponsorship(team)["pk"]}, prepare=with_sponsors, expect=api()
    ),
    "api:brief-list": Entry(prepare=sponsored_assessment, expect=api(detail=False)),
    "api:brief-detail": Entry(
        kwargs=lambda team: {"pk": team.brief.pk}, prepare=with_brief("ready"), expect=api()
    ),
    "api:brief-download": Entry(
        kwargs=lambda team: {"pk": team.brief.pk}, prepare=with_brief("ready"), expect=api()
    ),
    "api_tokens:list": Entry(expect=registrar()),
    "api_tokens:revoke": Entry(
        kwargs=lambda team: {"pk": team.token.pk},
        prepare=with_manager_token,
        expect=own_token_only,
    ),
    "assessments:reassess": Entry(
        kwargs=assessment, prepare=assessment_ready, expect=alliance_action(Action.RUN_ASSESSMENT)
    ),
    "assessments:intervals": Entry(kwargs=slug, expect=alliance_action(Action.EDIT)),
    "portfolio:page": Entry(expect=portfolio_readers()),
    "portfolio:export_xlsx": Entry(expect=portfolio_readers()),
    "portfolio:export_csv": Entry(expect=portfolio_readers()),
    "briefs:list": Entry(kwargs=slug, expect=alliance_action(Action.VIEW)),
    "briefs:prepare": Entry(
        kwargs=slug, method="post", expect=alliance_action(Action.PREPARE_BRIEF, 302)
    ),
    "briefs:detail": Entry(
        kwargs=brief, prepare=with_brief("queued"), expect=alliance_action(Action.VIEW)
    ),
    "briefs:status": Entry(
        kwargs=brief, prepare=with_brief("rendering"), expect=alliance_action(Action.VIEW)
    ),
    "briefs:download": Entry(
        kwargs=brief, prepare=with_brief("ready"), expect=alliance_action(Action.VIEW)
    ),
    "briefs:retry": Entry(
        kwargs=brief,
        method="post",
        prepare=with_brief("failed"),
        expect=alliance_action(Action.PREPARE_BRIEF, 302),
    ),
    "notifications:list": Entry(expect=logged_in()),
    "notifications:read_all": Entry(method="post", expect=logged_in(302)),
    "notifications:preferences": Entry(expect=logged_in()),
    "home:my_work_count": Entry(expect=logged_in()),
    "notifications:open": Entry(
        kwargs=notification, prepare=with_notification, expect=recipient_only(302)
    ),
    "notifications:read": Entry(
        kwargs=notification,
        method="post",
        prepare=with_notification,
        expect=recipient_only(302),
    ),
}


def project_url_names(resolver=None, namespace=None):
    """Every named URL pattern of the project, admin aside."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = pattern.namespace or namespace
            yield from project_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_pattern_is_in_the_matrix():
    names = set(project_url_names())
    assert names - set(MATRIX) == set(), "add these URLs to the access matrix"
    assert set(MATRIX) - names == set(), "these matrix entries match no URL"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_access_matrix(url_name, client):
    entry = MATRIX[url_name]
    mismatches = []
    for confidential in (False, True):
        for role in ROLES:
            # A fresh team per case: actions that succeed must not change the next case.
            team = make_team(confidential=confidential, prefix=f"{role}-{int(confidential)}")
            entry.prepare(team)
            client.logout()
            if role != "anonymous":
                client.force_login(team.users[role])
            url = reverse(url_name, kwargs=entry.kwargs(team))
            response = getattr(client, entry.method)(url, entry.data(team))
            expected = entry.expect(role, confidential)
            if response.status_code != expected:
                mismatches.append(
                    f"{role:<11} confidential={confidential!s:<5} "
                    f"got {response.status_code}, want {expected}"
                )
            if role == "anonymous" and expected == 302 and url_name != "logout":
                assert response.url.startswith(reverse("login")), url_name
    assert not mismatches, f"{url_name}:\n" + "\n".join(mismatches)


SENSITIVE_READERS = {
    # Our sponsor is the team's executive: they read their own, never the partner's.
    OUR_AGENDA: {"manager", "superuser", "executive"},
    OUR_NOTES: {"manager", "superuser", "executive"},
    OUR_MOTIVE: {"manager", "superuser", "executive"},
    PARTNER_AGENDA: {"manager", "superuser"},
}


def with_every_object(team):
    """What every URL of the matrix needs, for the tests that walk all of them."""
    with_sponsors(team)
    assessment_ready(team)
    with_brief("ready")(team)
    with_invitation(team)
    with_signoff_request(team)
    two_sided_ready(team)
    with_notification(team)
    with_manager_token(team)
    with_tracked_condition(team)
    attach_evidence_file(team)
    propose_change(team)
    with_bank_draft(team)
    with_meeting(team)
    with_calendar_feeds(team)
    with_webhook(team)


@pytest.mark.parametrize("confidential", [False, True])
def test_personal_agendas_and_notes_reach_only_managers_and_the_sponsor_themself(
    client, confidential
):
    """Every page of the matrix (and our sponsor's profile), as every role: the
    sensitive texts appear exactly for those allowed, and at least once for each."""
    team = make_team(confidential=confidential, prefix=f"sensitive-{int(confidential)}")
    with_every_object(team)
    our_sponsor = team.alliance.sponsorships.get(side="ours").sponsor
    urls = [
        reverse(name, kwargs=entry.kwargs(team))
        for name, entry in sorted(MATRIX.items())
        if entry.method == "get" and name not in {"logout"}
    ]
    urls.append(reverse("sponsors:profile", args=[our_sponsor.pk]))
    seen_by = {secret: set() for secret in SENSITIVE_READERS}
    leaks = []
    for role in ROLES[1:]:
        client.force_login(team.users[role])
        for url in urls:
            response = client.get(url)
            text = response.get("Content-Type", "").startswith(("text/", "application/json"))
            if response.status_code != 200 or response.streaming or not text:
                continue  # PDFs and workbooks: checked in the tests of each download
            html = response.content.decode()
            for secret, readers in SENSITIVE_READERS.items():
                if secret in html:
                    seen_by[secret].add(role)
                    if role not in readers:
                        leaks.append(f"{role} reads {secret} on {url}")
    assert not leaks, "\n".join(leaks)
    assert seen_by == SENSITIVE_READERS


# Pages anyone may open, signed in or not: they hold nothing of an alliance.
OTHER_TOKENS = {"alliances:invitation", "calendars:feed", "calendars:alliance_feed"}
PUBLIC = {
    "login",
    "sso_login",
    "sso_callback",
    "healthz",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


@pytest.mark.parametrize("confidential", [False, True])
def test_a_partner_link_reaches_its_own_questionnaire_and_nothing_else(client, confidential):
    """A partner contact's browser, after using their link, against every URL of the
    project: only the link's own pages answer; the rest sends them to a login they do not
    have (or is a 404). The link gives no session as a user."""
    team = make_team(confidential=confidential, prefix=f"link-{int(confidential)}")
    with_every_object(team)
    assert client.get(reverse("partner:fill", args=[team.partner_token])).status_code == 200
    reached = []
    for name, entry in sorted(MATRIX.items()):
        # A team invitation's page and a calendar feed answer whoever holds their own
        # token, not this link.
        if name in PUBLIC or name in OTHER_TOKENS:
            continue
        url = reverse(name, kwargs=entry.kwargs(team))
        response = getattr(client, entry.method)(url, entry.data(team))
        own = name.startswith("partner:")
        # The joint view exists once the manager shares it (here: nothing shared yet).
        not_yet = name == "partner:joint_pdf" and response.status_code == 404
        if own and response.status_code != 200 and not not_yet:
            reached.append(f"{name}: its own page gave {response.status_code}")
        if not own and response.status_code not in (302, 401, 404):
            reached.append(f"{name}: {response.status_code}")
        if not own and response.status_code == 302:
            assert response.url.startswith(reverse("login")), name
    assert not reached, "\n".join(reached)
    assert "_auth_user_id" not in client.session
