from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from alliances import pages
        from assessments import alliance_pages, conditions, round_reminders
        from notifications.reminders import daily_jobs

        pages.alliance_list_contributors.add(alliance_pages.alliance_list)
        for job in (
            round_reminders.reassessment_due_job,
            conditions.remind_condition_owners,
        ):
            daily_jobs.add(job)
