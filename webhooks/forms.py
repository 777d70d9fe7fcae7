from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from alliances.models import Alliance
from webhooks.models import EVENT_CHOICES, URL_MAX, Endpoint
from webhooks.services import url_problem


class EndpointForm(CrispyFormMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=URL_MAX,
        assume_scheme="https",
        help_text=_("An https:// address of the receiving system."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the receiving system hears of."),
    )
    alliances = forms.ModelMultipleChoiceField(
        label=_("Alliances listed"),
        queryset=Alliance.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only with “Only the alliances listed”. A confidential alliance is sent only to "
            "endpoints that list it."
        ),
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "scope", "alliances", "is_active"]
        widgets = {"scope": forms.RadioSelect}
        help_texts = {
            "description": _("What receives it, e.g. “CRM sync”."),
            "is_active": _("An inactive endpoint receives nothing until it is made active."),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == Endpoint.Scope.LISTED and not cleaned.get("alliances"):
            self.add_error("alliances", _("Choose the alliances it may hear of."))
        return cleaned
