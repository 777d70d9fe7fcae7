from django.contrib.auth import backends, get_user_model

from accounts.policy import two_factor_annotations


class ModelBackend(backends.ModelBackend):
    """Django's, but the signed-in user is loaded with whether they have an authenticator
    and must have one: the two-factor check on every page costs no extra query."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(**two_factor_annotations())
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
