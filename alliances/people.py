"""How people are named on pages and in messages: by their name, not their login."""

from django.utils import translation


def display_name(user) -> str:
    """The user's full name, or their username when no name is recorded."""
    return user.get_full_name() or user.get_username()


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
