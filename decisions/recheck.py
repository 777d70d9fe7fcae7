"""The decision's memory: when a write or the passing time moves an alliance's verdict, the
team's executives and managers hear from what to what and why, and the record moves on.
Writes anywhere below send alliances.signals.decision_inputs_changed; the daily job
rechecks every alliance in use."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance, Membership
from assessments.events import team
from assessments.selectors import ScoredLatest, scored_latest
from decisions.codec import encode
from decisions.conditions import conditions_sync
from decisions.models import DecisionRecord
from decisions.robustness_selectors import decision_robustness
from decisions.rules import Decision, DecisionInput, Verdict, decide
from decisions.selectors import decision_inputs, tracked_states
from kit import events
from kit.texts import in_sentence
from notifications.models import Kind
from notifications.reminders import day_key
from notifications.services import notify

Role = Membership.Role


def decision_changed_text(previous: str, decision: Decision) -> str:
    """“From GO to NO-GO because …”: the previous and new verdicts and the reason, in the
    active language (the reason's first letter lower-cased in English only: in German it
    is often a noun)."""
    return _("From %(before)s to %(after)s because %(why)s") % {
        "before": Verdict(previous).label,
        "after": decision.verdict.label,
        "why": in_sentence(decision.because),
    }


def decision_recheck(
    *,
    alliance: Alliance,
    data: DecisionInput,
    scored: ScoredLatest,
    by=None,
    key: str | None = None,
    quiet=False,
) -> bool:
    """Decide from `data` (read over `scored`), follow its conditions up, store the record
    the pages read, and when the verdict differs from the one last told, tell the team's
    executives and managers. An alliance never told yet counts as INCOMPLETE before,
    unless `quiet` (the daily recheck's first look at an alliance only records it).
    Returns whether the team was told."""
    decision = decide(data)
    verdict = decision.verdict.value
    today = timezone.localdate()
    with transaction.atomic():
        if conditions_sync(alliance=alliance, decision=decision):
            # A reopened condition brings back its owner and due date: read them again.
            states = tracked_states([alliance.pk], today=today).get(alliance.pk, ())
            data = replace(data, tracked=states)
            decision = decide(data)
        stored = {
            "rationale": decision.rationale,
            "inputs": encode(data),
            "robustness": encode(decision_robustness(alliance.pk, data, scored)),
            "computed_on": today,
        }
        record = DecisionRecord.objects.select_for_update().filter(alliance=alliance).first()
        if record is None:
            DecisionRecord.objects.create(
                alliance=alliance, verdict=verdict, changed_at=timezone.now(), **stored
            )
            previous = Verdict.INCOMPLETE.value
            if quiet or verdict == previous:
                return False
        elif record.verdict == verdict:
            DecisionRecord.objects.filter(pk=record.pk).update(**stored)
            return False
        else:
            previous = record.verdict
            DecisionRecord.objects.filter(pk=record.pk).update(
                verdict=verdict, changed_at=timezone.now(), **stored
            )
        events.publish(
            events.DECISION_CHANGED,
            alliance_id=alliance.pk,
            verdict=verdict,
            previous_verdict=previous,
        )
        notify(
            Kind.DECISION_CHANGED,
            alliance=alliance,
            recipients=team(alliance, Role.EXECUTIVE, Role.MANAGER),
            # Written in each recipient's language (the rationale decided again in it).
            title=lambda: (
                _("%(alliance)s: the decision is now %(verdict)s")
                % {"alliance": alliance.name, "verdict": Verdict(verdict).label}
            ),
            body=lambda: decision_changed_text(previous, decide(data)),
            url=alliance.get_absolute_url(),
            # No `by`: not the actor's own act but its consequence, so whoever moved the
            # decision hears of it too (the manager who classified a showstopper sees NO-GO).
            by=None,
            key=key,
        )
        return True


def decision_after_change(*, alliance: Alliance, by) -> bool:
    """After a write that may move the decision (a submission, a reopening, a
    classification): recompute it, store the record and tell the team if its verdict
    changed."""
    alliance = Alliance.objects.get(pk=alliance.pk)  # without the caller's annotations
    scored = scored_latest([alliance.pk])
    data = decision_inputs([alliance], scored=scored)[alliance.pk]
    return decision_recheck(alliance=alliance, data=data, scored=scored, by=by)


def on_decision_inputs_changed(sender, *, alliance: Alliance, by, **kwargs) -> None:
    """Receiver of alliances.signals.decision_inputs_changed: a sponsor record or a KPI
    moved sponsor health, which the decision reads; tell the team now, not at the daily
    recheck."""
    decision_after_change(alliance=alliance, by=by)


def decisions_daily(day: date) -> int:
    """Daily job: the decisions also move with time and sponsors (health); recheck every
    alliance in use, once per alliance and day. Returns the notifications' count."""
    alliances = {a.pk: a for a in Alliance.objects.filter(is_archived=False)}
    scored = scored_latest(list(alliances))
    told = 0
    for pk, data in decision_inputs(alliances.values(), scored=scored).items():
        verdict = decide(data).verdict.value
        key = day_key(Kind.DECISION_CHANGED, f"alliance:{pk}:{verdict}", day)
        told += decision_recheck(
            alliance=alliances[pk], data=data, scored=scored, key=key, quiet=True
        )
    return told
