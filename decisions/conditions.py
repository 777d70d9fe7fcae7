"""The decision's conditions kept as tracked records: after each recheck the conditions it
names (other than a finding's, followed up on the finding) get a record each, found again
by the key of their cause; a record whose cause is gone is closed by the system, and one
whose cause comes back reopens with its owner and due date. The history's reasons are
kept untranslated (`gettext_noop`) and shown in the reader's language."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from alliances.models import Alliance
from decisions.models import TrackedCondition
from decisions.rules import Condition, Decision
from kit.texts import say

Status = TrackedCondition.Status


@transaction.atomic
def conditions_sync(*, alliance: Alliance, decision: Decision) -> bool:
    """Bring the alliance's tracked conditions in line with `decision` (2 queries when
    nothing changed). Returns whether a condition was named, reopened or closed."""
    wanted = {c.key: c for c in decision.conditions if c.source != "finding" and c.key}
    existing = {
        t.key: t for t in TrackedCondition.objects.select_for_update().filter(alliance=alliance)
    }
    today = timezone.localdate()
    moved = False
    for key, condition in wanted.items():
        tracked = existing.get(key)
        text, words = _kept(condition)
        if tracked is None:
            tracked = TrackedCondition(
                alliance=alliance, key=key, source=condition.source, text=text, words=words
            )
            tracked._change_reason = gettext_noop("Named by the decision")
            tracked.save()
            moved = True
        elif tracked.status == Status.CLOSED:
            tracked.status, tracked.status_by, tracked.status_on = Status.OPEN, None, today
            tracked.text, tracked.words = text, words
            tracked._change_reason = gettext_noop("Reopened: its cause is back")
            tracked.save()
            moved = True
        elif tracked.words != words:
            tracked.text, tracked.words = text, words
            tracked._change_reason = gettext_noop("The decision words it anew")
            tracked.save(update_fields=["text", "words"])
    for key, tracked in existing.items():
        if key not in wanted and tracked.is_active:
            tracked.status, tracked.status_by, tracked.status_on = Status.CLOSED, None, today
            tracked._change_reason = gettext_noop(
                "Closed by the system: the decision no longer names it (its cause is gone)"
            )
            tracked.save()
            moved = True
    return moved


def _kept(condition: Condition) -> tuple[str, dict]:
    """The condition's words to keep, and its text in the site's language: the record
    reads the same whoever's recheck wrote it, and each reader sees it in theirs."""
    if not condition.words:
        return condition.text, {}
    words = json.loads(condition.words)
    with translation.override(settings.LANGUAGE_CODE):
        return say(words), words
