"""Question banks: versioned, immutable once published.

A published bank version never changes: assessments pin the version they were
started on, so editing a bank (which makes a new draft version) never changes
a past score. `save()` and `delete()` refuse to touch a published or retired
version or anything inside it; the admin shows such versions read-only.

The tables keep the names they had in `assessments`, where these models lived first.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from banks.schema import DEFAULT_LANGUAGE, KEY_PATTERN, LEVEL_POINTS, SLUG_PATTERN
from kit.texts import in_sentence

KEY_VALIDATOR = RegexValidator(
    KEY_PATTERN, _("A key is one to four capital letters and a number, such as S1.")
)
SLUG_VALIDATOR = RegexValidator(
    SLUG_PATTERN, _("Use lowercase letters, digits and hyphens only, such as strategic-fit.")
)

# Which text fields hold what people type (tests/test_xss_sweep.py poisons them), which not.
USER_TEXT = {
    "QuestionBank": ("name", "description", "translations"),
    "BankVersion": ("notes",),
    "Dimension": ("name", "description", "translations"),
    "Question": ("text", "help", "translations"),
    "Choice": ("label", "translations"),
}
NOT_USER_TEXT = {
    "QuestionBank": ("slug", "language"),
    "Question": ("key",),
}


def translations_field():
    """{language: {field: text}}, from the bank file's `translations` (assessments/banks)."""
    return models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        help_text=_("The wording in other languages, from the bank file."),
    )


def in_language(obj, name: str, language: str | None = None) -> str:
    """`obj.<name>` in `language` (default: the active one) when the bank translates it,
    else as the bank wrote it: a translation for "de" serves "de-at" too."""
    language = (language or translation.get_language() or "").lower()
    for code in (language, base_language(language)):
        text = translated(obj.translations, code, name)
        if text:
            return text
    return getattr(obj, name)


def base_language(language: str | None) -> str:
    """ "de" for "de-at" (and "de"): a bank's translation serves every variant."""
    return (language or "").lower().split("-")[0]


def translated(translations, language: str, name: str) -> str:
    """The `name` text of `language` in a `translations` value, or "": whatever the JSON
    holds (the admin's field takes any JSON), a page never fails on it."""
    entry = translations.get(language) if isinstance(translations, dict) else None
    text = entry.get(name) if isinstance(entry, dict) else None
    return text if isinstance(text, str) else ""


class LockedVersionError(ValidationError):
    """Raised when code tries to change a published or retired bank version."""


class QuestionBank(models.Model):
    class Kind(models.TextChoices):
        STRATEGIC_FIT = "strategic_fit", _("Strategic fit")
        PARTNER_SELECTION = "partner_selection", _("Partner selection")
        SPONSOR_READINESS = "sponsor_readiness", _("Sponsor readiness")
        MUTUAL_FIT = "mutual_fit", _("Mutual fit (two-sided)")
        CUSTOM = "custom", _("Custom")

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[SLUG_VALIDATOR],
        help_text=_("Stable identifier, e.g. strategic-fit."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        help_text=_(
            "Which part of the decision its assessments feed; fixed once a version is published."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        default=DEFAULT_LANGUAGE,
        help_text=_("The language the bank's wording is written in."),
    )
    translations = translations_field()

    history = HistoricalRecords(table_name="assessments_historicalquestionbank")

    class Meta:
        db_table = "assessments_questionbank"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The decision picks assessments by their bank's kind: changing it would
        # silently rewrite past decisions.
        self._ensure_kind_kept()
        super().save(*args, **kwargs)

    def clean(self):
        self._ensure_kind_kept()

    def _ensure_kind_kept(self):
        if self.pk is None:
            return
        stored = type(self).objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        if stored is None or stored == self.kind:
            return
        if self.versions.exclude(status=BankVersion.Status.DRAFT).exists():
            # Not tied to the field: the forms that could change it (the admin's history
            # revert) do not show the kind once a version is published.
            raise ValidationError(
                _("A version of this bank is published: its kind can no longer change.")
            )

    @property
    def name_shown(self) -> str:
        """The bank's name in the reader's language (its translation, else its own)."""
        return in_language(self, "name")


class BankVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    bank = models.ForeignKey(
        QuestionBank, on_delete=models.CASCADE, related_name="versions", verbose_name=_("bank")
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    go_threshold = models.PositiveSmallIntegerField(
        _("GO at or above"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("Overall score (0–100) at or above which the assessment supports a GO."),
    )
    no_go_threshold = models.PositiveSmallIntegerField(
        _("NO-GO below"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("Overall score (0–100) below which the assessment means NO-GO."),
    )
    gap_threshold = models.PositiveSmallIntegerField(
        _("gap below"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("A question scoring below this is reported as a gap."),
    )
    perception_gap_threshold = models.PositiveSmallIntegerField(
        _("perception gap above"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Two-sided assessments: a dimension where our score and the partner's differ by "
            "more than this many points is a perception gap."
        ),
    )
    perception_gaps_decide = models.BooleanField(
        _("perception gaps change the verdict"),
        default=False,
        help_text=_(
            "Off: perception gaps are listed as conditions but never change the verdict. "
            "On: a perception gap turns a GO into a GO WITH CONDITIONS."
        ),
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What changed in this version and why.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    history = HistoricalRecords(table_name="assessments_historicalbankversion")

    class Meta:
        db_table = "assessments_bankversion"
        ordering = ["bank", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="one_version_number_per_bank"),
            models.UniqueConstraint(
                fields=["bank"],
                condition=models.Q(status="published"),
                name="one_published_version_per_bank",
            ),
        ]

    def __str__(self):
        return f"{self.bank.name} v{self.number} ({in_sentence(self.get_status_display())})"

    def save(self, *args, **kwargs):
        self._ensure_unlocked()
        super().save(*args, **kwargs)

    def clean(self):
        # A form that changes a locked version (the admin's history form reverting a
        # published one) says so instead of failing at save(); the bank's page, which
        # shows its versions unchanged, still saves.
        stored = self._stored()
        if stored and self._changed_fields(stored):
            self._ensure_unlocked(stored)

    def _stored(self):
        return type(self).objects.filter(pk=self.pk).first() if self.pk else None

    def _ensure_unlocked(self, stored=None):
        stored = stored or self._stored()
        if stored and stored.status != self.Status.DRAFT and not self._is_retirement(stored):
            raise LockedVersionError(
                _("%(version)s is locked: make a new draft from it to change the bank.")
                % {"version": stored}
            )

    def _changed_fields(self, stored) -> set[str]:
        fields = (f.attname for f in self._meta.concrete_fields)
        return {name for name in fields if getattr(stored, name) != getattr(self, name)}

    def _is_retirement(self, stored) -> bool:
        """Publishing a newer version retires this one: the only change a published one takes."""
        if (stored.status, self.status) != (self.Status.PUBLISHED, self.Status.RETIRED):
            return False
        return self._changed_fields(stored) == {"status"}

    def delete(self, *args, **kwargs):
        ensure_draft(self)
        return super().delete(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.bank.name} v{self.number}"


def ensure_draft(version: BankVersion) -> None:
    if version.status != BankVersion.Status.DRAFT:
        raise LockedVersionError(
            _("%(version)s is locked: make a new draft from it to change the bank.")
            % {"version": version}
        )


class Dimension(models.Model):
    version = models.ForeignKey(
        BankVersion, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("version")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Weights add up to 100 in a bank."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    translations = translations_field()

    class Meta:
        db_table = "assessments_dimension"
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="dimension_name_unique"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        ensure_draft(self.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_draft(self.version)
        return super().delete(*args, **kwargs)


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Anchored scale (0–4)")
        CHOICE = "choice", _("Choice")
        YES_NO = "yes_no", _("Yes / no")
        TEXT = "text", _("Free text (not scored)")

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="questions", verbose_name=_("dimension")
    )
    key = models.CharField(
        _("key"),
        max_length=8,
        validators=[KEY_VALIDATOR],
        help_text=_("Stable key, unique in the bank: S1."),
    )
    text = models.CharField(_("text"), max_length=500)
    help = models.TextField(
        _("help"), blank=True, help_text=_("What evidence to look for and who to ask.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Relative weight in its dimension."),
    )
    required = models.BooleanField(_("required"), default=True)
    allows_na = models.BooleanField(_("allows N/A"), default=False)
    allows_dont_know = models.BooleanField(_("allows “don't know”"), default=True)
    knockout_level = models.PositiveSmallIntegerField(
        _("knock-out level"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(4)],
        help_text=_(
            "Answered at this level (score ≤ level × 25) or below opens a finding. "
            "Empty: no knock-out."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    translations = translations_field()

    class Meta:
        db_table = "assessments_question"
        ordering = ["dimension__order", "dimension_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key"], name="question_key_unique"),
        ]

    def __str__(self):
        return f"{self.key} {self.text}"

    def save(self, *args, **kwargs):
        ensure_draft(self.dimension.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_draft(self.dimension.version)
        return super().delete(*args, **kwargs)

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.TEXT

    @property
    def knockout_score(self) -> int | None:
        """Scores at or below this open a finding."""
        return None if self.knockout_level is None else self.knockout_level * LEVEL_POINTS


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    label = models.CharField(_("label"), max_length=500)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    translations = translations_field()

    class Meta:
        db_table = "assessments_choice"
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        ensure_draft(self.question.dimension.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_draft(self.question.dimension.version)
        return super().delete(*args, **kwargs)

    @property
    def level(self) -> float:
        """Position on the 0–4 scale (score / 25)."""
        return self.score / LEVEL_POINTS


@receiver(pre_delete, sender=BankVersion)
@receiver(pre_delete, sender=Dimension)
@receiver(pre_delete, sender=Question)
@receiver(pre_delete, sender=Choice)
def _refuse_cascaded_delete(sender, instance, **kwargs):
    """Cascades skip `delete()`: refuse them too when they reach a locked version."""
    if sender is BankVersion:
        version = instance
    elif sender is Dimension:
        version = instance.version
    elif sender is Question:
        version = instance.dimension.version
    else:
        version = instance.question.dimension.version
    ensure_draft(version)
