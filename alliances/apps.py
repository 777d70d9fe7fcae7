from django.apps import AppConfig
from django.urls import register_converter


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = "Alliance register"

    def ready(self):
        from alliances.exports import SheetFormatConverter
        from alliances.params import IdConverter

        # Before any URLconf loads: every app's urls.py uses `<id:…>` for ids.
        register_converter(IdConverter, "id")
        # `<sheet:fmt>`: a download as xlsx or csv (alliances/exports.py).
        register_converter(SheetFormatConverter, "sheet")
