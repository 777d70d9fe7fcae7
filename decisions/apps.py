from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    """The go / no-go: above assessments (it reads their scores and findings) and below
    sign-off and the brief (they freeze it)."""

    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self):
        from decisions.evidence_targets import CONDITION
        from evidence.targets import target_kinds

        for kind in (CONDITION,):
            target_kinds.add(kind)
        from alliances import pages
        from alliances.signals import decision_inputs_changed
        from decisions import alliance_pages, freshness, recheck, reminders
        from notifications.reminders import daily_jobs

        decision_inputs_changed.connect(
            recheck.on_decision_inputs_changed, dispatch_uid="decisions.recheck"
        )
        freshness.connect()
        pages.alliance_page_contributors.add(alliance_pages.alliance_page)
        daily_jobs.add(recheck.decisions_daily)
        daily_jobs.add(reminders.remind_tracked_owners)
