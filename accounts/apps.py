from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import sso  # noqa: F401  (registers its settings check)
        from accounts.language import restore_language

        user_logged_in.connect(restore_language, dispatch_uid="accounts.restore_language")
