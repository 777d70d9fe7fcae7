"""The bell's unread count on every page: one COUNT on the `notification_unread` index,
only when a page shows it."""

from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def _unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": SimpleLazyObject(lambda: _unread_count(user))}
