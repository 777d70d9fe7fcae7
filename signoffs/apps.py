from django.apps import AppConfig


class SignoffsConfig(AppConfig):
    name = "signoffs"
    verbose_name = "Executive sign-off"

    def ready(self):
        from alliances import pages
        from signoffs import alliance_pages

        if alliance_pages.alliance_page not in pages.alliance_page_contributors:
            pages.alliance_page_contributors.append(alliance_pages.alliance_page)
