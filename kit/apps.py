from django.apps import AppConfig
from django.urls import register_converter


class KitConfig(AppConfig):
    """No models: installed so the URL converters and the pure modules' translator are
    in place before any app's URLconf or page is read."""

    name = "kit"
    verbose_name = "Shared kit"

    def ready(self):
        from django.utils.formats import date_format
        from django.utils.translation import gettext, ngettext

        from kit import texts
        from kit.params import IdConverter
        from kit.spreadsheets import SheetFormatConverter

        # Before any URLconf loads: every app's urls.py uses `<id:…>` for ids.
        register_converter(IdConverter, "id")
        # `<sheet:fmt>`: a download as xlsx or csv (kit/spreadsheets.py).
        register_converter(SheetFormatConverter, "sheet")
        # The pure modules' text follows the active language from here on.
        texts.set_translator(gettext, ngettext, lambda day: date_format(day, "d M Y"))
