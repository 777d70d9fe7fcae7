from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from alliances import pages
        from assessments import alliance_pages, conditions, round_reminders
        from assessments.evidence_targets import ANSWER, FINDING
        from assessments.partner import alliance_panel
        from assessments.partner import reminders as partner_reminders
        from evidence.targets import target_kinds
        from notifications.reminders import daily_jobs

        target_kinds.add(ANSWER)
        target_kinds.add(FINDING)

        pages.alliance_list_contributors.add(alliance_pages.alliance_list)
        pages.alliance_page_contributors.add(alliance_panel.alliance_page)
        for job in (
            round_reminders.reassessment_due_job,
            conditions.remind_condition_owners,
            partner_reminders.remind_partner_contacts,
        ):
            daily_jobs.add(job)
