"""Writes of the partner's side: invite, resend, copy a link, remind, revoke and choose
what is shared (a manager), answer and submit (the partner contact, identified by their
invitation, never by a user account)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.access import Action, ensure_can
from alliances.models import Organisation
from alliances.signals import decision_inputs_changed_on
from assessments import copies, respondents
from assessments.history_reasons import SUBMITTED_REASON
from assessments.models import Assessment, PartnerInvitation
from assessments.partner.selectors import LINK_MAIL, partner_answers
from assessments.services import AnswerValue
from banks.models import BankVersion, Question, QuestionBank
from kit import events
from kit.mail import mail_queue
from kit.secret_links import expiry, new_secret, secret_hash
from kit.site_url import absolute_url


def is_two_sided(assessment: Assessment) -> bool:
    return assessment.version.bank.kind == QuestionBank.Kind.MUTUAL_FIT


def our_company_name() -> str:
    own = Organisation.objects.filter(is_own=True).values_list("name", flat=True).first()
    return own or _("our company")


def link_url(token: str) -> str:
    return absolute_url(reverse("partner:fill", args=[token]))


@dataclass(frozen=True)
class InviteeData:
    name: str
    email: str


def _send(invitation: PartnerInvitation, token: str, *, reminder: bool = False) -> None:
    """The e-mail with the link, queued on the mail path: a worker sends it after the
    transaction commits (never for a rollback); the partner list shows how it went. A
    reminder says so and names the due date."""
    context = {
        "invitation": invitation,
        "company": our_company_name(),
        "url": link_url(token),
        "expires_at": invitation.expires_at,
        "reminder": reminder,
        "due_date": invitation.assessment.partner_due_date,
    }
    if reminder:
        subject = _("Reminder: %(company)s asks for your view of “%(alliance)s”")
    else:
        subject = _("%(company)s asks for your view of the alliance “%(alliance)s”")
    subject = subject % {"company": context["company"], "alliance": invitation.alliance_label}
    body = render_to_string("assessments/partner/invitation_email.txt", context)
    mail_queue(
        to=[invitation.email],
        subject=subject,
        body=body,
        purpose=LINK_MAIL,
        object_id=invitation.pk,
    )


def _ensure_open_for_invitations(assessment: Assessment, by) -> None:
    ensure_can(by, Action.RUN_ASSESSMENT, assessment.alliance)
    if not is_two_sided(assessment):
        raise ValidationError(
            _("Only a two-sided assessment (a mutual fit bank) invites the partner.")
        )
    if assessment.version.status == BankVersion.Status.RETIRED:
        raise ValidationError(
            _("This assessment uses a retired version of the question bank: start a new one.")
        )


@transaction.atomic
def invitations_create(
    *, assessment: Assessment, invitees: list[InviteeData], alliance_label: str, by
) -> list[PartnerInvitation]:
    """Invite partner contacts: one invitation and one e-mailed link each."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("version__bank", "alliance")
        .get(pk=assessment.pk)
    )
    _ensure_open_for_invitations(assessment, by)
    if not invitees:
        raise ValidationError({"invitees": _("Name at least one partner contact.")})
    label = alliance_label.strip()
    if not label:
        raise ValidationError({"alliance_label": _("Say how the partner sees the alliance named.")})
    existing = {e.lower() for e in assessment.partner_invitations.values_list("email", flat=True)}
    created = []
    for invitee in invitees:
        email = invitee.email.strip()
        if email.lower() in existing:
            raise ValidationError(
                {
                    "invitees": _("%(email)s is already invited: resend their link instead.")
                    % {"email": email}
                }
            )
        existing.add(email.lower())
        token = new_secret()
        invitation = PartnerInvitation(
            assessment=assessment,
            name=invitee.name.strip(),
            email=email,
            alliance_label=label,
            token_hash=secret_hash(token),
            expires_at=expiry(settings.PARTNER_LINK_DAYS),
            created_by=by,
            sent_at=timezone.now(),
            send_count=1,
        )
        invitation.full_clean(exclude=["assessment", "created_by", "token_hash"])
        invitation.save()
        _send(invitation, token)
        created.append(invitation)
    return created


def _locked_invitation(invitation: PartnerInvitation, by) -> PartnerInvitation:
    invitation = (
        PartnerInvitation.objects.select_for_update(of=("self",))
        .select_related("assessment__version__bank", "assessment__alliance")
        .get(pk=invitation.pk)
    )
    _ensure_open_for_invitations(invitation.assessment, by)
    return invitation


def reissue(invitation: PartnerInvitation) -> str:
    """A new token on a locked invitation (not saved): the link sent before stops working,
    the new one works PARTNER_LINK_DAYS from now, a revoked link opens again. Only the
    token's hash is kept, so every way of handing a link out (resend, copy, reminder)
    makes a new one."""
    token = new_secret()
    invitation.token_hash = secret_hash(token)
    invitation.expires_at = expiry(settings.PARTNER_LINK_DAYS)
    invitation.revoked_at = None
    invitation.revoked_by = None
    return token


def _ensure_not_submitted(invitation: PartnerInvitation) -> None:
    if invitation.is_submitted:
        raise ValidationError(
            _("%(name)s has submitted: there is nothing to resend.") % {"name": invitation.name}
        )


@transaction.atomic
def invitation_resend(*, invitation: PartnerInvitation, by) -> PartnerInvitation:
    """A new link (the old one stops working) with a fresh expiry, e-mailed again."""
    invitation = _locked_invitation(invitation, by)
    _ensure_not_submitted(invitation)
    token = reissue(invitation)
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation._change_reason = "Link resent"
    invitation.save()
    _send(invitation, token)
    return invitation


@transaction.atomic
def invitation_new_link(*, invitation: PartnerInvitation, by) -> tuple[PartnerInvitation, str]:
    """A new link for the manager to copy and pass on themselves (no e-mail): returned
    once, never stored; the link sent or copied before stops working."""
    invitation = _locked_invitation(invitation, by)
    _ensure_not_submitted(invitation)
    token = reissue(invitation)
    invitation._change_reason = "Link copied by the manager"
    invitation.save()
    return invitation, link_url(token)


@transaction.atomic
def invitation_remind(*, invitation: PartnerInvitation, by, day=None) -> PartnerInvitation:
    """Remind a contact who has not submitted, by e-mail with a new link (only the hash of
    the old one is kept); at most once a day, whether by hand or by the daily job.
    `by` None is the daily job (assessments/partner/reminders.py)."""
    day = day or timezone.localdate()
    if by is None:
        invitation = PartnerInvitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    else:
        invitation = _locked_invitation(invitation, by)
    if invitation.is_submitted:
        raise ValidationError(
            _("%(name)s has submitted: there is nothing to remind them of.")
            % {"name": invitation.name}
        )
    if invitation.is_revoked:
        raise ValidationError(
            _("The link of %(name)s is revoked: resend it to invite them again.")
            % {"name": invitation.name}
        )
    if invitation.last_reminded_on == day:
        raise ValidationError(_("%(name)s was already reminded today.") % {"name": invitation.name})
    token = reissue(invitation)
    invitation.last_reminded_on = day
    invitation.reminder_count += 1
    invitation.sent_at = timezone.now()
    invitation.send_count += 1
    invitation._change_reason = "Reminded"
    invitation.save()
    _send(invitation, token, reminder=True)
    return invitation


@transaction.atomic
def partner_settings_update(
    *, assessment: Assessment, due_date, reminder_days: str, share: str, by
) -> Assessment:
    """The manager's choices for the partner side: the due date, the reminder schedule
    (days before it) and what the partner's link shows once both sides submitted."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("version__bank", "alliance")
        .get(pk=assessment.pk)
    )
    _ensure_open_for_invitations(assessment, by)
    assessment.partner_due_date = due_date
    assessment.partner_reminder_days = reminder_days
    assessment.partner_share = share
    assessment.full_clean(
        exclude=[f.name for f in Assessment._meta.fields if not f.name.startswith("partner_")]
    )
    assessment.save(update_fields=["partner_due_date", "partner_reminder_days", "partner_share"])
    return assessment


@transaction.atomic
def invitation_revoke(*, invitation: PartnerInvitation, by) -> PartnerInvitation:
    """The link stops working at once; answers given so far are kept (resend to reopen)."""
    invitation = _locked_invitation(invitation, by)
    if invitation.is_submitted:
        raise ValidationError(
            _("%(name)s has submitted: their answers are part of the results.")
            % {"name": invitation.name}
        )
    if invitation.is_revoked:
        raise ValidationError(_("This invitation is already revoked."))
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = by
    invitation._change_reason = "Revoked"
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    # The partner side may now be complete: the perception gap shows.
    decision_inputs_changed_on(invitation.assessment.alliance, by)
    return invitation


# ---------------------------------------------------------------- the partner contact


class LinkClosed(PermissionDenied):
    """The invitation exists but its link no longer opens: revoked or expired."""


def invitation_for_token(token: str) -> PartnerInvitation | None:
    """The invitation a link names, with its assessment, or None (unknown link)."""
    if not token or len(token) > 100:
        return None
    return (
        PartnerInvitation.objects.select_related(
            "assessment__version__bank", "assessment__alliance"
        )
        .filter(token_hash=secret_hash(token))
        .first()
    )


def ensure_link_open(invitation: PartnerInvitation) -> None:
    if invitation.is_revoked:
        raise LinkClosed(_("This link was withdrawn by the alliance manager."))
    if invitation.is_expired() and not invitation.is_submitted:
        raise LinkClosed(_("This link has expired."))


@transaction.atomic
def invitation_opened(*, invitation: PartnerInvitation) -> None:
    """The first visit is recorded (the manager sees who opened their link)."""
    if invitation.opened_at is None:
        PartnerInvitation.objects.filter(pk=invitation.pk, opened_at=None).update(
            opened_at=timezone.now()
        )
        invitation.opened_at = timezone.now()


def _locked_for_answers(invitation: PartnerInvitation) -> PartnerInvitation:
    locked = (
        PartnerInvitation.objects.select_for_update(of=("self",))
        .select_related("assessment__version")
        .get(pk=invitation.pk)
    )
    ensure_link_open(locked)
    if locked.is_submitted:
        raise ValidationError(
            _("Your answers are submitted: thank you, they can no longer change.")
        )
    if locked.assessment.version.status == BankVersion.Status.RETIRED:
        raise ValidationError(_("This questionnaire is closed."))
    return locked


def _mark_answered(invitation: PartnerInvitation) -> None:
    if invitation.answered_at is None:
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])


def partner_answer_save(
    *, invitation: PartnerInvitation, question: Question, value: AnswerValue, then=None
):
    """Save one answer of the invitation's own questionnaire (the htmx autosave); `then`
    as for services.answer_save."""
    with transaction.atomic():
        locked = _locked_for_answers(invitation)
        answer = respondents.answer_write(locked, question, value)
        if answer is not None:
            _mark_answered(locked)
        return then(answer) if then else answer


@transaction.atomic
def partner_answers_save(
    *, invitation: PartnerInvitation, values: dict[Question, AnswerValue]
) -> None:
    """Save a whole section at once (the page without JavaScript)."""
    locked = _locked_for_answers(invitation)
    saved = [respondents.answer_write(locked, q, value) for q, value in values.items()]
    if any(a is not None for a in saved):
        _mark_answered(locked)


def partner_missing_required(invitation: PartnerInvitation) -> list[Question]:
    return respondents.missing_required(invitation)


@transaction.atomic
def partner_submit(*, invitation: PartnerInvitation, token: str = "") -> PartnerInvitation:
    """Lock the partner contact's answers once every required question is answered, and
    e-mail them a copy of what they submitted (with their link's `token`, the copy's
    links too: assessments/copies.py)."""
    locked = _locked_for_answers(invitation)
    respondents.ensure_complete(locked)
    locked.submitted_at = timezone.now()
    locked._change_reason = SUBMITTED_REASON
    locked.save(update_fields=["submitted_at"])
    decision_inputs_changed_on(locked.assessment.alliance, None)  # the perception gap
    events.publish(
        events.PARTNER_SUBMITTED,
        alliance_id=locked.assessment.alliance_id,
        assessment_id=locked.assessment_id,
        invitation_id=locked.pk,
    )
    copies.partner_copy_mail(
        locked, partner_answers(locked), company=our_company_name(), token=token
    )
    return locked
