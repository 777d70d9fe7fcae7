"""What assessments adds to the alliance list through alliances/pages.py (registered in
AssessmentsConfig.ready()): which alliances are due for a reassessment round."""

from assessments.round_selectors import due_alliance_ids


def alliance_list(request, alliances) -> dict:
    """Ids of the listed alliances due for a reassessment round (2 queries)."""
    return {"reassessment_due": due_alliance_ids(alliances)}
