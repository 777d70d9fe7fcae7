"""The frozen snapshot a brief is rendered from.

A snapshot is plain JSON: the decision with its reasons and conditions, the
scored assessments (bank versions, thresholds, answers, disagreements), the
findings and the sponsors. It holds display-ready text only and no sensitive
sponsor details (personal agendas, notes, personal motives), because every
team member may download the brief. Its sha256 identifies a brief: the same
evidence gives the same snapshot, and so the same brief.
"""

from collections import defaultdict
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliances.models import Alliance, Membership
from assessments.marks import answer_marks, legend
from assessments.models import Answer, Finding, Response
from assessments.partner.services import our_company_name
from assessments.round_selectors import alliance_trends, closed_findings, round_comparison
from assessments.rounds import ClosedCondition, Move, RoundComparison, ScoreChange, met_between
from assessments.scoring import (
    AssessmentScore,
    DimensionScore,
    ResponseScore,
    Thresholds,
    VersionSpec,
    level_of,
)
from assessments.selectors import assessment_perception, assessor_name, scored_latest
from decisions.models import TrackedCondition
from decisions.robustness import Robustness
from decisions.robustness_selectors import decision_robustness
from decisions.rules import REQUIRED_KINDS, Decision, decide, kind_label
from decisions.selectors import decision_inputs, stored_records
from evidence.selectors import alliance_files_for_brief
from kit.texts import bank_words, in_sentence
from meetings.selectors import last_minuted_meeting
from signoffs.evidence import canonical_sha256
from signoffs.selectors import signoff_state
from sponsors.health import colour_label
from sponsors.selectors import brief_sponsor_overview

# 2: findings in words, KPIs, the assessments never done; 3: sign-off, conditions, language;
# 4: evidence dates, marks that say what happened
SCHEMA = 4
KIND_ORDER = ("strategic_fit", "partner_selection", "sponsor_readiness", "mutual_fit", "custom")


def snapshot_sha256(snapshot: dict) -> str:
    """Hash of the canonical JSON form: key order and spacing never change it."""
    return canonical_sha256(snapshot)


def _last_meeting(alliance: Alliance) -> dict | None:
    """The latest meeting with minutes: its date, kind and the decisions taken (one per
    line), as display text."""
    meeting = last_minuted_meeting(alliance)
    if meeting is None:
        return None
    return {
        "date": _date(timezone.localtime(meeting.starts_at).date()),
        "kind": str(meeting.get_kind_display()),
        "decisions": [
            line.strip(" -•\t")
            for line in meeting.decisions_taken.splitlines()
            if line.strip(" -•\t")
        ],
    }


def _signoff(alliance: Alliance) -> dict | None:
    """Who signed off the decision, when and what they said; stale when the evidence
    changed since (the brief then says so)."""
    state = signoff_state(alliance)
    if state.request is None:
        return None
    return {
        "verdict": state.request.verdict,
        "requested_on": _date(state.request.requested_at.date()),
        "requested_by": assessor_name(state.request.requested_by)
        if state.request.requested_by
        else "",
        "stale": state.stale,
        "since": _date(state.since.date()),
        "answers": [
            {
                "name": assessor_name(s.executive),
                "answer": str(s.get_answer_display()),
                "answer_code": s.answer,
                "on": _date(s.answered_at.date()) if s.answered_at else "",
                "comment": s.comment,
            }
            for s in state.signoffs
        ],
    }


def _level(score: float | None) -> str:
    if score is None:
        return "—"
    level = level_of(score)
    return number_format(level, 0 if level == int(level) else 1)


def _scored(row: dict | None) -> float | None:
    """The 0–100 score an answer row counts for (None: not answered, N/A, don't know)."""
    if row is None or row["is_na"] or row["is_dont_know"]:
        return None
    return row["choice__score"]


def _answer_text(row: dict | None, kind: str) -> str:
    if row is None:
        return _("not answered")
    if row["is_na"]:
        return _("N/A")
    if row["is_dont_know"]:
        return _("don't know")
    if row["choice__score"] is not None:
        return _level(row["choice__score"]) if kind == "scale" else row["choice__label"]
    return _("answered in text") if row["text"].strip() else _("not answered")


def _display_name(row: dict) -> str:
    full = f"{row['response__assessor__first_name']} {row['response__assessor__last_name']}"
    return full.strip() or row["response__assessor__username"]


def _submitted_answers(assessments) -> dict[int, dict[str, dict[str, dict]]]:
    """assessment id → assessor name → question key → answer row, in one query."""
    rows = Answer.objects.filter(
        response__assessment__in=assessments, response__status=Response.Status.SUBMITTED
    ).values(
        "response__assessment_id",
        "response__assessor__username",
        "response__assessor__first_name",
        "response__assessor__last_name",
        "question__key",
        "choice__score",
        "choice__label",
        "is_na",
        "is_dont_know",
        "text",
        "comment",
    )
    answers: dict = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        answers[row["response__assessment_id"]][_display_name(row)][row["question__key"]] = row
    return answers


def _date(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _decision(decision: Decision) -> dict:
    return {
        "verdict": decision.verdict.value,
        "verdict_label": decision.verdict.label,
        "css": decision.verdict.css,
        "rationale": decision.rationale,
        "because": decision.because,
        "reasons": [
            {"rule": r.rule, "text": r.text, "decisive": r.decisive, "refs": list(r.refs)}
            for r in decision.reasons
        ],
        "conditions": [
            {
                "text": c.text,
                "source": c.source,
                "owner": c.owner,
                "due": _date(c.due),
                "met": c.met,
                "overdue": c.overdue,
                "status": c.status,
                "waived_by": c.waived_by,
                "note": c.note if c.met or c.waived else "",
            }
            for c in decision.conditions
        ],
        "missing": list(decision.missing),
    }


def _robustness(robustness: Robustness) -> dict:
    """How robust the verdict is, frozen with it: the sentence in this snapshot's language
    and its figures. (Snapshots taken before it have no "robustness"; the brief shows none.)"""
    flip = robustness.smallest_flip
    return {
        "verdict": robustness.verdict.value,
        "percent": robustness.percent,
        "draws": robustness.draws,
        "sentence": robustness.sentence,
        "flip": None if flip is None else {"kind": flip.kind.value, "target": flip.target},
    }


def _answers(score: AssessmentScore, spec: VersionSpec, given: dict) -> list[dict]:
    """Answers by dimension, each with every assessor's level and comments."""
    names = score.assessors
    medians = score.median_by_key
    dimension_scores = {d.name: d.score for d in score.dimensions}
    blocks = {
        d.name: {"name": bank_words(d.name), "weight": d.weight, "score": None, "questions": []}
        for d in spec.dimensions
    }
    for question in spec.questions:
        rows = [given.get(name, {}).get(question.key) for name in names]
        summary = "; ".join(
            f"{name} {_answer_text(row, question.kind)}"
            for name, row in zip(names, rows, strict=True)
        )
        median = medians.get(question.key)
        if len(names) > 1 and median is not None:
            summary = _("median %(level)s (%(answers)s)") % {
                "level": _level(median),
                "answers": summary,
            }
        blocks[question.dimension]["questions"].append(
            {
                "key": question.key,
                "text": bank_words(question.text),
                "answer": summary,
                "marks": [
                    {"code": m.code, "text": m.text}
                    for m in answer_marks(
                        kind=question.kind,
                        knockout_level=question.knockout_level,
                        scores=[_scored(row) for row in rows],
                    )
                ],
                "comments": [
                    {"assessor": name, "text": row["comment"]}
                    for name, row in zip(names, rows, strict=True)
                    if row and row["comment"].strip()
                ],
            }
        )
    for name, block in blocks.items():
        value = dimension_scores.get(name)
        block["score"] = None if value is None else round(value)
    return list(blocks.values())


def _assessment(assessment, score: AssessmentScore, spec: VersionSpec, given: dict) -> dict:
    version = assessment.version
    return {
        "kind": version.bank.kind,
        "label": in_sentence(version.bank.get_kind_display()),
        "title": assessment.title,
        "bank": version.bank.name_shown,
        "version": version.number,
        "go": version.go_threshold,
        "no_go": version.no_go_threshold,
        "gap": version.gap_threshold,
        "overall": None if score.overall is None else round(score.overall, 1),
        "coverage_pct": round(score.coverage * 100),
        "dimensions": [
            {"name": bank_words(d.name), "weight": d.weight, "score": d.score}
            for d in score.dimensions
        ],
        "weights": ", ".join(f"{bank_words(d.name)} {d.weight}" for d in spec.dimensions),
        "assessors": list(score.assessors),
        "answers_by_dimension": _answers(score, spec, given),
        "disagreements": [
            {
                "key": d.key,
                "text": bank_words(spec.by_key[d.key].text),
                "levels": " · ".join(f"{name} {_level(value)}" for name, value in d.scores),
            }
            for d in score.disagreements
        ],
    }


def _evidence_age(summary) -> dict:
    """When the round was submitted, and since when its reassessment is overdue."""
    return {
        "submitted_on": _date(summary.submitted),
        "overdue_since": _date(summary.overdue_since),
    }


def _mark_legend(assessed: list[dict]) -> list[dict]:
    """What each mark shown in the appendix means (only the marks it shows)."""
    shown = {
        mark["code"]
        for a in assessed
        for d in a["answers_by_dimension"]
        for q in d["questions"]
        for mark in q["marks"]
    }
    return [{"code": m.code, "text": m.text} for m in legend() if m.code in shown]


def _findings(assessments) -> list[dict]:
    rank = {"showstopper": 0, "unclassified": 1, "manageable": 2}
    findings = Finding.objects.filter(assessment__in=assessments).select_related(
        "question", "owner_user"
    )
    today = timezone.localdate()
    return [
        {
            "key": f.question.key,
            "question": bank_words(f.question.text),
            "classification": f.classification,
            "classification_label": f.get_classification_display(),
            "issue": f.statement,
            "evidence": f.evidence,
            "mitigation": f.mitigation,
            "owner": f.owner_label,
            "due": _date(f.due_date),
            "status": f.get_condition_status_display() if f.is_condition else "",
            "done": _date(f.done_on) if f.is_condition else "",
            "done_note": f.done_note if f.is_condition else "",
            "overdue": f.is_overdue(today),
        }
        for f in sorted(findings, key=lambda f: (rank[f.classification], f.question.key))
    ]


def _number(value) -> str:
    """`1,250` or `12.5` (`1.250`, `12,5` in German): a KPI figure without trailing zeros."""
    text = number_format(value, 2, force_grouping=True)
    decimal = get_format("DECIMAL_SEPARATOR")
    return text.rstrip("0").rstrip(decimal) if decimal in text else text


def _kpis(alliance: Alliance) -> list[dict]:
    """Current KPIs with target, actual and attainment, as display text. The unit is
    named apart from the numbers ("measured in solutions"), as on the alliance page:
    a unit typed as a plural cannot be glued to a count ("1 solutions")."""
    rows = []
    for kpi in alliance.kpis.filter(is_current=True):
        attainment = kpi.attainment
        rows.append(
            {
                "name": kpi.name,
                "category": kpi.get_category_display(),
                "unit": kpi.unit,
                "period": kpi.period,
                "target": _number(kpi.target),
                "actual": _("not reported") if kpi.actual is None else _number(kpi.actual),
                "attainment": "—" if attainment is None else f"{attainment:.0f} %",
            }
        )
    return rows


def _not_assessed(assessed: list[dict]) -> str:
    """One sentence naming the required assessments never submitted, or ""."""
    done = {a["kind"] for a in assessed}
    missing = [kind_label(kind) for kind in REQUIRED_KINDS if kind not in done]
    if not missing:
        return ""
    if len(missing) == 1:
        return _(
            "The %(kind)s assessment was never done (none submitted): "
            "this decision does not rest on it."
        ) % {"kind": missing[0]}
    return _(
        "Neither the %(kinds)s assessment was ever done (none submitted): "
        "this decision rests on neither."
    ) % {"kinds": _(" nor the ").join(missing)}


def _sponsors(alliance: Alliance, overview) -> dict:

    def side(label, sponsorships):
        return {
            "label": label,
            "sponsorships": [
                {
                    "name": s.sponsor.name,
                    "title": s.sponsor.title,
                    "role": s.get_role_display(),
                }
                for s in sponsorships
            ],
        }

    health = overview.health
    if health.score is None:
        summary = health.summary or _("unknown: no evidence yet")
    else:
        summary = f"{colour_label(health.colour)}, {health.score}/100"
    rapport = overview.rapport
    return {
        "sides": [
            side(_("Our side"), overview.ours),
            side(alliance.partner.name, overview.partner),
        ],
        "health": {
            "colour": health.colour,
            "score": health.score,
            "summary": summary,
            "indicators": [
                {"name": i.name, "colour": i.colour, "figure": i.figure, "reason": i.reason}
                for i in health.indicators
            ],
        },
        "rapport": "" if rapport is None else _rapport_text(rapport),
    }


def _rapport_text(rapport) -> str:
    if not rapport.shared_interests:
        return rapport.summary
    interests = ", ".join(tag.replace("-", " ") for tag in rapport.shared_interests)
    return f"{rapport.summary} " + _("Shared: %(interests)s.") % {"interests": interests}


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)


def _perception(alliance: Alliance, assessment, score: AssessmentScore) -> dict:
    """Both sides of a two-sided assessment, or only that it is still blind."""
    perception = assessment_perception(assessment, score)
    base = {
        "title": assessment.title,
        "partner": alliance.partner.name,
        "ours_label": our_company_name(),
        "threshold": assessment.version.perception_gap_threshold,
        "blind": perception.is_blind,
        "respondents": len(perception.side.submitted),
    }
    if perception.is_blind:
        return base
    comparison = perception.comparison
    return {
        **base,
        "rows": [
            {
                "name": bank_words(r.dimension),
                "ours": _round(r.ours),
                "theirs": _round(r.theirs),
                "difference": _round(r.difference),
            }
            for r in comparison.rows
        ],
        "gaps": [
            {
                "dimension": bank_words(g.dimension),
                "ours": round(g.ours),
                "theirs": round(g.theirs),
                "difference": round(g.difference),
                "questions": [
                    {
                        "key": q.key,
                        "text": bank_words(q.text),
                        "ours": _level(q.ours),
                        "theirs": _level(q.theirs),
                    }
                    for q in g.questions
                ],
            }
            for g in comparison.gaps
        ],
    }


def _whole(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _change(change: ScoreChange) -> str:
    """ "58 → 86 (+28)": a score then and now, whole points as the brief shows them."""
    text = f"{_whole(change.before)} → {_whole(change.after)}"
    if change.before is None or change.after is None:
        return text
    return f"{text} ({round(change.after) - round(change.before):+d})"


# The part "since the previous round" stays a few lines: a question by its code and its
# first words (never a bare code), a condition by its first words.
QUESTION_WORDS, CONDITION_WORDS = 6, 12


def _short(text: str, words: int) -> str:
    """The first `words` words ("…" when cut), without a closing full stop: the brief
    puts its own punctuation after it."""
    return Truncator(text.strip().rstrip(".")).words(words)


def _question(change: ScoreChange) -> str:
    return f"{change.key} {_short(bank_words(change.label), QUESTION_WORDS)}"


def _move(move: Move) -> dict:
    change = move.change
    name = bank_words(change.label) if move.scope == "dimension" else _question(change)
    return {"name": name, "change": _change(change)}


def _gap_move(move) -> str:
    """How a dimension's perception gap moved; templates/assessments/_gap_move.html
    says the same on the results page (the same words, one translation)."""
    values = {"dimension": bank_words(move.dimension), "before": move.before, "after": move.after}
    if move.direction == "narrowed":
        text = _("The %(dimension)s gap narrowed from %(before)s to %(after)s points.") % values
    elif move.direction == "widened":
        text = _("The %(dimension)s gap widened from %(before)s to %(after)s points.") % values
    else:
        text = _("The %(dimension)s gap stayed at %(after)s points.") % values
    if move.was_gap and not move.is_gap:
        text += " " + _("No longer a perception gap.")
    elif move.is_gap and not move.was_gap:
        text += " " + _("Now a perception gap.")
    return text


def _round_change(assessment, comparison: RoundComparison) -> dict:
    """One reassessed kind: the overall score then and now, the largest rises and falls
    (dimensions and questions), knock-outs reached or cleared, perception gaps moved."""
    return {
        "label": in_sentence(assessment.version.bank.get_kind_display()),
        "previous": assessment.previous.title,
        "previous_on": _date(timezone.localdate(assessment.previous.submitted_at)),
        "overall": _change(comparison.overall),
        "up": [_move(m) for m in comparison.improvements()],
        "down": [_move(m) for m in comparison.regressions()],
        "reached": [_question(k) for k in comparison.knockouts_reached],
        "cleared": [_question(k) for k in comparison.knockouts_cleared],
        "gaps": [_gap_move(m) for m in comparison.gap_moved],
    }


def _closed_tracked(alliance: Alliance) -> list[ClosedCondition]:
    """The alliance's tracked conditions met or waived, with the day (1 query)."""
    met, waived = TrackedCondition.Status.MET, TrackedCondition.Status.WAIVED
    rows = TrackedCondition.objects.filter(
        alliance=alliance, status__in=[met, waived], status_on__isnull=False
    ).only("text", "words", "status", "status_on")
    return [
        ClosedCondition(c.shown_text, "met" if c.status == met else "waived", c.status_on)
        for c in rows
    ]


def _since_previous(alliance: Alliance, assessments) -> dict | None:
    """What changed since the previous round of each reassessed kind, and the conditions
    met or waived from the earliest previous round's submission to the latest round's.
    None when no current round follows a submitted one (the snapshot then has no key)."""
    rounds, windows = [], []
    for assessment in assessments:
        previous = assessment.previous if assessment.previous_id else None
        if previous is None or previous.submitted_at is None:
            continue
        comparison = round_comparison(assessment)
        rounds.append(_round_change(assessment, comparison))
        windows.append(
            (
                timezone.localdate(previous.submitted_at),
                timezone.localdate(assessment.submitted_at),
            )
        )
    if not rounds:
        return None
    since, until = min(w[0] for w in windows), max(w[1] for w in windows)
    closed = closed_findings(alliance.pk) + _closed_tracked(alliance)
    return {
        "rounds": rounds,
        "since": _date(since),
        "until": _date(until),
        "met": [
            {
                "text": _short(c.text, CONDITION_WORDS),
                "waived": c.status == "waived",
                "on": _date(c.on),
            }
            for c in met_between(closed, since=since, until=until)
        ],
    }


def build_snapshot(alliance: Alliance) -> tuple[dict, Decision]:
    """The snapshot of the alliance's current evidence, and the decision it holds."""
    scored = scored_latest([alliance.pk])
    overview = brief_sponsor_overview(alliance)
    ours = overview.our_executive_sponsor
    sponsors = {alliance.pk: (ours, overview.health)} if ours else {}
    # The decision and its robustness as today's recheck stored them; afresh without one.
    stored = stored_records([alliance.pk]).get(alliance.pk)
    if stored:
        inputs, robustness = stored
    else:
        inputs = decision_inputs([alliance], scored=scored, sponsors=sponsors)[alliance.pk]
        robustness = decision_robustness(alliance.pk, inputs, scored)
    decision = decide(inputs)
    dated = {a.kind: a for a in inputs.assessments}
    latest = scored.latest.get(alliance.pk, {})
    assessments = sorted(latest.values(), key=lambda a: KIND_ORDER.index(a.version.bank.kind))
    specs, scores = scored.specs, scored.scores
    given = _submitted_answers(assessments)
    managers = alliance.memberships.filter(role=Membership.Role.MANAGER).select_related("user")
    assessed = [
        _assessment(a, scores[a.pk], specs[a.version_id], given[a.pk])
        | _evidence_age(dated[a.version.bank.kind])
        for a in assessments
    ]
    snapshot = {
        "schema": SCHEMA,
        # The text below is in this language: a brief asked for in another is another brief.
        "language": get_language() or "",
        "alliance": {
            "name": alliance.name,
            "slug": alliance.slug,
            "partner": alliance.partner.name,
            "type": alliance.get_type_display(),
            "origin": alliance.get_origin_display(),
            "stage": alliance.get_stage_display(),
            "is_confidential": alliance.is_confidential,
            "objectives": alliance.objective_lines,
            "partner_fit": alliance.partner_fit,
        },
        "prepared_by": sorted(assessor_name(m.user) for m in managers),
        "assessors": sorted({name for a in assessed for name in a["assessors"]}),
        "decision": _decision(decision),
        "robustness": _robustness(robustness),
        "assessments": assessed,
        "mark_legend": _mark_legend(assessed),
        "not_assessed": _not_assessed(assessed),
        "kpis": _kpis(alliance),
        "findings": _findings(assessments),
        "sponsors": _sponsors(alliance, overview),
        "signoff": _signoff(alliance),
        "next_due": min((c.due for c in decision.conditions if c.due), default=None),
    }
    two_sided = [a for a in assessments if a.version.bank.kind == "mutual_fit"]
    if two_sided:  # only then: the snapshots (and hashes) of other alliances stay as they were
        snapshot["perception"] = _perception(alliance, two_sided[0], scores[two_sided[0].pk])
    if snapshot["next_due"]:
        snapshot["next_due"] = snapshot["next_due"].isoformat()
    since_previous = _since_previous(alliance, assessments)
    if since_previous:  # only for a reassessment: a first round's snapshot stays as it was
        snapshot["since_previous"] = since_previous
    trends = alliance_trends(alliance)
    if trends["rounds"]:
        # Only with two rounds or more: a brief of a first assessment keeps its snapshot.
        snapshot["trends"] = trends
    files = alliance_files_for_brief(alliance)
    if files:  # only then: the snapshots (and hashes) of alliances without files stay
        snapshot["evidence_files"] = files
    last_meeting = _last_meeting(alliance)
    if last_meeting:  # only then: the snapshots (and hashes) of alliances without one stay
        snapshot["last_meeting"] = last_meeting
    return snapshot, decision


def chart_score(assessment: dict) -> ResponseScore:
    """A score object for the chart partial, rebuilt from a snapshot's assessment."""
    return ResponseScore(
        overall=assessment["overall"],
        dimensions=tuple(
            DimensionScore(d["name"], d["weight"], d["score"], 1.0, 0, 0)
            for d in assessment["dimensions"]
        ),
        coverage=assessment["coverage_pct"] / 100,
        knockouts=(),
        gaps=(),
        missing_required=(),
        dont_know=(),
        answered=0,
        thresholds=Thresholds(assessment["go"], assessment["no_go"], assessment["gap"]),
    )
