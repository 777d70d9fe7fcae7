"""Bank services: import a file as a new version, new draft from a version, publish.

The file format itself (`schema`, `parse`, `check`, `export`, `diff` beside this module)
is pure and touches no database; everything here writes, in one transaction per action.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.services import as_done_by, system_user
from banks.check import structure_errors
from banks.diff import BankDiff, bank_diff
from banks.excel import XLSX_SIGNATURE, bank_workbook, parse_bank_workbook
from banks.export import export_bank
from banks.models import BankVersion, Choice, Dimension, Question, QuestionBank
from banks.parse import BankFormatError, parse_bank_bytes, read_bank_bytes, read_bank_file
from banks.schema import (
    QUESTION_FIELDS,
    BankData,
    ChoiceData,
    DimensionData,
    QuestionData,
    default_scale_choices,
)
from kit.texts import in_sentence

SEED_DIR = Path(__file__).resolve().parent / "seed"


def bank_file_read(path: str | Path) -> BankData:
    """Parse a bank file (YAML, or the Excel template when it ends in .xlsx) within the
    `BANK_FILE_MAX_BYTES` limit; raise BankFormatError only."""
    if str(path).lower().endswith(".xlsx"):
        return bank_workbook_read(path)
    return read_bank_file(path, max_bytes=settings.BANK_FILE_MAX_BYTES)


def bank_workbook_read(path: str | Path) -> BankData:
    max_bytes = settings.BANK_FILE_MAX_BYTES
    content = read_bank_bytes(path, max_bytes=max_bytes)
    return parse_bank_workbook(content, source=str(path), max_bytes=max_bytes)


def bank_upload_read(*, name: str, content: bytes) -> BankData:
    """Parse an uploaded bank file as the commands do: the Excel template when it is named
    .xlsx or holds a zip's bytes, else YAML; BankFormatError (line or row messages) only."""
    max_bytes = settings.BANK_FILE_MAX_BYTES
    if name.lower().endswith(".xlsx") or content.startswith(XLSX_SIGNATURE):
        return parse_bank_workbook(content, source=name, max_bytes=max_bytes)
    return parse_bank_bytes(content, source=name, max_bytes=max_bytes)


def bank_import_upload(*, name: str, content: bytes, by) -> BankVersion:
    """Check and import an uploaded bank file (the bank page's upload) as `by`: the same
    checks and messages as `import_bank`, and nothing written when any fails."""
    _ensure_bank_admin(by)
    return bank_import(data=bank_upload_read(name=name, content=content), by=by)


def _ensure_bank_admin(user) -> None:
    # has_perm is False for inactive users, superusers included: the system user acts
    # as a superuser nobody can log in as.
    if not (user.is_superuser or user.has_perm("banks.change_bankversion")):
        raise PermissionDenied(_("Only question bank admins change question banks."))


def bank_import_file(*, path: str | Path, by=None) -> BankVersion:
    """Read, check and import a bank file: BankFormatError (and nothing written) if invalid."""
    return bank_import(data=bank_file_read(path), by=by)


def bank_import(*, data: BankData, by=None) -> BankVersion:
    """Write `data` as a new version of its bank (created if new); publishing retires the
    previous published version. Raise BankFormatError (nothing written) if the version
    number is taken or the version cannot be published. `by` defaults to the system
    user, as commands act."""
    by = by or system_user()
    _ensure_bank_admin(by)
    try:
        with transaction.atomic():
            return _bank_import(data, by)
    except ValidationError as exc:  # from version_publish; parsing checks the same rules
        raise BankFormatError(exc.messages) from exc
    except IntegrityError as exc:  # another import took the number meanwhile
        raise BankFormatError(
            [f"version.number: bank “{data.slug}” got version {data.number} meanwhile; try again"]
        ) from exc


def _bank_import(data: BankData, by) -> BankVersion:
    bank = QuestionBank.objects.select_for_update().filter(slug=data.slug).first()
    if bank is None:
        bank = QuestionBank(
            slug=data.slug,
            name=data.name,
            kind=data.kind,
            description=data.description,
            language=data.language,
            translations=data.translations,
        )
        as_done_by(bank, by).save()
    else:
        if bank.kind != data.kind:
            raise BankFormatError(
                [f"bank.kind: bank “{bank.slug}” is {bank.kind}, the file says {data.kind}"]
            )
        latest = bank.versions.aggregate(n=Max("number"))["n"] or 0
        if data.number <= latest:
            raise BankFormatError(
                [
                    f"version.number: bank “{bank.slug}” already has version {latest}; "
                    f"give the file a number above {latest}"
                ]
            )
        bank.name, bank.description = data.name, data.description
        bank.language, bank.translations = data.language, data.translations
        as_done_by(bank, by).save(update_fields=["name", "description", "language", "translations"])
    version = BankVersion(
        bank=bank,
        number=data.number,
        status=BankVersion.Status.DRAFT,
        go_threshold=data.go,
        no_go_threshold=data.no_go,
        gap_threshold=data.gap,
        perception_gap_threshold=data.perception_gap,
        perception_gaps_decide=data.perception_gaps_decide,
        notes=data.notes,
    )
    as_done_by(version, by).save()
    _write_structure(version, data.dimensions)
    if data.status == BankVersion.Status.PUBLISHED:
        version = version_publish(version=version, by=by)
    return version


# What a question holds in the file and in the database alike: the file's fields but
# the level labels and choices, which the database keeps as Choice rows.
SHARED_QUESTION_FIELDS = tuple(f for f in QUESTION_FIELDS if f not in ("levels", "choices"))
# (`translations`: on a question, its text's and help's; the labels' are on the choices.)


def _question_fields(question) -> dict:
    """The shared fields of a QuestionData or a Question, to build the other."""
    return {name: getattr(question, name) for name in SHARED_QUESTION_FIELDS}


def _write_structure(version: BankVersion, dimensions: list[DimensionData]) -> None:
    """Bulk-write the dimensions, questions and choices of a draft version."""
    dims = Dimension.objects.bulk_create(
        Dimension(
            version=version,
            name=d.name,
            description=d.description,
            weight=d.weight,
            order=i,
            translations=d.translations,
        )
        for i, d in enumerate(dimensions, start=1)
    )
    questions = []
    for dim, d in zip(dims, dimensions, strict=True):
        for i, q in enumerate(d.questions, start=1):
            questions.append(Question(dimension=dim, order=i, **_question_fields(q)))
    questions = Question.objects.bulk_create(questions)
    source = [q for d in dimensions for q in d.questions]
    Choice.objects.bulk_create(
        Choice(
            question=question, label=c.label, score=c.score, order=i, translations=c.translations
        )
        for question, q in zip(questions, source, strict=True)
        for i, c in enumerate(q.choices, start=1)
    )


def version_data(version: BankVersion) -> BankData:
    """Read a version (3 queries) into the same structure the YAML parses to."""
    dimensions = version.dimensions.prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.order_by("order", "pk").prefetch_related(
                Prefetch("choices", queryset=Choice.objects.order_by("order", "pk"))
            ),
        )
    ).order_by("order", "pk")
    bank = version.bank
    return BankData(
        slug=bank.slug,
        name=bank.name,
        kind=bank.kind,
        description=bank.description,
        number=version.number,
        status=version.status,
        notes=version.notes,
        go=version.go_threshold,
        no_go=version.no_go_threshold,
        gap=version.gap_threshold,
        perception_gap=version.perception_gap_threshold,
        perception_gaps_decide=version.perception_gaps_decide,
        dimensions=[
            DimensionData(
                name=d.name,
                description=d.description,
                weight=d.weight,
                questions=[
                    QuestionData(
                        **_question_fields(q),
                        choices=[
                            ChoiceData(c.label, c.score, c.translations) for c in q.choices.all()
                        ],
                    )
                    for q in d.questions.all()
                ],
                translations=d.translations,
            )
            for d in dimensions
        ],
        language=bank.language,
        translations=bank.translations,
    )


def version_changes_since(version: BankVersion) -> tuple[BankVersion, BankDiff] | None:
    """The bank's published version and what it changed against `version`, when `version`
    is retired (None otherwise, or when nothing replaced it)."""
    if version.status != BankVersion.Status.RETIRED:
        return None
    current = (
        BankVersion.objects.filter(bank_id=version.bank_id, status=BankVersion.Status.PUBLISHED)
        .select_related("bank")
        .first()
    )
    if current is None:
        return None
    return current, bank_diff(version_data(version), version_data(current))


# The formats a version downloads in: (media type, file extension).
DOWNLOAD_FORMATS = {
    "yaml": ("application/yaml; charset=utf-8", "yaml"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def version_file(version: BankVersion, fmt: str) -> tuple[str, str, bytes]:
    """A version as a bank file `import_bank` reads back: (file name, media type, bytes)."""
    content_type, extension = DOWNLOAD_FORMATS[fmt]
    data = version_data(version)
    if fmt == "xlsx":
        buffer = io.BytesIO()
        bank_workbook(data, buffer)
        content = buffer.getvalue()
    else:
        content = export_bank(data).encode("utf-8")
    return f"{version.bank.slug}-v{version.number}.{extension}", content_type, content


def version_changes_pending(version: BankVersion) -> tuple[BankVersion, BankDiff] | None:
    """For a draft: the bank's published version and what publishing the draft changes
    against it (None when nothing is published yet), as the publish confirmation shows."""
    current = (
        BankVersion.objects.filter(bank_id=version.bank_id, status=BankVersion.Status.PUBLISHED)
        .exclude(pk=version.pk)
        .select_related("bank")
        .first()
    )
    if current is None:
        return None
    return current, bank_diff(version_data(current), version_data(version))


def version_publish_errors(version: BankVersion) -> list[str]:
    """What stops `version` from being published (empty when it can be)."""
    return structure_errors(version_data(version))


@transaction.atomic
def version_publish(*, version: BankVersion, by) -> BankVersion:
    """Check a draft and publish it as `by`; the bank's previous published version retires."""
    _ensure_bank_admin(by)
    version = BankVersion.objects.select_for_update().select_related("bank").get(pk=version.pk)
    if version.status != BankVersion.Status.DRAFT:
        raise ValidationError(
            _("%(version)s is already %(status)s.")
            % {"version": version.label, "status": in_sentence(version.get_status_display())}
        )
    errors = version_publish_errors(version)
    if errors:
        raise ValidationError(
            [
                _("%(version)s cannot be published: %(problem)s.")
                % {"version": version.label, "problem": e}
                for e in errors
            ]
        )
    for previous in BankVersion.objects.select_for_update().filter(
        bank_id=version.bank_id, status=BankVersion.Status.PUBLISHED
    ):
        previous.status = BankVersion.Status.RETIRED
        as_done_by(previous, by).save(update_fields=["status"])
    version.status = BankVersion.Status.PUBLISHED
    version.published_at, version.published_by = timezone.now(), by
    as_done_by(version, by).save(update_fields=["status", "published_at", "published_by"])
    return version


@transaction.atomic
def version_new_draft(*, version: BankVersion, by) -> BankVersion:
    """Copy `version` (any status) into a new draft with the next number."""
    _ensure_bank_admin(by)
    data = version_data(version)
    # Lock the bank so two admins cannot take the same number.
    bank = QuestionBank.objects.select_for_update().get(pk=version.bank_id)
    number = (bank.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = BankVersion(
        bank=bank,
        number=number,
        go_threshold=version.go_threshold,
        no_go_threshold=version.no_go_threshold,
        gap_threshold=version.gap_threshold,
        perception_gap_threshold=version.perception_gap_threshold,
        perception_gaps_decide=version.perception_gaps_decide,
        notes=_("Draft made from version %(number)s.") % {"number": version.number},
    )
    as_done_by(draft, by).save()
    _write_structure(draft, data.dimensions)
    return draft


@transaction.atomic
def question_update(
    *, question: Question, translations: dict, labels: list[tuple[Choice, str, dict]], by
) -> Question:
    """Save a draft's question as edited (its fields already set on `question`), with its
    translations and its levels' or choices' labels and their translations."""
    _ensure_bank_admin(by)
    question.translations = translations
    as_done_by(question, by).save()
    for choice, label, choice_translations in labels:
        if choice.question_id != question.pk:
            raise PermissionDenied(_("That label belongs to another question."))
        choice.label, choice.translations = label, choice_translations
        as_done_by(choice, by).save(update_fields=["label", "translations"])
    return question


@transaction.atomic
def question_give_default_levels(*, question: Question, by) -> bool:
    """Give a scale question with no choices yet the five default anchors (0 to 100), which
    stay editable; True if it got them. Other questions are left alone."""
    _ensure_bank_admin(by)
    if question.kind != Question.Kind.SCALE or question.choices.exists():
        return False
    for order, choice in enumerate(default_scale_choices(), start=1):
        Choice.objects.create(
            question=question, label=choice.label, score=choice.score, order=order
        )
    return True


def shipped_bank_files() -> list[Path]:
    """The seed banks that ship with the app (`banks/seed/*.yaml`)."""
    return sorted(SEED_DIR.glob("*.yaml"))


def load_shipped_banks() -> list[tuple[Path, BankVersion | None]]:
    """Import each shipped bank whose version is not loaded yet; (file, version or None)."""
    loaded = []
    for path in shipped_bank_files():
        data = bank_file_read(path)
        exists = BankVersion.objects.filter(bank__slug=data.slug, number__gte=data.number)
        loaded.append((path, None if exists.exists() else bank_import(data=data)))
    return loaded
