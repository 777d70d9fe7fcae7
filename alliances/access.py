"""Who sees and does what: the one place that decides.

A confidential alliance does not exist (404) for anyone outside its team,
other managers included. An open alliance can be read by every signed-in
user; only its team acts on it, each role as `ROLE_ACTIONS` says. An
archived alliance is read-only until a manager restores it. Superusers see
and do everything.
"""

from enum import StrEnum

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Membership, Organisation

MANAGERS_GROUP = "Alliance managers"
EXECUTIVES_GROUP = "Executives"
BANK_ADMINS_GROUP = "Question bank admins"
# The groups the rules ask about, each with the attribute that carries it on a user
# loaded with `group_flags()` (the signed-in user: accounts/backends.py).
GROUP_FLAGS = {
    MANAGERS_GROUP: "in_managers_group",
    EXECUTIVES_GROUP: "in_executives_group",
    BANK_ADMINS_GROUP: "in_bank_admins_group",
}


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # alliance details, KPIs, archive
    MANAGE_TEAM = "manage_team"
    RESTORE = "restore"  # un-archive
    ANSWER = "answer"  # fill in assessments
    RUN_ASSESSMENT = "run_assessment"  # start, assign assessors, reopen, classify findings
    RECORD_SIGNAL = "record_signal"  # sponsor engagement evidence
    MANAGE_SPONSORS = "manage_sponsors"
    VIEW_SENSITIVE = "view_sensitive"  # sponsors' personal agendas and notes
    PREPARE_BRIEF = "prepare_brief"
    REQUEST_SIGNOFF = "request_signoff"  # ask team executives to sign off the decision


# What ensure_can says, one whole sentence per action so each translates as a sentence.
REFUSALS = {
    Action.VIEW: _("You may not view this alliance."),
    Action.EDIT: _("You may not edit this alliance."),
    Action.MANAGE_TEAM: _("You may not manage the team of this alliance."),
    Action.RESTORE: _("You may not restore this alliance."),
    Action.ANSWER: _("You may not answer the assessments of this alliance."),
    Action.RUN_ASSESSMENT: _("You may not run the assessments of this alliance."),
    Action.RECORD_SIGNAL: _("You may not record sponsor signals on this alliance."),
    Action.MANAGE_SPONSORS: _("You may not manage the sponsors of this alliance."),
    Action.VIEW_SENSITIVE: _("You may not see the confidential notes of this alliance."),
    Action.PREPARE_BRIEF: _("You may not prepare a brief for this alliance."),
    Action.REQUEST_SIGNOFF: _("You may not request sign-off on this alliance."),
}

Role = Membership.Role

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.MANAGER: frozenset(Action),
    Role.CONTRIBUTOR: frozenset({Action.VIEW, Action.ANSWER, Action.RECORD_SIGNAL}),
    Role.EXECUTIVE: frozenset({Action.VIEW, Action.PREPARE_BRIEF}),
    Role.VIEWER: frozenset({Action.VIEW}),
}
# Signed-in users outside the team may read an open alliance, nothing more.
OUTSIDER_ACTIONS = frozenset({Action.VIEW})
# What is still allowed on an archived alliance.
ARCHIVED_ACTIONS = frozenset({Action.VIEW, Action.VIEW_SENSITIVE, Action.RESTORE})


def visible_alliances(user) -> QuerySet[Alliance]:
    """Alliances `user` may know exist, annotated with `my_role` (None outside the team)."""
    if not user.is_authenticated:
        return Alliance.objects.none()
    alliances = Alliance.objects.annotate(my_role=my_role_on("pk", user))
    if user.is_superuser:
        return alliances
    return alliances.filter(Q(is_confidential=False) | Exists(_my_membership("pk", user)))


def my_team_alliances(user, *, role: str | None = None) -> QuerySet[Alliance]:
    """The unarchived alliances of `user`'s teams (where their role is `role`, when
    given): where the "mine" lists of My work and the calendar start. A member sees
    their alliance, confidential or not, so this needs none of `visible_alliances`'
    subqueries."""
    if not user.is_authenticated:
        return Alliance.objects.none()
    memberships = {"memberships__user": user.pk}
    if role is not None:
        memberships["memberships__role"] = role
    return Alliance.objects.filter(is_archived=False, **memberships)


def _my_membership(alliance_ref: str, user) -> QuerySet[Membership]:
    """The user's membership of the alliance `alliance_ref` (an outer field) names.
    Unordered: there is one per user and alliance, and Membership's default order would
    join the alliance and user tables into every row's subquery."""
    return Membership.objects.filter(alliance=OuterRef(alliance_ref), user=user.pk).order_by()


def my_role_on(alliance_ref: str, user) -> Subquery:
    """The user's role on the alliance `alliance_ref` (an outer field) names, or None."""
    return Subquery(_my_membership(alliance_ref, user).values("role")[:1])


def visible_organisations(user) -> QuerySet[Organisation]:
    """Organisations `user` may know exist: ours, those in no alliance yet, and partners of
    at least one alliance they may see. A partner known only from confidential alliances
    outside the user's teams does not exist for them, like those alliances."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    any_alliance = Alliance.objects.filter(partner=OuterRef("pk"))
    seen_alliance = visible_alliances(user).filter(partner=OuterRef("pk"))
    return Organisation.objects.filter(
        Q(is_own=True) | ~Exists(any_alliance) | Exists(seen_alliance)
    )


def role_of(user, alliance: Alliance) -> str | None:
    """The user's team role on the alliance, using the `my_role` annotation when present."""
    if not user.is_authenticated:
        return None
    if hasattr(alliance, "my_role"):
        return alliance.my_role
    membership = alliance.memberships.filter(user=user).only("role").first()
    return membership.role if membership else None


def can_see(user, alliance: Alliance) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or not alliance.is_confidential or role_of(user, alliance) is not None


def can(user, action: Action, alliance: Alliance) -> bool:
    """Whether `user` may do `action` on `alliance`."""
    if not can_see(user, alliance):
        return False
    if user.is_superuser:
        allowed = frozenset(Action)
    else:
        role = role_of(user, alliance)
        allowed = ROLE_ACTIONS[role] if role else OUTSIDER_ACTIONS
    if alliance.is_archived:
        allowed = allowed & ARCHIVED_ACTIONS
    elif action == Action.RESTORE:
        return False
    return action in allowed


def allowed_actions(user, alliance: Alliance) -> frozenset[Action]:
    """Every action the user may take, for templates that show or hide buttons."""
    return frozenset(action for action in Action if can(user, action, alliance))


def ensure_can(user, action: Action, alliance: Alliance) -> None:
    """Raise PermissionDenied, with a sentence a user can read, unless `can`."""
    if not can(user, action, alliance):
        raise PermissionDenied(REFUSALS[action])


def get_alliance(user, slug: str, action: Action = Action.VIEW) -> Alliance:
    """The alliance for a view: 404 when the user may not know it exists, 403 when
    they may see it but not do `action`."""
    # The visibility rule in Python (`can_see`, the same as visible_alliances'): as a
    # subquery in the filter it cost more to build than the query took to run, on
    # every page of an alliance. Unordered and unsliced: the slug is unique, and
    # first()'s ordering by id cost a tenth of the lookup.
    found = (
        Alliance.objects.select_related("partner")
        .annotate(my_role=my_role_on("pk", user))
        .filter(slug=slug)
        .order_by()
    )
    alliance = next(iter(found), None)
    if alliance is None or not can_see(user, alliance):
        raise Http404(_("No such alliance."))
    ensure_can(user, action, alliance)
    return alliance


def in_group(user, group_name: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or group_name in _group_names(user)


def group_flags() -> dict:
    """Query expressions for a User queryset: whether the user is in each of GROUP_FLAGS'
    groups. The signed-in user comes with them, so the navbar's checks need no query."""
    return {
        flag: Exists(Group.objects.filter(user=OuterRef("pk"), name=name))
        for name, flag in GROUP_FLAGS.items()
    }


def _group_names(user) -> frozenset[str]:
    """The user's groups among GROUP_FLAGS' (the only ones asked about), from the flags
    the user was loaded with, or else read once per user object (a request's user lives
    for one request), so several checks on one page cost one query at most."""
    names = getattr(user, "_group_names", None)
    if names is None:
        if all(hasattr(user, flag) for flag in GROUP_FLAGS.values()):
            names = frozenset(name for name, flag in GROUP_FLAGS.items() if getattr(user, flag))
        else:
            names = frozenset(
                user.groups.filter(name__in=GROUP_FLAGS).values_list("name", flat=True)
            )
        user._group_names = names
    return names


def can_register_alliances(user) -> bool:
    """Alliance managers create alliances and partner organisations."""
    return in_group(user, MANAGERS_GROUP)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Superusers; managers of an alliance with this partner; and, until it becomes
    some alliance's partner, the manager who registered it (to mend a typo). Nobody
    else, so a manager cannot rename the partner of an alliance they do not run."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if organisation.is_own or not can_register_alliances(user):
        return False
    managed = Membership.objects.filter(
        user=user, role=Membership.Role.MANAGER, alliance__partner=organisation
    )
    if managed.exists():
        return True
    unused = not organisation.alliances.exists()
    return unused and organisation.created_by_id == user.pk


def can_see_portfolio(user) -> bool:
    """The portfolio (every alliance the user may see, at a glance, and its export) is for
    alliance managers and executives: by group, or by a manager or executive role on some
    alliance team. Remembered on the user for the rest of the request."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or _group_names(user) & {MANAGERS_GROUP, EXECUTIVES_GROUP}:
        return True
    cached = getattr(user, "_manages_or_sponsors", None)
    if cached is None:
        roles = [Membership.Role.MANAGER, Membership.Role.EXECUTIVE]
        cached = Membership.objects.filter(user_id=user.pk, role__in=roles).exists()
        user._manages_or_sponsors = cached
    return cached
