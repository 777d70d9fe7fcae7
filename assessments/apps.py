from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from alliances import pages
        from assessments.groups import ensure_groups

        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="assessments.groups")
        from alliances.signals import decision_inputs_changed
        from assessments import alliance_pages, conditions, events, my_work, round_reminders
        from notifications.reminders import register_daily

        register_daily(round_reminders.reassessment_due_job)
        if round_reminders.my_reassessments not in pages.my_work_contributors:
            pages.my_work_contributors.append(round_reminders.my_reassessments)

        if alliance_pages.dashboard not in pages.dashboard_contributors:
            pages.dashboard_contributors.append(alliance_pages.dashboard)
        if alliance_pages.alliance_list not in pages.alliance_list_contributors:
            pages.alliance_list_contributors.append(alliance_pages.alliance_list)
        if alliance_pages.alliance_page not in pages.alliance_page_contributors:
            pages.alliance_page_contributors.append(alliance_pages.alliance_page)
        if my_work.my_work not in pages.my_work_contributors:
            pages.my_work_contributors.append(my_work.my_work)
        register_daily(events.decisions_daily)
        decision_inputs_changed.connect(
            events.on_decision_inputs_changed, dispatch_uid="assessments.decision_recheck"
        )
        if conditions.my_conditions not in pages.my_work_contributors:
            pages.my_work_contributors.append(conditions.my_conditions)
        register_daily(conditions.remind_condition_owners)
