"""The sections (dimensions with their questions and choices) of a bank version, worded
in the reader's language, read once per process for a released version.

A version that has left draft never changes: its dimensions, questions and choices
refuse every save and delete (models.ensure_draft). The fill page shows one section of
one on every visit, and used to read the same rows each time (3 queries and some 60
model instances for a 10-question section). Each process now reads a released version
once per language and keeps it (least recently used first out); drafts are read afresh.
The kept instances are shared: callers copy what they annotate (`copy(question)`).
"""

from __future__ import annotations

from collections import defaultdict
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.utils import translation

from banks.models import BankVersion, Choice, Dimension, Question, in_language

# What a bank may translate, per model (the file's `translations`, assessments/banks).
TRANSLATED_FIELDS = {
    Dimension: ("name", "description"),
    Question: ("text", "help"),
    Choice: ("label",),
}

# Versions a process keeps: a few banks with a version or two each in use, in a few
# languages. A section of 40 questions is some 200 instances.
KEPT_VERSIONS = 64


@dataclass(frozen=True)
class Section:
    """One dimension and its questions in order, each question with its `choice_list`
    (in order) and `form_prefix` (the AnswerForm prefix)."""

    dimension: Dimension
    questions: tuple[Question, ...]


def localised(objects, language: str | None = None) -> list:
    """`objects` (dimensions, questions or choices of a bank) worded in `language` (default:
    the active one) where their bank translates them, else as the bank wrote them. For
    display only: the rows belong to a published version, which refuses any save."""
    objects = list(objects)
    for obj in objects:
        for name in TRANSLATED_FIELDS[type(obj)]:
            setattr(obj, name, in_language(obj, name, language))
    return objects


def version_sections(version: BankVersion) -> tuple[Section, ...]:
    """The version's sections in order, worded in the active language (3 queries for a
    draft, none for a released version this process has read in this language)."""
    language = translation.get_language()
    if version.status == BankVersion.Status.DRAFT:
        return _read(version.pk, language)
    return _released(version.pk, version.created_at, language)


def section_positions(version: BankVersion) -> dict[int, int]:
    """Each dimension's position (from 1) by its id: the `?d=` of its fill page."""
    sections = version_sections(version)
    return {s.dimension.pk: position for position, s in enumerate(sections, start=1)}


def section_question(version: BankVersion, question_id: int) -> Question | None:
    """A copy of the version's question `question_id` with its choices and its dimension,
    or None when the version has no such question."""
    for section in version_sections(version):
        for question in section.questions:
            if question.pk == question_id:
                question = copy(question)
                question.dimension = section.dimension
                return question
    return None


@lru_cache(maxsize=KEPT_VERSIONS)
def _released(version_id: int, created_at: datetime, language: str) -> tuple[Section, ...]:
    # `created_at` tells apart two versions that had the same primary key (only a test
    # database, rolled back between tests, gives one out twice).
    return _read(version_id, language)


def _read(version_id: int, language: str) -> tuple[Section, ...]:
    dimensions = localised(
        Dimension.objects.filter(version_id=version_id).order_by("order", "pk"), language
    )
    # Explicit orders: the models' default orders would join the dimension and question
    # tables to sort rows that are grouped here anyway.
    choices = defaultdict(list)
    for choice in localised(
        Choice.objects.filter(question__dimension__version_id=version_id).order_by("order", "pk"),
        language,
    ):
        choices[choice.question_id].append(choice)
    questions = defaultdict(list)
    for question in localised(
        Question.objects.filter(dimension__version_id=version_id).order_by("order", "pk"),
        language,
    ):
        question.choice_list = tuple(choices[question.pk])
        question.form_prefix = f"q{question.pk}"
        questions[question.dimension_id].append(question)
    return tuple(Section(d, tuple(questions[d.pk])) for d in dimensions)
