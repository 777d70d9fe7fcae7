"""The meetings on the alliance page: the next one and the last one's open actions, in
the page's side column (registered in MeetingsConfig.ready())."""

from django.template.loader import render_to_string
from django.utils import timezone

from meetings.selectors import last_meeting, next_meeting, open_actions
from meetings.services import may_manage, may_mark_done


def alliance_page(request, alliance, context: dict) -> dict:
    now = timezone.now()
    upcoming = next_meeting(alliance, now=now)
    last = last_meeting(alliance, now=now)
    if last is not None and upcoming is not None and last.pk == upcoming.pk:
        # Under way: it is the next one until it ends; the last is the one before.
        last = (
            alliance.meetings.filter(starts_at__lt=upcoming.starts_at)
            .order_by("-starts_at", "-pk")
            .first()
        )
    actions = []
    if last is not None:
        last.alliance = alliance
        today = timezone.localdate()
        for action in open_actions(last):
            action.meeting = last
            action.overdue = action.is_overdue(today)
            action.may_mark_done = may_mark_done(request.user, action)
            actions.append(action)
    if upcoming is not None:
        upcoming.alliance = alliance
    panel = render_to_string(
        "meetings/_alliance_panel.html",
        {
            "alliance": alliance,
            "next": upcoming,
            "last": last,
            "actions": actions,
            "may_manage": may_manage(request.user, alliance),
        },
        request=request,
    )
    return {"side_panels": [panel]}
