"""Overdue sponsor signals: on My work (registered in SponsorsConfig.ready()) and as a
daily reminder (notifications.reminders)."""

from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliances.access import visible_alliances
from alliances.models import Membership
from alliances.pages import WorkItem
from notifications.models import Kind
from notifications.reminders import day_key
from notifications.services import notify
from sponsors.models import Sponsorship
from sponsors.selectors import sponsorships_overdue

User = get_user_model()


def _in_use():
    return (
        Sponsorship.objects.active()
        .filter(alliance__is_archived=False)
        .select_related("alliance", "sponsor")
        .order_by("alliance__name", "pk")
    )


def _summary(items: tuple[str, ...]) -> str:
    more = len(items) - 1
    if not more:
        return items[0]
    return items[0] + " " + ngettext("(and %(n)d more)", "(and %(n)d more)", more) % {"n": more}


def my_work(request) -> list[WorkItem]:
    """Sponsorships with something overdue, for their alliance's managers and for the
    sponsor themself (three queries)."""
    user = request.user
    if not user.is_authenticated:
        return []
    managed = Membership.objects.filter(user=user, role=Membership.Role.MANAGER)
    mine = (
        _in_use()
        .filter(alliance__in=visible_alliances(user).values("pk"))
        .filter(Q(alliance__in=managed.values("alliance_id")) | Q(sponsor__user=user))
    )
    mine = list(mine)
    owed = sponsorships_overdue(mine)
    return [
        WorkItem(
            kind="signal_overdue",
            title=_("%(sponsor)s on %(alliance)s: a signal is overdue")
            % {"sponsor": s.sponsor.name, "alliance": s.alliance.name},
            url=(
                reverse("sponsors:mine")
                if s.sponsor.user_id == user.pk
                else reverse("sponsors:alliance", args=[s.alliance.slug])
            ),
            detail=_summary(owed[s.pk]),
            overdue=True,
            alliance_name=s.alliance.name,
        )
        for s in mine
        if s.pk in owed
    ]


def remind_overdue_signals(day: date) -> int:
    """Daily job: each alliance's managers and the sponsor themself hear of a sponsorship
    with something overdue, once per sponsorship and day. Returns notifications created."""
    sponsorships = list(_in_use())
    owed = sponsorships_overdue(sponsorships, today=day)
    if not owed:
        return 0
    alliance_ids = {s.alliance_id for s in sponsorships if s.pk in owed}
    managers = defaultdict(list)
    for membership in Membership.objects.filter(
        alliance_id__in=alliance_ids, role=Membership.Role.MANAGER
    ).select_related("user"):
        managers[membership.alliance_id].append(membership.user)
    sponsor_users = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[s.sponsor.user_id for s in sponsorships if s.sponsor.user_id]
        )
    }
    created = 0
    for sponsorship in sponsorships:
        if sponsorship.pk not in owed:
            continue
        recipients = [*managers[sponsorship.alliance_id]]
        if sponsorship.sponsor.user_id in sponsor_users:
            recipients.append(sponsor_users[sponsorship.sponsor.user_id])
        created += len(
            notify(
                Kind.SIGNAL_OVERDUE,
                alliance=sponsorship.alliance,
                recipients=recipients,
                title=_("%(sponsor)s on %(alliance)s: a signal is overdue")
                % {"sponsor": sponsorship.sponsor.name, "alliance": sponsorship.alliance.name},
                body="\n".join(owed[sponsorship.pk]),
                url=reverse("sponsors:alliance", args=[sponsorship.alliance.slug]),
                key=day_key(Kind.SIGNAL_OVERDUE, f"sponsorship:{sponsorship.pk}", day),
            )
        )
    return created
