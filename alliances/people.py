"""How people are named on pages and in messages: by their name, not their login."""


def display_name(user) -> str:
    """The user's full name, or their username when no name is recorded."""
    return user.get_full_name() or user.get_username()
