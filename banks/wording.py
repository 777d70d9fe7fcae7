"""The banks' own words in the reader's language, for sentences that quote them away
from their bank: the decision's reasons and conditions name a question, a dimension or
a bank ("Close the gap on P6 (Compatibility): …"). The decision's inputs, stored in its
record and read by readers of every language, keep the words as the bank wrote them;
the pure rules put them in the reader's language through `kit.texts.bank_words`, which
BanksConfig.ready() points here.

One dictionary per language, from the bank wording to its translation, over the
released versions (which never change) and the banks' names: kept in the shared cache
until a bank or version is saved, and read once per read-only request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from banks.models import (
    BankVersion,
    Choice,
    Dimension,
    Question,
    QuestionBank,
    base_language,
    translated,
)
from banks.schema import DEFAULT_LANGUAGE
from kit.memo import per_request

CACHE_KEY = "bank-wording:{language}"

# The field each model translates that sentences quote.
QUOTED = ((QuestionBank, "name"), (Dimension, "name"), (Question, "text"), (Choice, "label"))


def _released(model):
    released = BankVersion.Status.PUBLISHED, BankVersion.Status.RETIRED
    path = {
        Dimension: "version__status__in",
        Question: "dimension__version__status__in",
        Choice: "question__dimension__version__status__in",
    }.get(model)
    rows = model.objects.exclude(translations={})
    return rows.filter(**{path: released}) if path else rows


def _build(language: str) -> dict[str, str]:
    words: dict[str, str] = {}
    for model, name in QUOTED:
        for own, translations in _released(model).values_list(name, "translations"):
            text = translated(translations, language, name)
            if text and own:
                words.setdefault(own, text)
                words.setdefault(own.strip().rstrip("."), text.strip().rstrip("."))
    return words


@per_request
def wording(language: str) -> dict[str, str]:
    """{bank wording: its translation into `language` (a base code, "de")}."""
    if not language:
        return {}
    return cache.get_or_set(CACHE_KEY.format(language=language), lambda: _build(language), None)


def in_active_language(text: str) -> str:
    """`text` as the banks translate it into the active language, else unchanged. A
    reader of the banks' default language (English) reads their words as written, with
    no lookup (a bank written in another language keeps its words in these sentences)."""
    language = base_language(translation.get_language())
    if language in ("", DEFAULT_LANGUAGE):
        return text
    return wording(language).get(text, text)


def forget(**kwargs) -> None:
    """A bank or one of its versions changed: read the words afresh once it commits."""
    keys = [CACHE_KEY.format(language=base_language(code)) for code, _name in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys))
