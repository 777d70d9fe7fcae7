from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from django.db.models.signals import post_delete

        from alliances.models import Membership
        from kit import mail
        from notifications import receivers, selectors, services

        # The mail path (kit/mail.py): every room queues its e-mails through these.
        mail.mail_queues.add(services.mail_queue)
        mail.mail_state_readers.add(selectors.mail_states)

        # Whoever removes a member (the team page, the admin, a script), their unread
        # notifications of that alliance go with them.
        post_delete.connect(
            receivers.membership_removed, sender=Membership, dispatch_uid="notifications-removed"
        )
