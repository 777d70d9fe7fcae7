"""The bell's unread count on every page: one indexed COUNT, only when a page shows it."""

from django.utils.functional import SimpleLazyObject


def _unread(user) -> int:
    from notifications.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": SimpleLazyObject(lambda: _unread(user))}
