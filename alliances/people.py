"""Who is on an alliance's team, and whom a manager may add or make an assessor."""

from django.contrib.auth import get_user_model

from alliances.access import ROLE_ACTIONS, Action


def team_people(alliance, roles=None):
    """Active members of the alliance's team (optionally of some roles only)."""
    memberships = alliance.memberships.all()
    if roles:
        memberships = memberships.filter(role__in=roles)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=memberships.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )


def answering_people(alliance):
    """Team members whose role lets them fill in assessments: whom a manager may make
    an assessor."""
    return team_people(
        alliance, [role for role, acts in ROLE_ACTIONS.items() if Action.ANSWER in acts]
    )


def colleagues_to_add(alliance):
    """Active people of the organisation not yet on the alliance's team: whom a manager
    may add (everyone with an account here works for us)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk__in=alliance.memberships.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )
