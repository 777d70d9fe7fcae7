"""What briefs adds to My work: ready briefs of my alliances I have not opened yet
(registered in BriefsConfig.ready())."""

from django.db.models import Exists, OuterRef
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from alliances.pages import WorkItem
from briefs.models import Brief, BriefView


def unopened_briefs(user):
    """The latest ready brief of each alliance on whose team the user is, when they have
    not opened it (one query)."""
    newer = Brief.objects.filter(
        alliance=OuterRef("alliance"),
        status=Brief.Status.READY,
        rendered_at__gt=OuterRef("rendered_at"),
    )
    opened = BriefView.objects.filter(brief=OuterRef("pk"), user=user)
    return (
        Brief.objects.filter(
            status=Brief.Status.READY,
            alliance__memberships__user=user,
            alliance__is_archived=False,
        )
        .exclude(Exists(newer))
        .exclude(Exists(opened))
        .select_related("alliance")
        .defer("snapshot")
        .order_by("-rendered_at")
    )


def my_work(request) -> list[WorkItem]:
    if not request.user.is_authenticated:
        return []
    return [
        WorkItem(
            kind="brief_ready",
            title=_("Read the brief of %(alliance)s") % {"alliance": brief.alliance.name},
            url=brief.get_absolute_url(),
            detail=_("Ready since %(day)s")
            % {"day": date_format(brief.rendered_at, "SHORT_DATE_FORMAT")},
            alliance_name=brief.alliance.name,
        )
        for brief in unopened_briefs(request.user)
    ]
