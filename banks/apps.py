from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BanksConfig(AppConfig):
    name = "banks"
    verbose_name = _("Question banks")

    def ready(self):
        from banks.groups import ensure_groups

        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="banks.groups")
