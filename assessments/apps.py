from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from alliances import pages
        from assessments import alliance_pages

        if alliance_pages.dashboard not in pages.dashboard_contributors:
            pages.dashboard_contributors.append(alliance_pages.dashboard)
        if alliance_pages.alliance_page not in pages.alliance_page_contributors:
            pages.alliance_page_contributors.append(alliance_pages.alliance_page)
