"""The portfolio as spreadsheet rows (Excel: one sheet per part of the page; CSV: the
alliances sheet). Rows are generated lazily; cells are neutralised by
alliances.exports (no formula runs when the file is opened)."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from kit.spreadsheets import Sheet
from portfolio.selectors import INDICATORS, Portfolio

ALLIANCE_HEADER = [
    _("Alliance"),
    _("Partner"),
    _("Type"),
    _("Origin"),
    _("Stage"),
    _("Confidential"),
    _("Decision"),
    _("Why"),
    _("Strategic fit"),
    _("Partner selection"),
    _("Sponsor readiness"),
    _("Our executive sponsor"),
    _("Sponsor health"),
    *[name for key, name in INDICATORS],
    _("Reassessment due"),
    _("Scores that fell"),
]


def _score(value):
    return None if value is None else round(value)


def alliance_rows(portfolio: Portfolio) -> Iterator[list]:
    for row in portfolio.rows:
        alliance = row.alliance
        report = row.health
        yield [
            alliance.name,
            alliance.partner.name,
            alliance.get_type_display(),
            alliance.get_origin_display(),
            alliance.get_stage_display(),
            _("yes") if alliance.is_confidential else _("no"),
            row.decision.verdict.value,
            row.decision.because,
            _score(row.scores.get("strategic_fit")),
            _score(row.scores.get("partner_selection")),
            _score(row.scores.get("sponsor_readiness")),
            row.sponsor_name,
            "" if report is None else (report.score if report.score is not None else report.colour),
            *[f"{colour}: {figure}" for name, colour, figure in row.cells],
            "; ".join(d.sentence for d in row.reassessment.due),
            "; ".join(f"{f.kind_label} {f.change.label} {f.change.delta:+.0f}" for f in row.falls),
        ]


def overdue_rows(portfolio: Portfolio) -> Iterator[list]:
    for finding in portfolio.overdue:
        yield [
            finding.assessment.alliance.name,
            finding.statement,
            finding.mitigation,
            finding.owner_label,
            finding.due_date,
            (portfolio.today - finding.due_date).days,
        ]


def fall_rows(portfolio: Portfolio) -> Iterator[list]:
    for fall in portfolio.falls:
        change = fall.change
        yield [fall.alliance.name, fall.kind_label, change.label, _score(change.before),
               _score(change.after), change.delta]  # fmt: skip


def brief_rows(portfolio: Portfolio) -> Iterator[list]:
    for brief in portfolio.briefs:
        yield [brief.alliance.name, brief.created_at, brief.get_status_display(), brief.verdict]


def portfolio_sheets(portfolio: Portfolio) -> list[Sheet]:
    return [
        Sheet(
            _("Alliances"), ALLIANCE_HEADER, alliance_rows(portfolio), widths=[30, 24, 14, 18, 12]
        ),
        Sheet(
            _("Conditions overdue"),
            [
                _("Alliance"),
                _("Condition"),
                _("Mitigation"),
                _("Owner"),
                _("Due"),
                _("Days overdue"),
            ],
            overdue_rows(portfolio),
            widths=[30, 60, 40, 24, 12, 12],
        ),
        Sheet(
            _("Scores that fell"),
            [_("Alliance"), _("Assessment"), _("Score"), _("Previous"), _("Now"), _("Change")],
            fall_rows(portfolio),
            widths=[30, 20, 30],
        ),
        Sheet(
            _("Briefs, last 30 days"),
            [_("Alliance"), _("Requested"), _("Status"), _("Decision")],
            brief_rows(portfolio),
            widths=[30, 20, 12, 22],
        ),
    ]
