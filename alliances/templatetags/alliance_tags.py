"""Template tags any app's templates may use (alliances is the lowest app)."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict's value by a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def sees_portfolio(user) -> bool:
    """`{% if user|sees_portfolio %}`: whether to offer the portfolio (alliances.access)."""
    from alliances.access import can_see_portfolio

    return can_see_portfolio(user)
