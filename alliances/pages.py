"""What higher apps add to the alliance pages, without alliances importing them.

The dashboard and the alliance page show the decision, which `assessments` computes.
Alliances sits below assessments, so it imports nothing of it (an import-linter
contract says so): instead, an app adds a contributor to a registry here from its
`AppConfig.ready()`, and the alliance views call every contributor for its context.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from kit.registry import Registry

# (request, alliances shown) -> extra context of the dashboard
DashboardContributor = Callable[[object, Iterable], dict]
# (request, alliance, the page's context so far) -> extra context of the alliance page
AlliancePageContributor = Callable[[object, object, dict], dict]

# (request, alliances of the page) -> extra context of the alliance list
AllianceListContributor = Callable[[object, Iterable], dict]

dashboard_contributors: Registry[DashboardContributor] = Registry("dashboard")
alliance_list_contributors: Registry[AllianceListContributor] = Registry("alliance list")
alliance_page_contributors: Registry[AlliancePageContributor] = Registry("alliance page")


@dataclass(frozen=True)
class WorkItem:
    """One thing that needs the user now, on My work: it links to where it is done."""

    kind: str  # e.g. "answers_due", "findings_to_classify", "brief_ready", "signal_overdue"
    title: str
    url: str
    detail: str = ""
    due: date | None = None
    overdue: bool = False
    alliance_name: str = ""


# request -> the items that need the user (each contributor in a fixed number of queries)
MyWorkContributor = Callable[[object], list[WorkItem]]
my_work_contributors: Registry[MyWorkContributor] = Registry("my work")


def my_work(request) -> list[WorkItem]:
    """Everything that needs the user, overdue first, then by due date (undated last).
    Computed once per request."""
    cached = getattr(request, "_my_work", None)
    if cached is not None:
        return cached
    items: list[WorkItem] = []
    for contribute in my_work_contributors:
        items += contribute(request)
    items.sort(key=lambda item: (not item.overdue, item.due is None, item.due or date.min))
    request._my_work = items
    return items


def dashboard_context(request, alliances) -> dict:
    extra: dict = {}
    for contribute in dashboard_contributors:
        extra.update(contribute(request, alliances))
    return extra


def alliance_list_context(request, alliances) -> dict:
    """Extra context of the alliance list (e.g. `reassessment_due`: ids of alliances due)."""
    extra: dict = {}
    for contribute in alliance_list_contributors:
        extra.update(contribute(request, alliances))
    return extra


def alliance_page_context(request, alliance, context: dict) -> dict:
    """Extra context of the alliance page; `side_panels` (HTML) are shown in the side column."""
    extra: dict = {"side_panels": []}
    for contribute in alliance_page_contributors:
        contributed = contribute(request, alliance, context)
        extra["side_panels"] += contributed.pop("side_panels", [])
        extra.update(contributed)
    return extra
