"""What higher apps add to the alliance pages, without alliances importing them.

The alliance list and the alliance page show the decision, which a higher app computes.
Alliances sits below it, so it imports nothing of it (an import-linter contract says
so): instead, an app adds a contributor to a registry here from its `AppConfig.ready()`,
and the alliance views call every contributor for its context. `WorkItem` is what every
app's part of My work (home/my_work.py) is made of.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from kit.registry import Registry

# (request, alliance, the page's context so far) -> extra context of the alliance page
AlliancePageContributor = Callable[[object, object, dict], dict]

# (request, alliances of the page) -> extra context of the alliance list
AllianceListContributor = Callable[[object, Iterable], dict]

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
