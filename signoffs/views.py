"""Sign-off pages: the state and history, a manager's request, an executive's answer.
Access goes through alliances/access.py; a confidential alliance is a 404 outside its team."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django.views.generic.edit import FormView

from alliances.access import Action
from alliances.views import AllianceMixin, ServiceFormMixin
from decisions.selectors import alliance_decision
from signoffs import services
from signoffs.forms import SignOffAnswerForm, SignOffRequestForm
from signoffs.models import SignOff
from signoffs.selectors import decision_shown, signoff_history, signoff_state


class SignOffView(AllianceMixin, TemplateView):
    template_name = "signoffs/signoff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state"] = signoff_state(self.alliance)
        context["history"] = signoff_history(self.alliance)
        return context


class SignOffRequestView(AllianceMixin, ServiceFormMixin, FormView):
    action = Action.REQUEST_SIGNOFF
    form_class = SignOffRequestForm
    template_name = "signoffs/signoff_request.html"
    heading = _("Request executive sign-off")
    success_message = _("Sign-off requested.")

    def get_form_kwargs(self):
        executives = services.team_executives(self.alliance)
        return {**super().get_form_kwargs(), "executives": executives}

    def get_initial(self):
        return {"executives": list(services.team_executives(self.alliance))}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decision"] = alliance_decision(self.alliance)
        return context

    def save(self, form):
        return services.signoff_request(
            alliance=self.alliance,
            executives=form.cleaned_data["executives"],
            message=form.cleaned_data["message"],
            by=self.request.user,
        )

    def get_back(self):
        return self.alliance.get_absolute_url(), self.alliance.name

    def get_success_url(self):
        return self.alliance.get_absolute_url()


class SignOffAnswerView(AllianceMixin, ServiceFormMixin, FormView):
    """The executive asked answers; anyone else who may see the alliance gets a 403."""

    form_class = SignOffAnswerForm
    template_name = "signoffs/signoff_answer.html"
    heading = _("Sign off the decision")
    success_message = _("Your answer is recorded.")

    def load_objects(self):
        self.signoff = get_object_or_404(
            SignOff.objects.select_related("request__requested_by"),
            pk=self.kwargs["pk"],
            request__alliance=self.alliance,
        )
        self.signoff.request.alliance = self.alliance
        if not services.may_answer(self.request.user, self.signoff):
            raise PermissionDenied(_("Only the executive asked can answer this sign-off."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signoff"] = self.signoff
        context["state"] = signoff_state(self.alliance)
        context["shown"] = decision_shown(self.alliance)
        return context

    def save(self, form):
        return services.signoff_answer(
            signoff=self.signoff,
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
            by=self.request.user,
        )

    def get_back(self):
        return self.alliance.get_absolute_url(), self.alliance.name

    def get_success_url(self):
        return self.alliance.get_absolute_url()
