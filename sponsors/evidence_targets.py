"""A sponsor signal as a target of evidence files (evidence/targets.py): whoever may edit
the signal (who recorded it, or a manager of the sponsors) attaches and removes files."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from evidence.targets import TargetKind
from sponsors.access import can_change_signal
from sponsors.models import Signal


def _find(alliance, pk):
    signal = (
        Signal.objects.select_related("sponsorship__sponsor")
        .filter(pk=pk, sponsorship__alliance=alliance)
        .first()
    )
    if signal is not None:
        signal.sponsorship.alliance = alliance
    return signal


def _describe(signal) -> str:
    return _("%(kind)s of %(date)s for %(name)s") % {
        "kind": signal.get_kind_display(),
        "date": date_format(signal.date, "SHORT_DATE_FORMAT"),
        "name": signal.sponsorship.sponsor.name,
    }


SIGNAL = TargetKind(
    name="signal",
    model=Signal,
    label=lambda: _("sponsor signal"),
    find=_find,
    may_change=lambda user, s: can_change_signal(user, s, s.sponsorship.alliance),
    locked=lambda signal: "",
    back_url=lambda s: reverse("sponsors:signal_edit", args=[s.sponsorship.alliance.slug, s.pk]),
    describe=_describe,
)
