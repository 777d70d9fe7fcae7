from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class BanksConfig(AppConfig):
    name = "banks"
    verbose_name = _("Question banks")

    def ready(self):
        from banks.groups import ensure_groups

        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="banks.groups")

        from banks import wording
        from banks.models import BankVersion, QuestionBank
        from kit import texts

        texts.set_bank_words(wording.in_active_language)
        for model in (QuestionBank, BankVersion):
            for signal in (post_save, post_delete):
                signal.connect(wording.forget, sender=model, dispatch_uid=f"banks.wording.{model}")
