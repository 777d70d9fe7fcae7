"""Signal receivers connected in NotificationsConfig.ready()."""

from notifications.models import Notification


def membership_removed(sender, instance, **kwargs):
    Notification.objects.filter(
        recipient_id=instance.user_id, alliance_id=instance.alliance_id, read_at__isnull=True
    ).delete()
