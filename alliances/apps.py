from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliance register")

    def ready(self):
        from alliances.params import IdConverter

        # Before any URLconf loads: every app's urls.py uses `<id:…>` for ids.
        register_converter(IdConverter, "id")
