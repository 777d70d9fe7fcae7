"""A manager's personal API tokens: make one (shown once), see them, revoke one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from api import services
from api.forms import TokenForm
from api.models import ApiToken
from kit.forms import add_service_errors


class TokenMixin:
    def dispatch(self, request, *args, **kwargs):
        if not services.can_have_tokens(request.user):
            raise PermissionDenied(_("Only alliance managers can make API tokens."))
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self):
        """Hook for views of one token."""


class TokenListView(TokenMixin, TemplateView):
    template_name = "api/tokens.html"

    def get_context_data(self, form=None, new_key=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            form=form or TokenForm(),
            tokens=ApiToken.objects.filter(user=self.request.user),
            new_key=new_key,
            tokens_max=services.TOKENS_PER_USER_MAX,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                made = services.token_create(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # Shown on this response only: the token is never stored, only its hash.
                messages.success(request, _("Token made. Copy it now: it is shown only once."))
                response = self.render_to_response(
                    self.get_context_data(form=TokenForm(), new_key=made.key)
                )
                response["Cache-Control"] = "no-store"
                return response
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TokenRevokeView(TokenMixin, TemplateView):
    template_name = "api/token_revoke.html"
    http_method_names = ["get", "post"]

    def load_objects(self):
        # Someone else's token does not exist for you.
        self.token = get_object_or_404(ApiToken, pk=self.kwargs["pk"], user=self.request.user.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=_("Revoke the token “%(name)s”?") % {"name": self.token.name},
            text=_("Scripts using it stop working at once."),
            confirm_label=_("Revoke"),
            back_url=redirect("api_tokens:list").url,
        )
        return context

    def post(self, request, *args, **kwargs):
        services.token_revoke(token=self.token, by=request.user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": self.token.name})
        return redirect("api_tokens:list")
