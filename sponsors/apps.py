from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SponsorsConfig(AppConfig):
    name = "sponsors"
    verbose_name = _("Executive sponsors")

    def ready(self):
        from alliances import pages
        from notifications.reminders import register_daily
        from sponsors import my_work

        if my_work.my_work not in pages.my_work_contributors:
            pages.my_work_contributors.append(my_work.my_work)
        register_daily(my_work.remind_overdue_signals)
