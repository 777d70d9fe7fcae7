from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Governance meetings (steering committees, QBRs) and their action items: above
    sign-off (the agenda reads the decision's conditions) and below the brief (it lists
    the last meeting's decisions)."""

    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from alliances import pages
        from meetings import alliance_pages, reminders
        from notifications.reminders import daily_jobs

        pages.alliance_page_contributors.add(alliance_pages.alliance_page)
        daily_jobs.add(reminders.remind_action_owners)
