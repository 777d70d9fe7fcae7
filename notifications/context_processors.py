"""The bell's unread count on every page, only when a page shows it (the signed-in user
comes with it: accounts/backends.py)."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": SimpleLazyObject(lambda: unread_count(user))}
