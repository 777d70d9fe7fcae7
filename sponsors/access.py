"""Who sees which sponsor, their sensitive details, and who may change a signal.

Built on alliances/access.py (the alliance-level rules); these add what is
particular to people:

- A sponsor is visible to signed-in users when they are one of ours (an
  internal directory of our executives), or when they sponsor (now or in the
  past) an alliance the viewer may see. The person themself and superusers
  always see their record. Anyone else gets a 404.
- Personal agenda, notes and personal motive are sensitive and belong to one
  sponsorship: the alliance's managers (Action.VIEW_SENSITIVE) and the sponsor
  themself see them, on that alliance's pages and on the person's profile.
  Managing one of a person's alliances shows nothing of what their other
  alliances recorded, and viewers, contributors and executives of the team
  never see someone else's.
- A person's details (name, title, seniority, business unit, interests) are one
  record shared by every alliance they sponsor, and show on each. They are
  edited by superusers, the person themself, and whoever manages every alliance
  the person sponsors or sponsored (confidential ones included): a manager of
  only some of them edits the sponsorship on their own alliance and proposes a
  change to the person, which one of those decides. Which user account is theirs
  is set by a superuser, or by a user for themself on a new record (and they may
  unlink themselves).
- A signal can be changed by whoever may record signals on the alliance and
  either recorded it or manages the alliance's sponsors.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from alliances.access import Action, can, visible_alliances
from alliances.models import Alliance, Membership
from sponsors.models import Signal, Sponsor, Sponsorship


def visible_sponsors(user) -> QuerySet[Sponsor]:
    """Sponsors `user` may know exist."""
    if not user.is_authenticated:
        return Sponsor.objects.none()
    if user.is_superuser:
        return Sponsor.objects.all()
    in_visible_alliance = Sponsorship.objects.filter(
        sponsor=OuterRef("pk"), alliance__in=visible_alliances(user).values("pk")
    )
    return Sponsor.objects.filter(
        Q(organisation__is_own=True) | Q(user=user) | Exists(in_visible_alliance)
    )


def manages_sponsor(user, sponsor: Sponsor) -> bool:
    """A superuser, or a manager of an alliance the sponsor sponsors or sponsored."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(
            user=user, role=Membership.Role.MANAGER, alliance__sponsorships__sponsor=sponsor
        ).exists()
    )


def is_sponsor_themself(user, sponsor: Sponsor) -> bool:
    return user.is_authenticated and sponsor.user_id is not None and sponsor.user_id == user.pk


def can_see_sensitive_of(user, sponsorship: Sponsorship) -> bool:
    """Whether `user` may read this sponsorship's personal agenda, notes and motive."""
    return is_sponsor_themself(user, sponsorship.sponsor) or can(
        user, Action.VIEW_SENSITIVE, sponsorship.alliance
    )


@dataclass(frozen=True)
class PersonRights:
    """What a user may do with a person's shared details."""

    edit: bool  # change them
    propose: bool  # propose a change, for someone who may decide
    open_form: bool  # open the edit page (read-only without `edit`) and see proposals


NO_RIGHTS = PersonRights(edit=False, propose=False, open_form=False)


def person_rights(user, sponsor: Sponsor) -> PersonRights:
    """The person themself and superusers edit; so does a manager of every alliance the
    person sponsors or sponsored (at least one, confidential ones included). A manager
    of only some of them proposes instead: managing one alliance gives no say over what
    shows on the others. One query."""
    if not user.is_authenticated:
        return NO_RIGHTS
    if user.is_superuser or is_sponsor_themself(user, sponsor):
        return PersonRights(edit=True, propose=False, open_form=True)
    if sponsor.pk is None:
        return NO_RIGHTS
    managed = dict(
        Sponsorship.objects.filter(sponsor_id=sponsor.pk)
        .annotate(
            managed=Exists(
                Membership.objects.filter(
                    alliance=OuterRef("alliance_id"), user=user.pk, role=Membership.Role.MANAGER
                )
            )
        )
        .order_by()
        .values_list("alliance_id", "managed")
    )
    some = any(managed.values())
    every = some and all(managed.values())
    return PersonRights(edit=every, propose=some and not every, open_form=some)


def may_edit_person(user, sponsor: Sponsor) -> bool:
    """Whether `user` may change the person's shared details (`person_rights`)."""
    return person_rights(user, sponsor).edit


def may_propose_change(user, sponsor: Sponsor) -> bool:
    """A manager of one of the person's alliances who may not change the details
    themself proposes the change instead."""
    return person_rights(user, sponsor).propose


def can_link_account(user, *, linked_id: int | None, account, new_record: bool) -> bool:
    """Whether `user` may link a person now linked to `linked_id` to `account` (None
    unlinks). A link makes the account "the person themself", who reads every
    sensitive note about them: nobody claims someone else's record or hands
    theirs to another account."""
    if user.is_superuser:
        return True
    if account is None:
        return linked_id in (None, user.pk)
    return new_record and account.pk == user.pk


def can_change_signal(user, signal: Signal, alliance: Alliance) -> bool:
    """Edit or delete: the person who recorded it, or a manager of the alliance's sponsors."""
    if not can(user, Action.RECORD_SIGNAL, alliance):
        return False
    return signal.recorded_by_id == user.pk or can(user, Action.MANAGE_SPONSORS, alliance)
