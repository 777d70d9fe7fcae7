from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from kit.events import subscribers
        from notifications.reminders import daily_jobs
        from webhooks import receivers

        subscribers.add(receivers.on_event)
        daily_jobs.add(receivers.requeue_daily)
