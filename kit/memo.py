"""A page that changes nothing computes each alliance's decision once, however many of its
panels show it.

The alliance page asks for the decision in its decision card, in the sign-off's evidence
hash and in the summary; the dashboard's panels ask for the latest assessments and the
sponsors again. During a GET or HEAD request nothing they read changes, so the selectors
marked `@per_request` keep their results until the request ends. Writes (POST and the
like), tasks, the shell and tests outside a request always compute afresh.
"""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps

from django.utils import translation

_results: ContextVar[dict | None] = ContextVar("per_request_results", default=None)

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


class PerRequestMemoMiddleware:
    """Opens a memo for each read-only request and drops it when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            return self.get_response(request)
        token = _results.set({})
        try:
            return self.get_response(request)
        finally:
            _results.reset(token)


def in_read_only_request() -> bool:
    """Whether a read-only request is under way (its memo is open)."""
    return _results.get() is not None


def _key(value):
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return (value._meta.label, value.pk)
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(_key(item) for item in value))
    return value


def _materialised(value):
    """Iterators are read once: the memo reads them into a list the function reads too."""
    is_iterator = isinstance(value, Iterable) and not hasattr(value, "_meta")
    if is_iterator and not isinstance(value, (str, bytes, dict, list, tuple)):
        return list(value)
    return value


def per_request(function: Callable) -> Callable:
    """Remember `function`'s result for its arguments (models by primary key, collections
    of them in any order) and the active language, until the read-only request ends.
    The result is shared: callers must not change it."""

    @wraps(function)
    def remembered(*args, **kwargs):
        results = _results.get()
        if results is None:
            return function(*args, **kwargs)
        args = tuple(_materialised(a) for a in args)
        kwargs = {name: _materialised(v) for name, v in kwargs.items()}
        key = (
            function.__module__,
            function.__qualname__,
            translation.get_language(),
            tuple(_key(a) for a in args),
            tuple(sorted((name, _key(v)) for name, v in kwargs.items())),
        )
        if key not in results:
            results[key] = function(*args, **kwargs)
        return results[key]

    return remembered
