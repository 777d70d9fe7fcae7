from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.forms import CrispyFormMixin
from kit.params import IdMultipleChoiceField
from kit.people import display_name
from signoffs.models import SignOff


class ExecutivesField(IdMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return display_name(obj)


class SignOffRequestForm(CrispyFormMixin, forms.Form):
    submit_label = _("Request sign-off")
    executives = ExecutivesField(
        label=_("Executives asked to sign off"),
        queryset=None,
        help_text=_("Each of them approves, refuses or asks for more."),
    )
    message = forms.CharField(
        label=_("Message to the executives"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, executives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executives"].queryset = executives


class SignOffAnswerForm(CrispyFormMixin, forms.Form):
    submit_label = _("Send my answer")
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (SignOff.Answer.APPROVED, _("Approve: go ahead on this decision")),
            (SignOff.Answer.REFUSED, _("Refuse")),
            (SignOff.Answer.MORE, _("Ask for more before deciding")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you refuse or ask for more."),
    )
