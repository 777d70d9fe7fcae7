from django.apps import AppConfig


class SignoffsConfig(AppConfig):
    name = "signoffs"
    verbose_name = "Executive sign-off"

    def ready(self):
        from alliances import pages
        from alliances.signals import decision_inputs_changed
        from notifications.reminders import daily_jobs
        from signoffs import alliance_pages, services

        pages.alliance_page_contributors.add(alliance_pages.alliance_page)
        # After the decision's recheck (decisions connects first): a request whose
        # evidence changed is withdrawn at once; the daily job catches what time moved.
        decision_inputs_changed.connect(
            services.on_decision_inputs_changed, dispatch_uid="signoffs.withdraw"
        )
        daily_jobs.add(services.signoffs_daily)
