from functools import cache

from django.contrib.auth import backends, get_user_model
from django.db.models import QuerySet

from accounts.policy import two_factor_annotations
from notifications.selectors import unread_count_annotation


class ModelBackend(backends.ModelBackend):
    """Django's, but the signed-in user is loaded with whether they have an authenticator,
    the groups the rules ask about and their unread notifications, in the same query: the
    two-factor check and the navbar on every page cost no extra query."""

    def get_user(self, user_id):
        try:
            user = _signed_in_users().get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


@cache
def _signed_in_users() -> QuerySet:
    """Users annotated as `two_factor_annotations()` and `unread_count_annotation()` say,
    built once per process: building its five subqueries cost more than running them.
    Each request filters a copy, which Django compiles and runs afresh, so nothing read
    is ever stale."""
    return get_user_model()._default_manager.annotate(
        **two_factor_annotations(), **unread_count_annotation()
    )
