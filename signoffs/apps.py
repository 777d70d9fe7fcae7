from django.apps import AppConfig


class SignoffsConfig(AppConfig):
    name = "signoffs"
    verbose_name = "Executive sign-off"

    def ready(self):
        from alliances import demo, pages
        from signoffs import alliance_pages
        from signoffs import demo as signoff_demo

        pages.alliance_page_contributors.add(alliance_pages.alliance_page)
        pages.my_work_contributors.add(alliance_pages.my_signoffs)
        if signoff_demo.seed not in demo.later_seeders:
            demo.later_seeders.append(signoff_demo.seed)
