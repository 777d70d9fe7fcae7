from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("Alliance register")

    def ready(self):
        from django.utils.formats import date_format
        from django.utils.translation import gettext, ngettext

        from alliances import texts
        from alliances.exports import SheetFormatConverter
        from alliances.params import IdConverter

        # Before any URLconf loads: every app's urls.py uses `<id:…>` for ids.
        register_converter(IdConverter, "id")
        # `<sheet:fmt>`: a download as xlsx or csv (alliances/exports.py).
        register_converter(SheetFormatConverter, "sheet")
        # The pure modules' text follows the active language from here on.
        texts.set_translator(gettext, ngettext, lambda day: date_format(day, "d M Y"))
