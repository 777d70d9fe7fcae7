"""How people are named on pages and in messages (by their name, not their login), how
one is found by what was typed, and the language they read."""

from django.contrib.auth import get_user_model
from django.db.models import Q
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


def active_people():
    """Everyone who may be added to a team (everyone with an account here works for us)."""
    return get_user_model().objects.filter(is_active=True)


def search_people(candidates, query: str) -> list:
    """Candidates whose name contains each word typed, or whose username or e-mail starts
    with it; [] under `MIN_QUERY` characters; at most `MAX_RESULTS`, by name."""
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
