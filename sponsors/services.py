"""Writes for sponsors: one transaction per action, the models' rules checked first,
and a readable ValidationError (never a half-saved state) when they fail."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.access import Action, ensure_can
from alliances.models import Alliance, Organisation
from alliances.services import as_done_by
from alliances.signals import decision_inputs_changed_on
from kit.texts import in_sentence
from sponsors import person_notices
from sponsors.access import (
    can_change_signal,
    can_link_account,
    may_edit_person,
    may_propose_change,
)
from sponsors.health import interest_key
from sponsors.models import (
    INTEREST_MAX_LENGTH,
    MAX_INTERESTS,
    PeerLink,
    Signal,
    Sponsor,
    SponsorChangeProposal,
    Sponsorship,
)

User = get_user_model()

TAKEN = gettext_lazy("Someone else just took that role: reload and check.")
ANSWERED = gettext_lazy("That request or escalation has just been answered: reload and check.")
PERSON_EDITORS = gettext_lazy(
    "A person's name, title, seniority, business unit and interests show on every "
    "alliance they sponsor: only they, an administrator or a manager of all those "
    "alliances can change them. Propose a change instead."
)


def _lock_alliance(alliance_id: int) -> None:
    """Serialise sponsorship writes on one alliance, so two managers cannot both
    appoint an executive sponsor at the same moment."""
    list(Alliance.objects.select_for_update().filter(pk=alliance_id).values_list("pk"))


def _save(instance, message: str):
    """full_clean, then save; a constraint that still trips (a race) becomes a message."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationError(message) from exc
    return instance


def clean_interests(interests: Iterable[str]) -> list[str]:
    """Normalised, de-duplicated interest tags; raises on too many or too long."""
    tags = []
    for raw in interests:
        tag = interest_key(raw)
        if not tag or tag in tags:
            continue
        if len(tag) > INTEREST_MAX_LENGTH:
            raise ValidationError(
                {
                    "interests": _("Keep each interest under %(max)d characters.")
                    % {"max": INTEREST_MAX_LENGTH}
                }
            )
        tags.append(tag)
    if len(tags) > MAX_INTERESTS:
        raise ValidationError(
            {"interests": _("List at most %(max)d interests.") % {"max": MAX_INTERESTS}}
        )
    return tags


def our_organisation() -> Organisation:
    organisation = Organisation.objects.filter(is_own=True).order_by("pk").first()
    if organisation is None:
        raise ValidationError(
            _("Our own organisation is not registered yet: ask an administrator to add it.")
        )
    return organisation


@transaction.atomic
def sponsor_save(*, sponsor: Sponsor, interests: Iterable[str] | None = None) -> Sponsor:
    """Create or update a person; `interests` (when given) replaces their tags."""
    tags = clean_interests(interests) if interests is not None else None
    if sponsor.user_id:
        taken = Sponsor.objects.filter(user_id=sponsor.user_id).exclude(pk=sponsor.pk).first()
        if taken:
            raise ValidationError(
                {"account": _("That account is already linked to %(name)s.") % {"name": taken.name}}
            )
    _save(sponsor, _("This organisation already has a sponsor of that name."))
    if tags is not None:
        sponsor.interests.set(tags)
    return sponsor


def _ensure_may_link(by, sponsor: Sponsor, linked_id: int | None) -> None:
    """`sponsor` as edited, `linked_id` the account it is linked to now."""
    if sponsor.user_id == linked_id:
        return
    allowed = can_link_account(
        by, linked_id=linked_id, account=sponsor.user, new_record=sponsor.pk is None
    )
    if not allowed:
        raise ValidationError(
            {
                "account": _(
                    "Only an administrator links a person to someone else's account; "
                    "you may link only your own, to a new person."
                )
            }
        )


@transaction.atomic
def sponsor_update(*, sponsor: Sponsor, by, interests: Iterable[str]) -> Sponsor:
    """Edit a person's shared details as `by`: themself, a superuser, or a manager of
    every alliance they sponsor (`may_edit_person`). Which account is theirs follows
    `can_link_account`, checked first: claiming a record is refused in those words."""
    stored = Sponsor.objects.select_for_update().get(pk=sponsor.pk)
    _ensure_may_link(by, sponsor, stored.user_id)
    if not may_edit_person(by, stored):
        raise PermissionDenied(PERSON_EDITORS)
    return sponsor_save(sponsor=sponsor, interests=interests)


@transaction.atomic
def sponsor_change_propose(
    *, sponsor: Sponsor, proposal: SponsorChangeProposal, by
) -> SponsorChangeProposal:
    """Record `by`'s proposed details for `sponsor` (unsaved `proposal`, its interests
    as typed) and tell those who may decide (sponsors/person_notices.py)."""
    stored = Sponsor.objects.select_for_update().get(pk=sponsor.pk)
    if not may_propose_change(by, stored):
        raise PermissionDenied(
            _("Only a manager of one of this person's alliances proposes changes to them.")
        )
    proposal.sponsor = stored
    proposal.interests = ", ".join(clean_interests(proposal.interest_list))
    proposal.proposed_by = by
    proposal.state = SponsorChangeProposal.State.PENDING
    if not proposal.changes():
        raise ValidationError(_("Nothing differs from the details as they are."))
    proposal.full_clean()
    # The name must still be free in the person's organisation when it is accepted.
    Sponsor(pk=stored.pk, organisation_id=stored.organisation_id, name=proposal.name).clean()
    proposal.save()
    person_notices.change_proposed(proposal, by=by)
    return proposal


@transaction.atomic
def sponsor_change_decide(
    *, proposal: SponsorChangeProposal, accept: bool, by
) -> SponsorChangeProposal:
    """Accept (the person's details become the proposed ones) or decline a pending
    proposal, as someone who may edit the person; the proposer hears which."""
    proposal = (
        SponsorChangeProposal.objects.select_for_update(of=("self",))
        .select_related("sponsor", "proposed_by")
        .get(pk=proposal.pk)
    )
    sponsor = Sponsor.objects.select_for_update().get(pk=proposal.sponsor_id)
    proposal.sponsor = sponsor
    if not may_edit_person(by, sponsor):
        raise PermissionDenied(PERSON_EDITORS)
    if not proposal.is_pending:
        raise ValidationError(
            _("This proposal was already %(state)s.")
            % {"state": in_sentence(proposal.get_state_display())}
        )
    if accept:
        sponsor.name = proposal.name
        sponsor.title = proposal.title
        sponsor.seniority = proposal.seniority
        sponsor.business_unit = proposal.business_unit
        sponsor_save(sponsor=sponsor, interests=proposal.interest_list)
    proposal.state = (
        SponsorChangeProposal.State.ACCEPTED if accept else SponsorChangeProposal.State.DECLINED
    )
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    if proposal.proposed_by is not None:
        person_notices.change_decided(proposal, by=by)
    return proposal


@transaction.atomic
def sponsorship_create(
    *,
    sponsorship: Sponsorship,
    by,
    new_sponsor: Sponsor | None = None,
    interests: Iterable[str] = (),
) -> Sponsorship:
    """Save an unsaved sponsorship; with `new_sponsor`, create that person first, in
    the organisation of the chosen side. Either both are saved or neither."""
    ensure_can(by, Action.MANAGE_SPONSORS, sponsorship.alliance)
    _lock_alliance(sponsorship.alliance_id)
    if new_sponsor is not None:
        _ensure_may_link(by, new_sponsor, None)
        if sponsorship.side == Sponsorship.Side.OURS:
            new_sponsor.organisation = our_organisation()
        else:
            new_sponsor.organisation = sponsorship.alliance.partner
        sponsor_save(sponsor=new_sponsor, interests=interests)
        sponsorship.sponsor = new_sponsor
    if sponsorship.sponsor_id is None:
        raise ValidationError({"sponsor": _("Choose a person, or enter a new person's name.")})
    _save(as_done_by(sponsorship, by), TAKEN)
    if new_sponsor is None:
        # An existing person: those who already work with them hear of it.
        person_notices.added_to_alliance(sponsorship, by=by)
    decision_inputs_changed_on(sponsorship.alliance, by)
    return sponsorship


@transaction.atomic
def sponsorship_update(*, sponsorship: Sponsorship, by) -> Sponsorship:
    ensure_can(by, Action.MANAGE_SPONSORS, sponsorship.alliance)
    _lock_alliance(sponsorship.alliance_id)
    _save(as_done_by(sponsorship, by), TAKEN)
    decision_inputs_changed_on(sponsorship.alliance, by)
    return sponsorship


@transaction.atomic
def sponsorship_delete(*, sponsorship: Sponsorship, by) -> None:
    """Delete a sponsorship with its signals, and the person's peer links on the
    alliance when they no longer sponsor it at all."""
    ensure_can(by, Action.MANAGE_SPONSORS, sponsorship.alliance)
    as_done_by(sponsorship, by).delete()
    still_sponsors = Sponsorship.objects.filter(
        alliance_id=sponsorship.alliance_id, sponsor_id=sponsorship.sponsor_id
    ).exists()
    if not still_sponsors:
        PeerLink.objects.filter(alliance_id=sponsorship.alliance_id).filter(
            ours_id=sponsorship.sponsor_id
        ).delete()
        PeerLink.objects.filter(alliance_id=sponsorship.alliance_id).filter(
            theirs_id=sponsorship.sponsor_id
        ).delete()
    decision_inputs_changed_on(sponsorship.alliance, by)


@transaction.atomic
def sponsor_choose(*, alliance: Alliance, sponsor: Sponsor, by) -> Sponsorship:
    """Sponsor match: make `sponsor` our executive sponsor of `alliance` from today."""
    sponsorship = Sponsorship(
        alliance=alliance,
        sponsor=sponsor,
        side=Sponsorship.Side.OURS,
        role=Sponsorship.Role.EXECUTIVE_SPONSOR,
        since=timezone.localdate(),
    )
    return sponsorship_create(sponsorship=sponsorship, by=by)


@transaction.atomic
def signal_record(*, signal: Signal, by, move_since: bool = False) -> Signal:
    """Record a signal. With `move_since`, a signal dated before its sponsorship's start
    moves that start back to the signal's date (a manager's change, kept in history)."""
    sponsorship = signal.sponsorship
    ensure_can(by, Action.RECORD_SIGNAL, sponsorship.alliance)
    signal.moves_since_back = False  # the start moves here, or the signal is refused
    if move_since and signal.date and signal.date < sponsorship.since:
        ensure_can(by, Action.MANAGE_SPONSORS, sponsorship.alliance)
        _lock_alliance(sponsorship.alliance_id)
        sponsorship.since = signal.date
        _save(as_done_by(sponsorship, by), TAKEN)
    signal.recorded_by = by
    _save(as_done_by(signal, by), ANSWERED)
    decision_inputs_changed_on(sponsorship.alliance, by)
    return signal


def _ensure_may_change(signal: Signal, by) -> None:
    if not can_change_signal(by, signal, signal.sponsorship.alliance):
        raise PermissionDenied(
            _("Only the person who recorded this signal or a manager can change it.")
        )


@transaction.atomic
def signal_update(*, signal: Signal, by) -> Signal:
    _ensure_may_change(signal, by)
    _save(as_done_by(signal, by), ANSWERED)
    decision_inputs_changed_on(signal.sponsorship.alliance, by)
    return signal


@transaction.atomic
def signal_delete(*, signal: Signal, by) -> None:
    _ensure_may_change(signal, by)
    answer = Signal.objects.filter(responds_to=signal).first()
    if answer is not None:
        raise ValidationError(
            _("It was answered by the %(kind)s of %(date)s: delete that first.")
            % {
                "kind": in_sentence(answer.get_kind_display()),
                "date": date_format(answer.date, "SHORT_DATE_FORMAT"),
            }
        )
    as_done_by(signal, by).delete()
    decision_inputs_changed_on(signal.sponsorship.alliance, by)


@transaction.atomic
def peer_link_save(*, link: PeerLink, by) -> PeerLink:
    ensure_can(by, Action.MANAGE_SPONSORS, link.alliance)
    _save(link, _("These two are already mapped: edit that mapping instead."))
    decision_inputs_changed_on(link.alliance, by)
    return link


@transaction.atomic
def peer_link_delete(*, link: PeerLink, by) -> None:
    ensure_can(by, Action.MANAGE_SPONSORS, link.alliance)
    link.delete()
    decision_inputs_changed_on(link.alliance, by)
