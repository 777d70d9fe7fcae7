"""Sends a signed-in user on to the second step before any other page.

Runs after django-otp's OTPMiddleware (which tells whether this session entered a
code). A user with an authenticator must enter a code; a user who must have one and
has none is sent to set it up. Until then only the two-factor pages and log-out open.
The same after single sign-on, unless the provider's own second factor is trusted
(OIDC_TRUST_MFA, accounts/sso.py).
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.policy import second_step_done, two_factor_state

OPEN_VIEWS = {"logout", "admin:logout", "accounts:setup", "accounts:verify", "healthz"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or second_step_done(request):
            return None
        if request.resolver_match.view_name in OPEN_VIEWS:
            return None
        state = two_factor_state(user)
        if state.has_device:
            target = "accounts:verify"
        elif state.required:
            target = "accounts:setup"
        else:
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        url = reverse(target) + (f"?{query}" if query else "")
        if request.htmx:
            # htmx would swap the step page into a fragment: make the browser go there.
            return HttpResponseClientRedirect(url)
        return redirect(url)
