"""Reads of the sign-off: the alliance's current state and what waits for an executive."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, OuterRef, Subquery

from alliances.access import my_team_alliances
from alliances.models import Alliance, Membership
from decisions.selectors import alliance_decision, alliance_decision_inputs
from signoffs.evidence import evidence_sha256
from signoffs.models import SignOff, SignOffRequest


@dataclass(frozen=True)
class SignOffState:
    """The latest request of an alliance, its answers, and whether the evidence changed
    since (then the sign-off is stale and must be asked again)."""

    request: SignOffRequest | None
    signoffs: tuple[SignOff, ...] = ()
    stale: bool = False

    @property
    def since(self) -> datetime | None:
        """When it was last signed (the latest answer), else when it was requested."""
        answered = [s.answered_at for s in self.signoffs if s.answered_at]
        if answered:
            return max(answered)
        return self.request.requested_at if self.request else None

    @property
    def answered(self) -> bool:
        return any(not s.is_pending for s in self.signoffs)

    @property
    def approved(self) -> bool:
        """Every executive asked approved it, and the evidence is unchanged."""
        return (
            bool(self.signoffs)
            and not self.stale
            and all(s.answer == SignOff.Answer.APPROVED for s in self.signoffs)
        )


def decision_shown(alliance: Alliance) -> dict:
    """The decision as the sign-off page shows it, as plain data and dates (what an answer
    records):
    verdict, rationale, every condition with its owner, due date and status, and each
    score with the day its round was submitted and whether it is overdue."""
    data = alliance_decision_inputs([alliance])[alliance.pk]
    decision = alliance_decision(alliance)
    return {
        "verdict": decision.verdict.value,
        "rationale": decision.rationale,
        "conditions": [
            {
                "text": c.text,
                "source": c.source,
                "owner": c.owner,
                "due": c.due,
                "status": c.status,
                "met": c.met,
                "overdue": c.overdue,
            }
            for c in decision.conditions
        ],
        "scores": [
            {
                "label": a.label,
                "bank": a.bank,
                "version": a.version,
                "overall": None if a.overall is None else round(a.overall),
                "coverage": round(a.coverage * 100),
                "submitted": a.submitted,
                "overdue_since": a.overdue_since,
            }
            for a in data.assessments
        ],
    }


def signoff_state(alliance: Alliance, *, current_sha256: str | None = None) -> SignOffState:
    request = (
        SignOffRequest.objects.filter(alliance=alliance).select_related("requested_by").first()
    )
    if request is None:
        return SignOffState(None)
    signoffs = tuple(request.signoffs.select_related("executive").order_by("pk"))
    current = current_sha256 or evidence_sha256(alliance)
    return SignOffState(request, signoffs, stale=current != request.evidence_sha256)


def signoff_history(alliance: Alliance) -> list[SignOffRequest]:
    """Every request of the alliance, newest first, with `answers` (2 queries)."""
    requests = list(SignOffRequest.objects.filter(alliance=alliance).select_related("requested_by"))
    by_request: dict[int, list[SignOff]] = {r.pk: [] for r in requests}
    for signoff in SignOff.objects.filter(request__in=requests).select_related("executive"):
        by_request[signoff.request_id].append(signoff)
    for request in requests:
        request.answers = by_request[request.pk]
    return requests


def signoffs_waiting_for(user) -> list[SignOff]:
    """The user's unanswered sign-offs on the latest request of each alliance they may
    see (1 query): what waits for this executive."""
    if not user.is_authenticated:
        return []
    latest = (
        SignOffRequest.objects.filter(alliance=OuterRef("request__alliance"))
        .order_by("-requested_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        SignOff.objects.filter(
            executive=user,
            answer=SignOff.Answer.PENDING,
            request__withdrawn_at__isnull=True,
            request__alliance__in=my_team_alliances(user, role=Membership.Role.EXECUTIVE),
        )
        .annotate(latest=Subquery(latest))
        .filter(request_id=F("latest"))
        .select_related("request__alliance", "request__requested_by")
        .order_by("request__requested_at")
    )
