"""What higher apps add to the alliance pages, without alliances importing them.

The dashboard and the alliance page show the decision, which `assessments` computes.
Alliances is the lowest app, so it imports nothing of assessments (an import-linter
contract says so): instead, an app registers a contributor here from its
`AppConfig.ready()`, and the alliance views call every contributor for its context.
"""

from collections.abc import Callable, Iterable

# (request, alliances shown) -> extra context of the dashboard
DashboardContributor = Callable[[object, Iterable], dict]
# (request, alliance, the page's context so far) -> extra context of the alliance page
AlliancePageContributor = Callable[[object, object, dict], dict]

# (request, alliances of the page) -> extra context of the alliance list
AllianceListContributor = Callable[[object, Iterable], dict]

dashboard_contributors: list[DashboardContributor] = []
alliance_list_contributors: list[AllianceListContributor] = []
alliance_page_contributors: list[AlliancePageContributor] = []


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
