"""The portfolio as spreadsheet rows (Excel: one sheet per part of the page; CSV: the
alliances sheet). Rows are generated lazily; cells are neutralised by
alliances.exports (no formula runs when the file is opened)."""

from collections.abc import Iterator

from alliances.exports import Sheet
from portfolio.selectors import INDICATORS, Portfolio

ALLIANCE_HEADER = [
    "Alliance",
    "Partner",
    "Type",
    "Origin",
    "Stage",
    "Confidential",
    "Decision",
    "Why",
    "Strategic fit",
    "Partner selection",
    "Sponsor readiness",
    "Our executive sponsor",
    "Sponsor health",
    *[name for _, name in INDICATORS],
    "Reassessment due",
    "Scores that fell",
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
            "yes" if alliance.is_confidential else "no",
            row.decision.verdict.value,
            row.decision.because,
            _score(row.scores.get("strategic_fit")),
            _score(row.scores.get("partner_selection")),
            _score(row.scores.get("sponsor_readiness")),
            row.sponsor_name,
            "" if report is None else (report.score if report.score is not None else report.colour),
            *[f"{colour}: {figure}" for _, colour, figure in row.cells],
            "; ".join(d.sentence for d in row.reassessment.due),
            "; ".join(f"{f.kind_label} {f.change.label} {f.change.delta:+.0f}" for f in row.falls),
        ]


def overdue_rows(portfolio: Portfolio) -> Iterator[list]:
    for finding in portfolio.overdue:
        yield [
            finding.assessment.alliance.name,
            finding.statement,
            finding.mitigation,
            finding.owner,
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
        Sheet("Alliances", ALLIANCE_HEADER, alliance_rows(portfolio), widths=[30, 24, 14, 18, 12]),
        Sheet(
            "Conditions overdue",
            ["Alliance", "Condition", "Mitigation", "Owner", "Due", "Days overdue"],
            overdue_rows(portfolio),
            widths=[30, 60, 40, 24, 12, 12],
        ),
        Sheet(
            "Scores that fell",
            ["Alliance", "Assessment", "Score", "Previous", "Now", "Change"],
            fall_rows(portfolio),
            widths=[30, 20, 30],
        ),
        Sheet(
            "Briefs, last 30 days",
            ["Alliance", "Requested", "Status", "Decision"],
            brief_rows(portfolio),
            widths=[30, 20, 12, 22],
        ),
    ]
