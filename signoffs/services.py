"""Writes of the executive sign-off: a manager's request, an executive's answer.

Each checks its right through alliances/access.py and runs in one transaction; the
answers keep their history (simple-history) and requests are never deleted.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import Action, can, ensure_can, role_of
from alliances.models import Alliance, Membership
from alliances.people import team_people
from alliances.services import as_done_by
from decisions.selectors import alliance_decision
from kit import events
from kit.people import display_name
from notifications.models import Kind
from notifications.services import notify
from signoffs.evidence import evidence_sha256
from signoffs.models import SignOff, SignOffRequest
from signoffs.selectors import decision_shown, signoff_state

User = get_user_model()


def team_executives(alliance: Alliance):
    """Who may be asked to sign off: the team's active executives."""
    return team_people(alliance, roles=[Membership.Role.EXECUTIVE])


@transaction.atomic
def signoff_request(
    *, alliance: Alliance, executives, by: User, message: str = ""
) -> SignOffRequest:
    """Ask team executives to sign off the current decision, bound to its evidence."""
    ensure_can(by, Action.REQUEST_SIGNOFF, alliance)
    executives = list(executives)
    if not executives:
        raise ValidationError({"executives": _("Choose at least one executive.")})
    allowed = set(team_executives(alliance).values_list("pk", flat=True))
    if any(e.pk not in allowed for e in executives):
        raise ValidationError({"executives": _("Only the team's executives can sign off.")})
    decision = alliance_decision(alliance)
    request = SignOffRequest.objects.create(
        alliance=alliance,
        requested_by=by,
        evidence_sha256=evidence_sha256(alliance),
        verdict=decision.verdict.value,
        rationale=decision.rationale,
        message=message.strip(),
    )
    for executive in executives:
        signoff = SignOff(request=request, executive=executive)
        as_done_by(signoff, by).save()
        notify(
            Kind.SIGNOFF_REQUESTED,
            alliance=alliance,
            recipients=[executive],
            title=lambda: (
                _("%(who)s asks you to sign off %(alliance)s: %(verdict)s")
                % {
                    "who": display_name(by),
                    "alliance": alliance.name,
                    "verdict": _(request.verdict),
                }
            ),
            body=request.message or request.rationale,
            url=reverse("signoffs:answer", args=[alliance.slug, signoff.pk]),
            by=by,
            key=f"signoff-requested:{signoff.pk}",
        )
    return request


ANSWERS = (SignOff.Answer.APPROVED, SignOff.Answer.REFUSED, SignOff.Answer.MORE)


def may_answer(user, signoff: SignOff) -> bool:
    """Only the executive asked, while an executive of the (not archived) team."""
    alliance = signoff.request.alliance
    return (
        signoff.executive_id == user.pk
        and can(user, Action.VIEW, alliance)
        and not alliance.is_archived
        and role_of(user, alliance) == Membership.Role.EXECUTIVE
    )


@transaction.atomic
def signoff_answer(*, signoff: SignOff, answer: str, comment: str, by: User) -> SignOff:
    """The executive approves, refuses or asks for more, with a comment (required unless
    approving), on the evidence the request was made on."""
    signoff = (
        SignOff.objects.select_for_update().select_related("request__alliance").get(pk=signoff.pk)
    )
    if not may_answer(by, signoff):
        raise PermissionDenied(_("Only the executive asked can answer this sign-off."))
    request = signoff.request
    alliance = request.alliance
    if not signoff.is_pending:
        raise ValidationError(_("You have already answered this request."))
    latest = SignOffRequest.objects.filter(alliance=alliance).first()
    if latest.pk != request.pk:
        raise ValidationError(_("A newer request replaced this one: answer that one."))
    if evidence_sha256(alliance) != request.evidence_sha256:
        raise ValidationError(
            _("The evidence changed since sign-off was requested: a manager must ask again.")
        )
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Approve, refuse or ask for more.")})
    comment = comment.strip()
    if answer != SignOff.Answer.APPROVED and not comment:
        raise ValidationError({"comment": _("Say why, or what more you need.")})
    signoff.answer, signoff.comment, signoff.answered_at = answer, comment, timezone.now()
    signoff.evidence_sha256, signoff.shown = request.evidence_sha256, decision_shown(alliance)
    as_done_by(signoff, by).save(
        update_fields=["answer", "comment", "answered_at", "evidence_sha256", "shown"]
    )
    _tell_managers(signoff, by)
    return signoff


def _tell_managers(signoff: SignOff, by: User) -> None:
    """Sign-off given (approved) or refused (refused, or more asked) → who requested it
    and the team's managers."""
    request, alliance = signoff.request, signoff.request.alliance
    approved = signoff.answer == SignOff.Answer.APPROVED

    def title():
        # Called by notify in each recipient's language.
        return {
            SignOff.Answer.APPROVED: _("%(who)s signed off %(alliance)s (%(verdict)s)"),
            SignOff.Answer.REFUSED: _("%(who)s refused to sign off %(alliance)s (%(verdict)s)"),
            SignOff.Answer.MORE: _("%(who)s asks for more before signing off %(alliance)s"),
        }[signoff.answer] % {
            "who": display_name(by),
            "alliance": alliance.name,
            "verdict": _(request.verdict),
        }

    managers = team_people(alliance, roles=[Membership.Role.MANAGER])
    events.publish(
        events.SIGNOFF_GIVEN if approved else events.SIGNOFF_REFUSED,
        alliance_id=alliance.pk,
        signoff_id=signoff.pk,
        request_id=request.pk,
        answer=signoff.answer,
        verdict=request.verdict,
    )
    notify(
        Kind.SIGNOFF_GIVEN if approved else Kind.SIGNOFF_REFUSED,
        alliance=alliance,
        recipients=[request.requested_by, *managers],
        title=title,
        body=signoff.comment,
        url=alliance.get_absolute_url(),
        by=by,
        key=f"signoff-answered:{signoff.pk}",
    )


def on_decision_inputs_changed(sender, *, alliance: Alliance, **kwargs) -> None:
    """Receiver of alliances.signals.decision_inputs_changed."""
    signoff_withdraw_if_stale(alliance=alliance)


@transaction.atomic
def signoff_withdraw_if_stale(*, alliance: Alliance) -> bool:
    """When the evidence changed before every executive answered, the request is
    withdrawn: it leaves their work, they hear why, and the managers are asked to request
    again. Returns whether it was withdrawn (after a recheck, and daily)."""
    pending = SignOffRequest.objects.filter(
        alliance=alliance, withdrawn_at__isnull=True, signoffs__answer=SignOff.Answer.PENDING
    )
    if not pending.exists():
        return False
    state = signoff_state(alliance)
    if not state.stale or state.request.withdrawn_at is not None:
        return False
    request = SignOffRequest.objects.select_for_update().get(pk=state.request.pk)
    request.withdrawn_at = timezone.now()
    request.save(update_fields=["withdrawn_at"])
    waiting = [s.executive for s in state.signoffs if s.is_pending]
    managers = list(team_people(alliance, roles=[Membership.Role.MANAGER]))

    def body():
        # Called by notify in each recipient's language, its date too.
        return _(
            "The evidence behind the decision changed after sign-off was asked on %(on)s "
            "(%(verdict)s): the request is withdrawn so nobody signs what no longer holds."
        ) % {
            "on": date_format(timezone.localtime(request.requested_at), "DATE_FORMAT"),
            "verdict": _(request.verdict),
        }

    told = (
        # The executives asked: why their item left My work.
        (
            waiting,
            lambda: _("%(alliance)s: sign-off withdrawn, the evidence changed"),
            "signoffs:detail",
            "signoff-withdrawn",
        ),
        # The managers: ask again.
        (
            [m for m in managers if m not in waiting],
            lambda: _("%(alliance)s: the evidence changed, ask for sign-off again"),
            "signoffs:request",
            "signoff-withdrawn-ask-again",
        ),
    )
    for recipients, title, url_name, key in told:
        notify(
            Kind.SIGNOFF_WITHDRAWN,
            alliance=alliance,
            recipients=recipients,
            title=lambda title=title: title() % {"alliance": alliance.name},
            body=body,
            url=reverse(url_name, args=[alliance.slug]),
            by=None,
            key=f"{key}:{request.pk}",
        )
    return True


def signoffs_daily(day) -> int:
    """Daily job: withdraw the requests whose evidence changed without a recheck (the
    passing time moves sponsor health and overdue dates)."""
    alliances = Alliance.objects.filter(
        is_archived=False,
        signoff_requests__withdrawn_at__isnull=True,
        signoff_requests__signoffs__answer=SignOff.Answer.PENDING,
    ).distinct()
    return sum(signoff_withdraw_if_stale(alliance=alliance) for alliance in alliances)
