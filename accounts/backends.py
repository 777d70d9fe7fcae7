from functools import cache

from django.contrib.auth import backends, get_user_model

from accounts.policy import two_factor_annotations


class ModelBackend(backends.ModelBackend):
    """Django's, but the signed-in user is loaded with whether they have an authenticator
    and must have one: the two-factor check on every page costs no extra query."""

    def get_user(self, user_id):
        user = _users_with_two_factor().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


@cache
def _users_with_two_factor():
    """Built once per process: resolving the two subqueries took longer than running the
    query, on every request. Only ever filtered (a copy), never read itself."""
    return get_user_model()._default_manager.annotate(**two_factor_annotations())
