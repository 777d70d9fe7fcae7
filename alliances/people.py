"""How people are named on pages and in messages: by their name, not their login."""

from django.utils import translation


def display_name(user) -> str:
    """The user's full name, or their username when no name is recorded."""
    return user.get_full_name() or user.get_username()


# The people picker: who a user may pick, and the search behind search-as-you-type.
# It never lists anyone outside the candidates a form allows, needs at least
# `MIN_QUERY` characters and returns at most `MAX_RESULTS` people, so it cannot be used
# to walk the user table.
MIN_QUERY = 2
MAX_RESULTS = 10


def team_people(alliance, roles=None):
    """Active members of the alliance's team (optionally of some roles only)."""
    from django.contrib.auth import get_user_model

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
    from alliances.access import ROLE_ACTIONS, Action

    return team_people(
        alliance, [role for role, acts in ROLE_ACTIONS.items() if Action.ANSWER in acts]
    )


def active_people():
    """Everyone who may be added to a team (everyone with an account here works for us)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True)


def colleagues_to_add(alliance):
    """Active people of the organisation not yet on the alliance's team: whom a manager
    may add (everyone with an account here works for us)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk__in=alliance.memberships.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )


def search_people(candidates, query: str) -> list:
    """Candidates whose name contains each word typed, or whose username or e-mail starts
    with it; [] under `MIN_QUERY` characters; at most `MAX_RESULTS`, by name."""
    from django.db.models import Q

    words = query.split()
    if len("".join(words)) < MIN_QUERY or len(query) > 254:
        return []
    match = Q()
    for word in words[:5]:
        match &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__istartswith=word)
            | Q(email__istartswith=word)
        )
    return list(candidates.filter(match)[:MAX_RESULTS])


def preferred_language(user) -> str:
    """The language `user` chose for pages, e-mails and briefs (their profile's, when the
    accounts app keeps one), as one of settings.LANGUAGES; "" when none is known. Read
    through the relation, so the apps need not import `accounts`."""
    profile = getattr(user, "profile", None)  # None when the user has no profile row
    code = getattr(profile, "language", "") or ""
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""
