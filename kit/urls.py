"""Links every page repeats (the navbar, an alliance's tabs, a fill page's questions),
reversed once per process."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


def cached_reverse(view_name: str, *args) -> str:
    """`reverse(view_name, args=args)`, remembered: a URL depends only on its name, its
    arguments and the script prefix (`make bench` measures what it saves)."""
    return _reversed(view_name, args, get_script_prefix())


@lru_cache(maxsize=1024)
def _reversed(view_name: str, args: tuple, script_prefix: str) -> str:
    # The prefix is part of the key: a deployment under a sub-path sets it per request.
    return reverse(view_name, args=args)
