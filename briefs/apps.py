from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = _("Executive briefs")

    def ready(self):
        from alliances import pages
        from briefs import my_work

        if my_work.my_work not in pages.my_work_contributors:
            pages.my_work_contributors.append(my_work.my_work)
