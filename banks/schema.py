"""What a question bank file holds (YAML, format 1, see README.md beside this module): the
format's rules and the plain dataclasses a bank is read into and written from.

Pure: no Django, no ORM. `parse`, `check`, `export`, `diff` and `excel` share these; the
models import the patterns and the default language from here (a test keeps them in step).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kit.texts import _, gettext_noop

FORMAT = 1
MAX_VERSION_NUMBER = 1_000_000

# The one definition of these rules; the models import them (a test keeps them in step).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
KEY_PATTERN = r"^[A-Z]{1,4}[0-9]{1,4}$"
SLUG_RE = re.compile(SLUG_PATTERN)
KEY_RE = re.compile(KEY_PATTERN)
SLUG_MAX, NAME_MAX, QUESTION_TEXT_MAX, LABEL_MAX = 80, 200, 500, 500
LONG_TEXT_MAX = 4000  # a bank's description, a version's notes, a question's help
DIMENSION_DESCRIPTION_MAX = 2000
BANK_KINDS = ("strategic_fit", "partner_selection", "sponsor_readiness", "mutual_fit", "custom")
GO_DEFAULT, NO_GO_DEFAULT, GAP_DEFAULT = 70, 50, 50  # the thresholds when a file gives none
PERCEPTION_GAP_DEFAULT = 20  # points between our score and the partner's on a dimension
QUESTION_KINDS = ("scale", "choice", "yes_no", "text")
STATUSES = ("draft", "published")  # retired only happens by publishing a newer version
YES_NO = (("Yes", 100), ("No", 0))
LEVEL_POINTS = 25  # level n of the anchored 0–4 scale scores n × 25 (the one definition)
LEVELS = 5  # the anchored scale: level n scores n × LEVEL_POINTS
# Translations of a bank's wording: language codes such as de or pt-br, a few per bank.
DEFAULT_LANGUAGE = "en"
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")
MAX_LANGUAGES = 20

# The fields of a question in a file, in the order they are written.
QUESTION_FIELDS = [
    "key",
    "text",
    "help",
    "kind",
    "weight",
    "required",
    "allows_na",
    "allows_dont_know",
    "knockout_level",
    "levels",
    "choices",
    "translations",
]

# The anchors a new scale question starts with (editable): level n scores n × LEVEL_POINTS.
# Stored in the active language (the bank admin's) when a question gets them.
DEFAULT_LEVEL_LABELS = (
    gettext_noop("No evidence, or evidence to the contrary"),
    gettext_noop("Weak evidence"),
    gettext_noop("Partly evidenced"),
    gettext_noop("Largely evidenced"),
    gettext_noop("Fully evidenced"),
)

# Translations, everywhere: {language: {field: text}}, e.g. {"de": {"text": "…"}}; the
# fields themselves hold the wording in the bank's own language.
Translations = dict[str, dict[str, str]]


@dataclass
class ChoiceData:
    label: str
    score: int
    translations: Translations = field(default_factory=dict)  # {"de": {"label": …}}


@dataclass
class QuestionData:
    key: str
    text: str
    help: str = ""
    kind: str = "scale"
    weight: int = 1
    required: bool = True
    allows_na: bool = False
    allows_dont_know: bool = True
    knockout_level: int | None = None
    choices: list[ChoiceData] = field(default_factory=list)
    translations: Translations = field(default_factory=dict)  # {"de": {"text", "help"}}


@dataclass
class DimensionData:
    name: str
    description: str
    weight: int
    questions: list[QuestionData]
    translations: Translations = field(default_factory=dict)  # {"de": {"name", "description"}}


@dataclass
class BankData:
    slug: str
    name: str
    kind: str
    description: str
    number: int
    status: str
    notes: str
    go: int
    no_go: int
    gap: int
    dimensions: list[DimensionData]
    # Two-sided (mutual fit) banks: a dimension where the sides differ by more than this
    # is a perception gap; `perception_gaps_decide` lets such gaps turn a GO into a GO
    # WITH CONDITIONS (by default they are conditions that leave the verdict alone).
    perception_gap: int = PERCEPTION_GAP_DEFAULT
    perception_gaps_decide: bool = False
    language: str = DEFAULT_LANGUAGE  # the language of the wording in the fields
    translations: Translations = field(default_factory=dict)  # {"de": {"name", "description"}}


def default_scale_choices() -> list[ChoiceData]:
    """The five default anchors of a scale question: 0, 25, 50, 75, 100 with their labels."""
    return [ChoiceData(_(label), n * LEVEL_POINTS) for n, label in enumerate(DEFAULT_LEVEL_LABELS)]
