"""The two pages of single sign-on (accounts/sso.py): the start, which sends the browser
to the provider, and the callback it comes back to. Both open without a log-in; with
OIDC_ISSUER unset both are 404. Whatever goes wrong on the way (the provider's error,
an unknown or replayed state, a token that fails its checks, a refused account, the
provider unreachable) ends on the log-in page with the reason and a 400, never a 500."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts import sso
from accounts.views import LoginView

logger = logging.getLogger(__name__)


def _refused(request, message: str):
    """The log-in page with `message`, as a 400."""
    messages.error(request, message)
    response = LoginView.as_view()(request)
    if response.status_code == 200:
        response.status_code = 400
    return response


class _Settings:
    """The library's settings, with ours where the names differ."""

    @staticmethod
    def get_settings(attr, *args):
        if attr == "OIDC_RP_SCOPES":
            return settings.OIDC_SCOPES
        return import_from_settings(attr, *args)


@method_decorator(login_not_required, name="dispatch")
class StartView(_Settings, OIDCAuthenticationRequestView):
    """A new state, nonce and PKCE verifier (S256) in the session, then the provider."""

    def __init__(self, **kwargs):
        # The library reads its endpoint here; ours comes from discovery, on the request.
        View.__init__(self, **kwargs)

    def get(self, request):
        if not sso.enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.discovery()["authorization_endpoint"]
        except sso.SSOError as error:
            return _refused(request, error.message)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(_Settings, OIDCAuthenticationCallbackView):
    """The library checks the state against the session (and forgets it: no replay),
    then our backend (accounts.sso.OIDCBackend) exchanges the code with the PKCE verifier
    and checks the id token; the two-factor middleware takes it from there."""

    failure_message = None

    def get(self, request):
        if not sso.enabled():
            raise Http404
        if request.GET.get("error"):
            self.failure_message = _(
                "%(provider)s did not sign you in (%(error)s): try again, or ask an administrator."
            ) % {"provider": sso.provider_name(), "error": request.GET["error"][:100]}
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            logger.warning("Single sign-on callback refused: %s", error)
            message = _("That sign-in was not started in this browser or has expired: start again.")
        except sso.SSOError as error:
            message = error.message
        except requests.HTTPError as error:
            logger.warning("Single sign-on code exchange refused: %s", error)
            message = _("%(provider)s refused to complete the sign-in: start again.") % {
                "provider": sso.provider_name()
            }
        except requests.RequestException as error:
            logger.warning("Single sign-on provider unreachable: %s", error)
            message = _("%(provider)s cannot be reached just now: try again in a minute.") % {
                "provider": sso.provider_name()
            }
        return _refused(request, message)

    def login_failure(self):
        return _refused(
            self.request,
            self.failure_message
            or _("That sign-in was not started in this browser or has expired: start again."),
        )

    def login_success(self):
        response = super().login_success()
        sso.remember_provider_mfa(self.request, self.user)
        return response
