from django.apps import AppConfig


class SignoffsConfig(AppConfig):
    name = "signoffs"
    verbose_name = "Executive sign-off"

    def ready(self):
        from alliances import pages
        from signoffs import alliance_pages

        pages.alliance_page_contributors.add(alliance_pages.alliance_page)
