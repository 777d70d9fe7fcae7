"""The sign-off on the alliance page (registered in SignoffsConfig.ready())."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.access import Action, can
from alliances.pages import WorkItem
from kit.people import display_name
from signoffs.selectors import signoff_state, signoffs_waiting_for


def alliance_page(request, alliance, context: dict) -> dict:
    state = signoff_state(alliance)
    mine = next(
        (
            s
            for s in state.signoffs
            if s.executive_id == request.user.pk and s.is_pending and not state.stale
        ),
        None,
    )
    panel = render_to_string(
        "signoffs/_signoff_panel.html",
        {
            "alliance": alliance,
            "state": state,
            "mine": mine,
            "may_request": can(request.user, Action.REQUEST_SIGNOFF, alliance),
        },
        request=request,
    )
    return {"side_panels": [panel], "signoff": state}


def my_signoffs(request) -> list[WorkItem]:
    """My work: decisions waiting for my sign-off (1 query)."""
    return [
        WorkItem(
            kind="signoff_waiting",
            title=_("Sign off the decision: %(verdict)s") % {"verdict": s.request.verdict},
            url=reverse("signoffs:answer", args=[s.request.alliance.slug, s.pk]),
            detail=_("asked by %(who)s on %(on)s")
            % {
                "who": display_name(s.request.requested_by) if s.request.requested_by else "—",
                "on": date_format(s.request.requested_at, "SHORT_DATE_FORMAT"),
            },
            alliance_name=s.request.alliance.name,
        )
        for s in signoffs_waiting_for(request.user)
    ]
