"""What a sign-off is given on: the evidence behind the alliance's decision, hashed.

The hash covers the decision's verdict, the answers of the latest submitted assessments,
the findings (with their conditions' owners and due dates, but not the progress made on
them: meeting a condition is what a sign-off expects, not new evidence), the decision's
other conditions likewise (their cause, owner and due date) and the sponsors with their
signals. Anything else (KPIs, the alliance's description, the sign-off itself)
leaves it unchanged.
"""

import hashlib
import json

from alliances.models import Alliance
from assessments.models import Answer, Finding, Response
from assessments.selectors import latest_submitted_assessments
from decisions.models import TrackedCondition
from decisions.selectors import alliance_decision
from kit.memo import per_request
from sponsors.models import Signal, Sponsorship


def canonical_sha256(data) -> str:
    """Hash of the canonical JSON form: key order and spacing never change it; dates and
    decimals count by their text."""
    canonical = json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def evidence_of(alliance: Alliance) -> dict:
    """The evidence of the alliance's current decision, as plain data (9 to 13 queries)."""
    latest = sorted(a.pk for a in latest_submitted_assessments(alliance).values())
    answers = Answer.objects.filter(
        response__assessment_id__in=latest, response__status=Response.Status.SUBMITTED
    ).order_by("pk")
    findings = Finding.objects.filter(assessment_id__in=latest).order_by("pk")
    sponsorships = Sponsorship.objects.filter(alliance=alliance).order_by("pk")
    signals = Signal.objects.filter(sponsorship__alliance=alliance).order_by("pk")
    conditions = (
        TrackedCondition.objects.filter(alliance=alliance)
        .exclude(status=TrackedCondition.Status.CLOSED)
        .order_by("key")
    )
    return {
        "verdict": alliance_decision(alliance).verdict.value,
        "assessments": latest,
        "answers": list(
            answers.values_list(
                "response__assessor_id",
                "question_id",
                "choice_id",
                "is_na",
                "is_dont_know",
                "text",
                "comment",
                "evidence_url",
            )
        ),
        "findings": list(
            findings.values_list(
                "question_id",
                "classification",
                "issue",
                "evidence",
                "mitigation",
                "owner",
                "owner_user_id",
                "due_date",
            )
        ),
        "conditions": list(conditions.values_list("key", "owner_id", "due_date")),
        "sponsorships": list(sponsorships.values()),
        "signals": list(signals.values()),
    }


@per_request
def evidence_sha256(alliance: Alliance) -> str:
    return canonical_sha256(evidence_of(alliance))
