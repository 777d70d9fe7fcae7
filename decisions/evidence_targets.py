"""A tracked condition as a target of evidence files (evidence/targets.py): whoever may
update the condition (its page edits its evidence link) attaches and removes files."""

from django.urls import reverse
from django.utils.translation import gettext as _

from decisions import services
from decisions.models import TrackedCondition
from evidence.targets import TargetKind


def _find(alliance, pk):
    condition = TrackedCondition.objects.filter(pk=pk, alliance=alliance).first()
    if condition is not None:
        condition.alliance = alliance
    return condition


CONDITION = TargetKind(
    name="condition",
    model=TrackedCondition,
    label=lambda: _("condition"),
    find=_find,
    may_change=services.may_update_tracked,
    locked=lambda condition: "",
    back_url=lambda c: reverse("decisions:condition", args=[c.alliance.slug, c.pk]),
    describe=lambda c: c.shown_text,
)
