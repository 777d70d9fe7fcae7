"""The language chooser: the choice is a cookie for this browser, a session value and the
user's profile (accounts.models.Profile), so it follows them to another browser at the
next log-in and e-mails and PDF briefs can be written in it.

`LanguageMiddleware` (in place of Django's LocaleMiddleware) takes the session's language
first, then Django's usual order: the language cookie, then the browser's Accept-Language.
"""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts import services
from accounts.models import Profile

SESSION_KEY = "_language"


def supported(code: str | None) -> str | None:
    """`code` as one of settings.LANGUAGES, or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        session = getattr(request, "session", None)
        code = supported(session.get(SESSION_KEY)) if session is not None else None
        if code is None:
            return super().process_request(request)
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        return None


@require_POST
def set_language(request):
    """Django's set_language (cookie, safe redirect to `next`), and for the signed-in user
    the session and their profile."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        raise BadRequest(_("Choose one of the languages offered."))
    response = django_set_language(request)
    if request.user.is_authenticated:
        request.session[SESSION_KEY] = code
        services.language_choose(language=code, by=request.user)
    return response


def restore_language(sender, request, user, **kwargs):
    """On log-in (signal `user_logged_in`): the language the user chose last time."""
    if request is None or not hasattr(request, "session"):
        return
    profile = Profile.objects.filter(user_id=user.pk).only("language").first()
    code = supported(profile.language if profile else None)
    if code:
        request.session[SESSION_KEY] = code
