from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from django.db.models.signals import post_delete

        from alliances.models import Membership
        from notifications import receivers

        # Whoever removes a member (the team page, the admin, a script), their unread
        # notifications of that alliance go with them.
        post_delete.connect(
            receivers.membership_removed, sender=Membership, dispatch_uid="notifications-removed"
        )
