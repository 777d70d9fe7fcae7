from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    """Files attached as evidence to answers, findings, conditions and sponsor signals.

    Below the apps whose things carry files (they register those things as targets,
    evidence/targets.py) and above `alliances`, whose access rules decide who reads them.
    """

    name = "evidence"
    verbose_name = _("Evidence files")
