"""Signals the lower apps send so that the upper ones can react without being imported
by them (dependencies point one way: alliances ← sponsors ← assessments ← decisions)."""

from django.dispatch import Signal

# Something the alliance's decision reads changed: a submission, a reopening, a finding's
# classification, a sponsorship, a sponsor signal, a peer contact or a KPI (sponsor
# health). Sent inside the writing transaction with `alliance` and `by`; decisions
# rechecks the decision at once, so the team hears "the decision is now …" without
# waiting for the daily recheck.
decision_inputs_changed = Signal()


def decision_inputs_changed_on(alliance, by) -> None:
    decision_inputs_changed.send(sender=type(alliance), alliance=alliance, by=by)
