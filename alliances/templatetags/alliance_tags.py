"""Template tags any app's templates may use (alliances is the lowest app)."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@register.simple_tag
def cached_url(view_name: str, *args) -> str:
    """`{% cached_url "alliances:team" alliance.slug %}`: `{% url %}` for the parts of every
    page (the navbar, an alliance's tabs), each URL reversed once per process. A URL
    depends only on its name, its arguments and the script prefix; reversing some twenty
    links on every request was 6 % of the fill page's time."""
    return _reversed(view_name, args, get_script_prefix())


@lru_cache(maxsize=1024)
def _reversed(view_name: str, args: tuple, script_prefix: str) -> str:
    # The prefix is part of the key: a deployment under a sub-path sets it per request.
    return reverse(view_name, args=args)


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict's value by a key held in a variable."""
    return mapping.get(key) if mapping else None


@register.filter
def sees_portfolio(user) -> bool:
    """`{% if user|sees_portfolio %}`: whether to offer the portfolio (alliances.access)."""
    from alliances.access import can_see_portfolio

    return can_see_portfolio(user)
