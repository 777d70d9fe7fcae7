from django import template

from decisions.robustness_selectors import alliance_robustness
from decisions.selectors import alliance_decision

register = template.Library()


@register.inclusion_tag("decisions/_decision_card.html", takes_context=True)
def decision_card(context, alliance, brief_link=True):
    """The alliance page's decision: verdict, rationale, how robust the verdict is, every
    reason and the conditions."""
    return {
        "alliance": alliance,
        "actions": context.get("actions", ()),
        "decision": alliance_decision(alliance),
        "robustness": alliance_robustness(alliance),
        "brief_link": brief_link,
    }
