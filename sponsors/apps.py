from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SponsorsConfig(AppConfig):
    name = "sponsors"
    verbose_name = _("Executive sponsors")

    def ready(self):
        from evidence.targets import target_kinds
        from notifications.reminders import daily_jobs
        from sponsors import my_work
        from sponsors.evidence_targets import SIGNAL

        daily_jobs.add(my_work.remind_overdue_signals)
        target_kinds.add(SIGNAL)
