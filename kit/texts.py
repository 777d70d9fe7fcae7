"""Translation hook for the pure modules (scoring, decision, charts, sponsor health and
matching, the bank format): they import no Django, so they call `_` / `ngettext` (and
`format_date`) from here. They return the text unchanged until `set_translator` installs
real functions; `AlliancesConfig.ready()` installs Django's gettext, so the text follows
the active language. Messages stay literal calls (`_("… %(name)s …") % {...}`) so `makemessages`
extracts them; `gettext_noop` marks text kept untranslated in a table and translated
where it is shown (`_(TABLE[key])`).
"""

from collections.abc import Callable
from datetime import date


def _same(message: str) -> str:
    return message


def _same_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _day_month_year(day: date) -> str:
    return day.strftime("%d %b %Y")


_translate: Callable[[str], str] = _same
_translate_plural: Callable[[str, str, int], str] = _same_plural
_format_date: Callable[[date], str] = _day_month_year


def set_translator(
    gettext: Callable[[str], str] | None = None,
    ngettext: Callable[[str, str, int], str] | None = None,
    date_format: Callable[[date], str] | None = None,
) -> None:
    """Install the functions `_`, `ngettext` and `format_date` delegate to; None
    restores the default (the text unchanged, dates as "05 Mar 2026")."""
    global _translate, _translate_plural, _format_date
    _translate = gettext or _same
    _translate_plural = ngettext or _same_plural
    _format_date = date_format or _day_month_year


def _(message: str) -> str:
    """`message` in the active language (unchanged without a translator)."""
    return _translate(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return _translate_plural(singular, plural, n)


def format_date(day: date) -> str:
    """`day` as day, short month and year ("05 Mar 2026"), in the active language."""
    return _format_date(day)


def gettext_noop(message: str) -> str:
    """Marks `message` for extraction only; translate it with `_` where it is shown."""
    return message
