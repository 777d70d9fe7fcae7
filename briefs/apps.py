from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    name = "briefs"
    verbose_name = _("Executive briefs")

    def ready(self):
        from alliances import pages
        from briefs import my_work

        pages.my_work_contributors.add(my_work.my_work)
