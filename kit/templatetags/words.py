"""Template filters for words inside sentences, installed as a builtin (settings
TEMPLATES "builtins"), so every template has them without `{% load %}`.

`in_sentence` replaces `|lower` on a label put inside a sentence ("stage {{ stage }}"):
lower-casing a German label breaks its nouns ("Phase laufender betrieb"), so only English
lower-cases the first letter (kit.apps.in_sentence).
"""

from django import template
from django.utils.translation import gettext

from kit.texts import bank_words as _bank_words
from kit.texts import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(value) -> str:
    """`value` as written inside a sentence of the active language."""
    return _in_sentence(str(value)) if value not in (None, "") else ""


# The decision's verdict tokens (decisions.rules.Verdict values), stored as they are in
# records, requests and briefs; each is also the msgid of its label.
VERDICTS = frozenset({"GO", "GO WITH CONDITIONS", "NO-GO", "INCOMPLETE"})


@register.filter
def verdict(value) -> str:
    """A verdict token ("GO WITH CONDITIONS") in the active language ("GO MIT
    BEDINGUNGEN"); anything else unchanged."""
    token = str(value) if value is not None else ""
    return gettext(token) if token in VERDICTS else token


@register.filter
def bank_words(value) -> str:
    """A question, dimension, choice or bank name carried away from its bank (a score's
    rows, a finding, a perception gap) as the bank translates it into the active
    language (kit.texts.bank_words), else as written."""
    return _bank_words(str(value)) if value not in (None, "") else ""
