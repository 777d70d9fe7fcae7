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
- A person's details (name, title, interests) are edited by superusers, the
  person themself and the managers of an alliance they sponsor; which user
  account is theirs is set by a superuser, or by a user for themself on a new
  record (and they may unlink themselves).
- A signal can be changed by whoever may record signals on the alliance and
  either recorded it or manages the alliance's sponsors.
"""

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


def can_edit_sponsor(user, sponsor: Sponsor) -> bool:
    return is_sponsor_themself(user, sponsor) or manages_sponsor(user, sponsor)


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
