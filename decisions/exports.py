"""The alliance's findings export: its findings, the decision's conditions to proceed (with
owner, due date, status and what was done), the decision with its reasons, and the scores it
rests on with the day each round was submitted (CSV: findings then conditions in one table)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from assessments.exports import submitted_on
from assessments.models import ConditionStatus
from assessments.selectors import alliance_findings, scored_latest
from decisions.selectors import alliance_decision
from kit.people import display_name
from kit.spreadsheets import Sheet


def finding_rows(alliance) -> list[list]:
    """The alliance's current findings (latest submitted round of each kind and those in
    progress, as on the alliance page), showstoppers and unclassified first."""
    return [
        [
            f.assessment.title,
            f.assessment.version.bank.name_shown,
            submitted_on(f.assessment),
            f.question.key,
            f.statement,
            f.get_classification_display(),
            f.evidence,
            f.mitigation,
            f.owner_label,
            f.due_date,
            # Only a manageable finding is a condition with a status.
            f.get_condition_status_display() if f.is_condition else "",
            f.done_note,
            f.done_on,
            display_name(f.classified_by) if f.classified_by else "",
            f.classified_at,
        ]
        for f in alliance_findings(alliance)
    ]


def condition_rows(decision) -> list[list]:
    return [
        [
            n,
            c.text,
            _condition_source(c.source),
            c.owner,
            c.due,
            dict(ConditionStatus.choices).get(c.status, c.status),
            c.note,
        ]
        for n, c in enumerate(decision.conditions, start=1)
    ]


def score_rows(alliance) -> list[list]:
    """The latest submitted assessment of each kind, as the decision reads it: its overall
    score and coverage with the day its round was submitted."""
    scored = scored_latest([alliance.pk])
    return [
        [
            a.title,
            a.version.bank.name_shown,
            _rounded(scored.scores[a.pk].overall),
            _rounded(scored.scores[a.pk].coverage * 100),
            submitted_on(a),
        ]
        for a in scored.latest.get(alliance.pk, {}).values()
    ]


def _rounded(value):
    return None if value is None else round(value, 1)


def findings_sheets(alliance) -> list[Sheet]:
    """Findings, the decision's conditions to proceed, and the decision with its reasons."""
    decision = alliance_decision(alliance)
    return [
        Sheet(
            _("Findings"),
            findings_header(),
            finding_rows(alliance),
            widths=(30, 24, 12, 8, 60, 14, 40, 40, 20, 12, 12, 40, 12, 20, 18),
        ),
        Sheet(
            _("Conditions"),
            [
                _("No."),
                _("Condition"),
                _("From"),
                _("Owner"),
                _("Due"),
                _("Status"),
                _("What was done"),
            ],
            condition_rows(decision),
            widths=(5, 70, 12, 20, 12, 12, 40),
        ),
        Sheet(
            _("Decision"),
            [_("Verdict"), _("Rationale")],
            [[str(decision.verdict), decision.rationale]]
            + [["", reason.text] for reason in decision.reasons],
            widths=(22, 90),
        ),
        Sheet(
            _("Scores"),
            [
                _("Assessment"),
                _("Question bank"),
                _("Overall score (0–100)"),
                _("Coverage (%)"),
                _("Submitted on"),
            ],
            score_rows(alliance),
            widths=(40, 24, 12, 12, 14),
        ),
    ]


def findings_header() -> list[str]:
    return [
        _("Assessment"),
        _("Question bank"),
        _("Submitted on"),
        _("Question key"),
        _("Finding"),
        _("Classification"),
        _("Evidence"),
        _("Mitigation"),
        _("Owner"),
        _("Due"),
        _("Status"),
        _("What was done"),
        _("Done on"),
        _("Classified by"),
        _("Classified at"),
    ]


def _condition_source(source: str) -> str:
    return {
        "finding": _("Finding"),
        "gap": _("Gap"),
        "sponsor": _("Sponsor"),
        "perception": _("Perception gap"),
    }.get(source, source)


def findings_csv_rows(alliance) -> Iterator[list]:
    """Findings then conditions in one table, told apart by the first column; a condition
    has its source in the Classification column."""
    for row in finding_rows(alliance):
        yield [_("Finding"), *row]
    conditions = condition_rows(alliance_decision(alliance))
    for _number, text, source, owner, due, status, note in conditions:
        yield [_("Condition"), "", "", "", "", text, source, "", "", owner, due, status, note,
               None, "", ""]  # fmt: skip


def findings_csv_header() -> list[str]:
    return [_("Type"), *findings_header()]
