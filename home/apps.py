from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top room: the dashboard, My work, the health check, the error pages and the
    demo. It may import every app; none imports it."""

    name = "home"
    verbose_name = _("Home")
