"""The alliance's findings export: its findings, the decision's conditions to proceed, and
the decision with its reasons (CSV: findings then conditions in one table)."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from assessments.selectors import alliance_findings
from decisions.selectors import alliance_decision
from kit.people import display_name
from kit.spreadsheets import Sheet


def finding_rows(alliance) -> list[list]:
    """The alliance's current findings (latest submitted round of each kind and those in
    progress, as on the alliance page), showstoppers and unclassified first."""
    return [
        [
            f.assessment.title,
            f.assessment.version.bank.name,
            f.question.key,
            f.statement,
            f.get_classification_display(),
            f.evidence,
            f.mitigation,
            f.owner,
            f.due_date,
            display_name(f.classified_by) if f.classified_by else "",
            f.classified_at,
        ]
        for f in alliance_findings(alliance)
    ]


def condition_rows(decision) -> list[list]:
    return [
        [n, c.text, _condition_source(c.source), c.owner, c.due]
        for n, c in enumerate(decision.conditions, start=1)
    ]


def findings_sheets(alliance) -> list[Sheet]:
    """Findings, the decision's conditions to proceed, and the decision with its reasons."""
    decision = alliance_decision(alliance)
    return [
        Sheet(
            _("Findings"),
            findings_header(),
            finding_rows(alliance),
            widths=(30, 24, 8, 60, 14, 40, 40, 20, 12, 20, 18),
        ),
        Sheet(
            _("Conditions"),
            [_("No."), _("Condition"), _("From"), _("Owner"), _("Due")],
            condition_rows(decision),
            widths=(5, 70, 12, 20, 12),
        ),
        Sheet(
            _("Decision"),
            [_("Verdict"), _("Rationale")],
            [[str(decision.verdict), decision.rationale]]
            + [["", reason.text] for reason in decision.reasons],
            widths=(22, 90),
        ),
    ]


def findings_header() -> list[str]:
    return [
        _("Assessment"),
        _("Question bank"),
        _("Question key"),
        _("Finding"),
        _("Classification"),
        _("Evidence"),
        _("Mitigation"),
        _("Owner"),
        _("Due"),
        _("Classified by"),
        _("Classified at"),
    ]


def _condition_source(source: str) -> str:
    return {"finding": _("Finding"), "gap": _("Gap"), "sponsor": _("Sponsor")}.get(source, source)


def findings_csv_rows(alliance) -> Iterator[list]:
    """Findings then conditions in one table, told apart by the first column."""
    for row in finding_rows(alliance):
        yield [_("Finding"), *row]
    for _number, text, source, owner, due in condition_rows(alliance_decision(alliance)):
        yield [_("Condition"), "", "", "", text, source, "", "", owner, due, "", ""]


def findings_csv_header() -> list[str]:
    return [_("Type"), *findings_header()]
