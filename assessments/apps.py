from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from alliances import pages
        from alliances.signals import decision_inputs_changed
        from assessments import alliance_pages, conditions, events, my_work, round_reminders
        from assessments.groups import ensure_groups
        from notifications.reminders import daily_jobs

        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="assessments.groups")
        decision_inputs_changed.connect(
            events.on_decision_inputs_changed, dispatch_uid="assessments.decision_recheck"
        )
        pages.dashboard_contributors.add(alliance_pages.dashboard)
        pages.alliance_list_contributors.add(alliance_pages.alliance_list)
        pages.alliance_page_contributors.add(alliance_pages.alliance_page)
        for contributor in (
            round_reminders.my_reassessments,
            my_work.my_work,
            conditions.my_conditions,
        ):
            pages.my_work_contributors.add(contributor)
        for job in (
            round_reminders.reassessment_due_job,
            events.decisions_daily,
            conditions.remind_condition_owners,
        ):
            daily_jobs.add(job)
