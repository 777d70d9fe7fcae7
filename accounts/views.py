"""Two-factor pages: set up, the code after the password, and the user's own settings."""

from base64 import b32encode
from textwrap import wrap
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import services, sso
from accounts.forms import CodeForm, LoginForm
from accounts.password_reset import PasswordResetForm
from accounts.policy import (
    confirmed_device,
    recovery_codes_left,
    second_step_done,
    two_factor_state,
)

NEW_CODES_SESSION_KEY = "accounts_new_recovery_codes"


def _next_url(request) -> str:
    """Where to go after the second step: a path of this site, else the dashboard."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's, with "Sign in with <provider>" when single sign-on is set up, and the
    password refused to all but superusers when PASSWORD_LOGIN is off."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sso_provider=sso.provider_name() if sso.enabled() else None,
            password_login=settings.PASSWORD_LOGIN,
            **kwargs,
        )


class BadRequestOnInvalidForm:
    """A refused code is a 400, with the form and its message."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class VerifyView(BadRequestOnInvalidForm, FormView):
    template_name = "accounts/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if second_step_done(request):
            return HttpResponseRedirect(_next_url(request))
        self.device = confirmed_device(request.user)
        if self.device is None:
            if two_factor_state(request.user).required:
                return redirect(f"{reverse('accounts:setup')}?{request.GET.urlencode()}")
            return HttpResponseRedirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        recovery = StaticDevice.objects.filter(user=self.request.user, confirmed=True).first()
        return {**super().get_form_kwargs(), "devices": [self.device, recovery]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)

    def form_valid(self, form):
        _verified(self.request, form.device)
        if isinstance(form.device, StaticDevice):
            left = recovery_codes_left(self.request.user)
            messages.warning(
                self.request,
                ngettext(
                    "You used a recovery code; %(left)d left. Each works once: make new ones "
                    "from Two-factor authentication in your menu if you run low.",
                    "You used a recovery code; %(left)d left. Each works once: make new ones "
                    "from Two-factor authentication in your menu if you run low.",
                    left,
                )
                % {"left": left},
            )
        return HttpResponseRedirect(_next_url(self.request))


def _verified(request, device) -> None:
    """The session has passed the second step: a new session key from here on, so a
    cookie taken before the code (after the password only) opens nothing."""
    request.session.cycle_key()
    otp_login(request, device)


class SetupView(BadRequestOnInvalidForm, FormView):
    template_name = "accounts/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if confirmed_device(request.user) is not None:
            if request.user.is_verified():
                messages.info(request, _("Two-factor authentication is already on."))
                return redirect("accounts:manage")
            return redirect(f"{reverse('accounts:verify')}?{request.GET.urlencode()}")
        self.device = services.pending_device_get_or_create(by=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "devices": [self.device], "allow_recovery": False}

    def get_context_data(self, **kwargs):
        url = self.device.config_url
        return super().get_context_data(
            # In groups of four, as authenticator apps accept it with or without spaces.
            secret=" ".join(wrap(b32encode(self.device.bin_key).decode(), 4)),
            qr_code=segno.make(url, error="m").svg_data_uri(scale=5, border=2),
            required=two_factor_state(self.request.user).required,
            next=_next_url(self.request),
            **kwargs,
        )

    def form_valid(self, form):
        self.request.session[NEW_CODES_SESSION_KEY] = services.device_confirm(device=self.device)
        _verified(self.request, self.device)
        messages.success(self.request, _("Two-factor authentication is on."))
        query = urlencode({"next": _next_url(self.request)})
        return redirect(f"{reverse('accounts:recovery_codes')}?{query}")


class RecoveryCodesView(TemplateView):
    """New recovery codes, shown once: they leave the session as the page is drawn."""

    template_name = "accounts/recovery_codes.html"

    def get(self, request, *args, **kwargs):
        codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
        if not codes:
            messages.info(
                request,
                _("Recovery codes are shown only once. Make new ones if you have lost them."),
            )
            return redirect("accounts:manage")
        return self.render_to_response(self.get_context_data(codes=codes, next=_next_url(request)))


class ManageView(BadRequestOnInvalidForm, FormView):
    """The user's own two-factor settings; removing it asks for a current code."""

    template_name = "accounts/two_factor_manage.html"
    form_class = CodeForm
    success_url = reverse_lazy("accounts:manage")

    def get_form_kwargs(self):
        user = self.request.user
        recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
        return {**super().get_form_kwargs(), "devices": [confirmed_device(user), recovery]}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            state=two_factor_state(user),
            codes_left=recovery_codes_left(user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        state = two_factor_state(request.user)
        if not state.has_device:
            messages.error(request, _("Two-factor authentication is not on."))
            return redirect("accounts:manage")
        if state.required:
            raise PermissionDenied(_("Your account must keep two-factor authentication."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        services.two_factor_remove(by=self.request.user)
        messages.success(self.request, _("Two-factor authentication is off."))
        return super().form_valid(form)


class RegenerateRecoveryCodesView(TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if confirmed_device(request.user) is None:
            messages.error(request, _("Set up two-factor authentication first."))
            return redirect("accounts:manage")
        request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_regenerate(by=request.user)
        messages.success(request, _("New recovery codes: the old ones no longer work."))
        return redirect("accounts:recovery_codes")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with our form (the one mail path, throttled) and templates."""

    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        """How long the link lives, in the words of the e-mail (the operator's setting)."""
        return {"hours": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 3600))}
