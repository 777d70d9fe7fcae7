"""Template tags any app's templates may use (alliances is the lowest app)."""

from django import template

from kit.urls import cached_reverse

register = template.Library()


@register.simple_tag
def cached_url(view_name: str, *args) -> str:
    """`{% cached_url "alliances:team" alliance.slug %}`: `{% url %}` for the parts of every
    page (the navbar, an alliance's tabs), each URL reversed once per process."""
    return cached_reverse(view_name, *args)


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict's value by a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def sees_portfolio(user) -> bool:
    """`{% if user|sees_portfolio %}`: whether to offer the portfolio (alliances.access)."""
    from alliances.access import can_see_portfolio

    return can_see_portfolio(user)
