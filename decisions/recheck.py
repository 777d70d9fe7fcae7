"""The decision's memory: when a write or the passing time moves an alliance's verdict, the
team's executives and managers hear from what to what and why, and the record moves on.
Writes anywhere below send alliances.signals.decision_inputs_changed; the daily job
rechecks every alliance in use."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance, Membership
from assessments.events import team
from decisions.conditions import conditions_sync
from decisions.models import DecisionRecord
from decisions.rules import Decision, Verdict
from decisions.selectors import alliance_decision, alliance_decisions
from notifications.models import Kind
from notifications.reminders import day_key
from notifications.services import notify

Role = Membership.Role


def decision_changed_text(previous: str, decision: Decision) -> str:
    """“From GO to NO-GO because …”: the previous and new verdicts and the reason."""
    return _("From %(before)s to %(after)s because %(why)s") % {
        "before": previous,
        "after": decision.verdict.value,
        "why": decision.because[:1].lower() + decision.because[1:],
    }


def decision_recheck(
    *, alliance: Alliance, decision: Decision, by=None, key: str | None = None, quiet=False
) -> bool:
    """Compare the alliance's decision with the one last told; when the verdict differs,
    tell the team's executives and managers and remember the new one. An alliance never
    told yet counts as INCOMPLETE before, unless `quiet` (the daily recheck's first look
    at an alliance only records it). Returns whether the team was told."""
    verdict = decision.verdict.value
    with transaction.atomic():
        conditions_sync(alliance=alliance, decision=decision)
        record = DecisionRecord.objects.select_for_update().filter(alliance=alliance).first()
        if record is None:
            DecisionRecord.objects.create(
                alliance=alliance,
                verdict=verdict,
                rationale=decision.rationale,
                changed_at=timezone.now(),
            )
            previous = Verdict.INCOMPLETE.value
            if quiet or verdict == previous:
                return False
        elif record.verdict == verdict:
            if record.rationale != decision.rationale:
                record.rationale = decision.rationale
                record.save(update_fields=["rationale"])
            return False
        else:
            previous = record.verdict
            record.verdict, record.rationale = verdict, decision.rationale
            record.changed_at = timezone.now()
            record.save()
        notify(
            Kind.DECISION_CHANGED,
            alliance=alliance,
            recipients=team(alliance, Role.EXECUTIVE, Role.MANAGER),
            title=_("%(alliance)s: the decision is now %(verdict)s")
            % {"alliance": alliance.name, "verdict": verdict},
            body=decision_changed_text(previous, decision),
            url=alliance.get_absolute_url(),
            # No `by`: not the actor's own act but its consequence, so whoever moved the
            # decision hears of it too (the manager who classified a showstopper sees NO-GO).
            by=None,
            key=key,
        )
        return True


def decision_after_change(*, alliance: Alliance, by) -> bool:
    """After a write that may move the decision (a submission, a reopening, a
    classification): recompute it and tell the team if its verdict changed."""
    alliance = Alliance.objects.get(pk=alliance.pk)  # without the caller's annotations
    return decision_recheck(alliance=alliance, decision=alliance_decision(alliance), by=by)


def on_decision_inputs_changed(sender, *, alliance: Alliance, by, **kwargs) -> None:
    """Receiver of alliances.signals.decision_inputs_changed: a sponsor record or a KPI
    moved sponsor health, which the decision reads; tell the team now, not at the daily
    recheck."""
    decision_after_change(alliance=alliance, by=by)


def decisions_daily(day: date) -> int:
    """Daily job: the decisions also move with time and sponsors (health); recheck every
    alliance in use, once per alliance and day. Returns the notifications' count."""
    alliances = {a.pk: a for a in Alliance.objects.filter(is_archived=False)}
    told = 0
    for pk, decision in alliance_decisions(alliances.values()).items():
        alliance = alliances[pk]
        key = day_key(Kind.DECISION_CHANGED, f"alliance:{pk}:{decision.verdict.value}", day)
        told += decision_recheck(alliance=alliance, decision=decision, key=key, quiet=True)
    return told
