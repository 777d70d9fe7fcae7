from django.apps import AppConfig
from django.urls import register_converter
from django.utils import translation


def in_sentence(name: str) -> str:
    """A label inside a sentence: first letter lower-cased only in English (German nouns
    keep their capital); kit.texts.in_sentence."""
    language = translation.get_language() or ""
    return name[:1].lower() + name[1:] if language.startswith("en") else name


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
        texts.set_translator(gettext, ngettext, lambda day: date_format(day, "SHORT_DATE_FORMAT"))
        texts.set_in_sentence(in_sentence)
