"""The sign-off on the alliance page (registered in SignoffsConfig.ready())."""

from django.template.loader import render_to_string

from alliances.access import Action, can
from signoffs.selectors import signoff_state


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
