"""Translation hook for the pure modules (scoring, decision, charts, sponsor health and
matching, the bank format): they import no Django, so they call `_` / `ngettext` (and
`format_date`) from here. They return the text unchanged until `set_translator` installs
real functions; `AlliancesConfig.ready()` installs Django's gettext, so the text follows
the active language. Messages stay literal calls (`_("… %(name)s …") % {...}`) so `makemessages`
extracts them; `gettext_noop` marks text kept untranslated in a table and translated
where it is shown (`_(TABLE[key])`).
"""

import json
from collections.abc import Callable
from datetime import date


def _same(message: str) -> str:
    return message


def _same_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _day_month_year(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


_translate: Callable[[str], str] = _same
_translate_plural: Callable[[str, str, int], str] = _same_plural
_format_date: Callable[[date], str] = _day_month_year


def set_translator(
    gettext: Callable[[str], str] | None = None,
    ngettext: Callable[[str, str, int], str] | None = None,
    date_format: Callable[[date], str] | None = None,
) -> None:
    """Install the functions `_`, `ngettext` and `format_date` delegate to; None
    restores the default (the text unchanged, dates as "5 Mar 2026")."""
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
    """`day` as day, short month and year in the active language's SHORT_DATE_FORMAT
    ("5 Mar 2026", "5. März 2026")."""
    return _format_date(day)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


_in_sentence: Callable[[str], str] = _lower_first


def set_in_sentence(function: Callable[[str], str] | None = None) -> None:
    """Install how a name is written inside a sentence (see `in_sentence`); None restores
    the English way (first letter lower-cased)."""
    global _in_sentence
    _in_sentence = function or _lower_first


def in_sentence(name: str) -> str:
    """A label ("Governance") as written inside a sentence of the active language: its
    first letter lower-cased in English ("how governance works"), unchanged in German,
    where it is a noun ("wie Governance funktioniert"). Only ever the first letter."""
    return _in_sentence(name)


def gettext_noop(message: str) -> str:
    """Marks `message` for extraction only; translate it with `_` where it is shown."""
    return message


_bank_words: Callable[[str], str] = _same


def set_bank_words(function: Callable[[str], str] | None = None) -> None:
    """Install how a bank's own words are put in the active language (banks/wording.py);
    None restores the words as the bank wrote them."""
    global _bank_words
    _bank_words = function or _same


def bank_words(text: str) -> str:
    """A question, dimension or bank name as its bank translates it into the active
    language, else as the bank wrote it. The decision's inputs keep the bank's own words
    (a stored record serves readers of every language); the words are put in the
    reader's language when a sentence quotes them."""
    return _bank_words(text) if text else text


def worded(message: str, params: dict, *, bank: tuple = (), sentence: tuple = ()) -> tuple:
    """`message` (marked with `gettext_noop`) filled with `params` in the active language,
    and the same as words to keep (JSON) that `say` fills again in another reader's
    language: the `bank` params are a bank's words (`bank_words`), the `sentence` ones
    are written as inside a sentence (`in_sentence`)."""
    kept = {"message": message, "params": params, "bank": list(bank), "sentence": list(sentence)}
    return say(kept), json.dumps(kept, sort_keys=True, ensure_ascii=False)


def say(words: dict | str) -> str:
    """Words kept by `worded` (the dict or its JSON), in the active language."""
    if isinstance(words, str):
        words = json.loads(words)
    params = dict(words.get("params") or {})
    for name in words.get("bank") or ():
        params[name] = bank_words(params[name])
    for name in words.get("sentence") or ():
        params[name] = in_sentence(params[name])
    return _(words["message"]) % params
